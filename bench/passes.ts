/**
 * `npx tsx bench/passes.ts`: where a step's time goes on this adapter. Builds the WebGPU engine at
 * n = 1,000, H = 10 (S² oscillating, Euler, P = 1; BENCH_N, BENCH_H override) and times each pass
 * of a step alone — the same dispatch encoded REPEAT times in one compute pass, one submit, awaited
 * — plus an empty submit, a submit with the record copy and its mapAsync, and whole steps through
 * `advance`. Prints wall ms and process CPU ms (all threads: SwiftShader's workers) per dispatch,
 * medians of ROUNDS rounds. The passes share the engine's buffers, so the state drifts while this
 * runs; only the times are reported.
 */
import { loadavg } from 'node:os';
import { createGpuEngine } from '../src/gpu/index';
import { nodeGpu, releaseNodeGpu } from '../src/gpu/node-env';
import type { StepEncoder } from '../src/gpu/step-encoder';
import { preset } from '../src/model/presets';
import { median } from './official';

const N = Number(process.env.BENCH_N ?? 1000);
const H = Number(process.env.BENCH_H ?? 10);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

async function main(): Promise<void> {
  const gpu = await nodeGpu();
  const s = { ...preset('s2-oscillating').build(H), n: N, replicas: 1 };
  const engine = await createGpuEngine(s, { gpu });
  await engine.advance(2);
  const device = engine.gpuDevice;
  const e = (engine as unknown as { encoder: StepEncoder }).encoder;
  const jumps = e.prepare([{ step: 2, evaluateOnly: false }], engine.scenario.weights.drift);
  const ops = e.ops(jumps, false);
  const names = ['weights-stage', 'attention', 'token-combine', 'diagnostics-reduce'];
  if (ops.length !== names.length)
    throw new Error(`expected ${names.length} ops (Euler, no layers), got ${ops.length}`);

  /** Wall and CPU ms of one submit of `encode` `times` times, awaited (and `after` run). */
  const time = async (encode: (enc: GPUCommandEncoder) => void, after?: () => Promise<void>) => {
    await device.queue.onSubmittedWorkDone();
    const cpu = process.cpuUsage();
    const t = performance.now();
    const enc = device.createCommandEncoder();
    encode(enc);
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
    if (after) await after();
    const d = process.cpuUsage(cpu);
    return { wall: performance.now() - t, cpu: (d.user + d.system) / 1000 };
  };
  const rows: { what: string; per: number; wall: number[]; cpu: number[] }[] = [];
  const add = (what: string, per: number) => {
    const r = { what, per, wall: [] as number[], cpu: [] as number[] };
    rows.push(r);
    return r;
  };
  const empty = add('empty submit', 1);
  const perOp = ops.map((_, i) => add(names[i]!, REPEAT));
  const map = add('record copy + mapAsync', 1);
  const step = add('advance(1) (whole step)', 1);
  const steps10 = add('advance(10), per step', 10);
  for (let round = 0; round < ROUNDS; round++) {
    const push = (r: (typeof rows)[number], x: { wall: number; cpu: number }) => {
      r.wall.push(x.wall / r.per);
      r.cpu.push(x.cpu / r.per);
    };
    push(empty, await time(() => {}));
    for (let i = 0; i < ops.length; i++) {
      push(
        perOp[i]!,
        await time((enc) => {
          const pass = enc.beginComputePass();
          for (let k = 0; k < REPEAT; k++) e.encodeOp(pass, ops[i]!);
          pass.end();
        }),
      );
    }
    const staging = device.createBuffer({ size: 256, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    push(
      map,
      await time(
        (enc) => enc.copyBufferToBuffer(e.reduce.records, 0, staging, 0, e.reduce.bytes(1)),
        async () => {
          await staging.mapAsync(GPUMapMode.READ);
          staging.unmap();
        },
      ),
    );
    staging.destroy();
    let cpu = process.cpuUsage();
    let t = performance.now();
    await engine.advance(1);
    let d = process.cpuUsage(cpu);
    push(step, { wall: performance.now() - t, cpu: (d.user + d.system) / 1000 });
    cpu = process.cpuUsage();
    t = performance.now();
    await engine.advance(10);
    d = process.cpuUsage(cpu);
    push(steps10, { wall: performance.now() - t, cpu: (d.user + d.system) / 1000 });
  }
  console.log(
    `adapter ${engine.adapterName}; n = ${N}, H = ${H}, d = 3, Euler; ${REPEAT} dispatches per submit; medians of ${ROUNDS}; load ${loadavg()
      .map((x) => x.toFixed(1))
      .join(', ')}\n`,
  );
  console.log('| pass | wall ms | CPU ms |');
  console.log('|---|---|---|');
  for (const r of rows) console.log(`| ${r.what} | ${median(r.wall).toFixed(2)} | ${median(r.cpu).toFixed(2)} |`);
  engine.destroy();
  releaseNodeGpu();
}

void main();
