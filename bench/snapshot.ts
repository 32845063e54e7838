/**
 * What a history snapshot costs: `snapshot()` of the GPU engine (dawn.node; a readback of the
 * positions and weights buffers) and of the float64 engine (two array copies), against one step,
 * at n = 1,024 and 4,096 (d = 3, H = 4, P = 1). The playground's session takes a snapshot in
 * place of each readback it makes anyway (every 250 ms with the GPU engine), so this is the cost
 * of those readbacks, not an extra one.  Run: npx tsx bench/snapshot.ts
 */
import { cpus, loadavg } from 'node:os';
import { createGpuEngine } from '../src/gpu/index';
import { nodeGpu, releaseNodeGpu } from '../src/gpu/node-env';
import { CpuSimEngine, type SimEngine } from '../src/model/engine';
import { preset } from '../src/model/presets';

const REPS = 9;

/** Median time of `f`, each after `before` (so a snapshot reads a state it has not read yet). */
async function median(f: () => Promise<unknown>, before?: () => Promise<unknown>): Promise<number> {
  const t: number[] = [];
  for (let i = 0; i < REPS; i++) {
    await before?.();
    const a = performance.now();
    await f();
    t.push(performance.now() - a);
  }
  t.sort((a, b) => a - b);
  return t[REPS >> 1]!;
}

async function measure(label: string, e: SimEngine): Promise<void> {
  await e.advance(2);
  const step = await median(() => e.advance(1));
  const snap = await median(
    () => e.snapshot(),
    () => e.advance(1),
  );
  const s = await e.snapshot();
  const kb = (s.positions.byteLength + s.weights.byteLength) / 1024;
  console.log(`${label}: snapshot ${snap.toFixed(2)} ms (${kb.toFixed(0)} KB), one step ${step.toFixed(2)} ms`);
}

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, load ${loadavg()[0]!.toFixed(2)}`);
const gpu = await nodeGpu();
for (const n of [1024, 4096]) {
  const s = { ...preset('s2-oscillating').build(4), n, replicas: 1 };
  const g = await createGpuEngine(s, { gpu });
  await measure(`GPU engine n = ${n}`, g);
  g.destroy();
  await measure(`float64 engine n = ${n}`, new CpuSimEngine(s));
}
releaseNodeGpu();
