/**
 * The WGSL Philox (shaders/philox.wgsl, through shaders/philox-words.wgsl) against
 * src/model/rng.ts: the four u32 words are bit-identical for many counters and keys, and the
 * weight-noise normals agree to float32 transcendental precision.
 */
import { afterAll, expect, it } from 'vitest';
import { Philox, philox4x32, seedKey, Stream } from '../../src/model/rng';
import { bindGroup, bindGroupLayout, computePipeline } from '../../src/gpu/resources';
import { shaderSources } from '../../src/gpu/shaders';
import { releaseTestDevice, testDevice } from './device';

afterAll(releaseTestDevice);

const WG = 64;
/** PhiloxQuery and PhiloxAnswer of philox-words.wgsl: 8 u32 words each. */
const WORDS = 8;

interface Query {
  counter: [number, number, number, number];
  seed: number;
  entry: number;
}

function queries(): Query[] {
  const seeds = [0, 1, 7, 42, 0xffffffff, 2 ** 32 + 5, 2 ** 53 - 1, 123456789012345];
  const out: Query[] = [];
  let state = 12345;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
  for (const seed of seeds) {
    for (let k = 0; k < 64; k++) {
      const step = k < 8 ? k : next();
      const replica = k % 5;
      const head = next() % 300;
      const entry = next() % 256;
      out.push({ counter: [step, replica, head, ((Stream.weightNoise << 24) | (entry >> 2)) >>> 0], seed, entry });
    }
  }
  out.push({ counter: [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], seed: 2 ** 53 - 1, entry: 3 });
  return out;
}

it('draws the same Philox words and weight-noise normals as rng.ts', async () => {
  const device = await testDevice();
  const sources = await shaderSources();
  const layout = bindGroupLayout(device, 'philoxTest.layout', ['read', 'rw']);
  const pipeline = await computePipeline(device, sources, 'philox-words', 'philoxTest.pipeline', layout, { WG });
  const qs = queries();
  const input = new Uint32Array(qs.length * WORDS);
  qs.forEach((q, i) => {
    const [k0, k1] = seedKey(q.seed);
    input.set([...q.counter, k0, k1, q.entry, 0], i * WORDS);
  });
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
  const qBuf = device.createBuffer({ label: 'philoxTest.queries', size: input.byteLength, usage });
  const aBuf = device.createBuffer({ label: 'philoxTest.answers', size: input.byteLength, usage });
  const staging = device.createBuffer({
    label: 'philoxTest.staging',
    size: input.byteLength,
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  device.queue.writeBuffer(qBuf, 0, input);
  const enc = device.createCommandEncoder({ label: 'philoxTest.encoder' });
  const pass = enc.beginComputePass({ label: 'philoxTest.pass' });
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup(device, 'philoxTest.bindGroup', layout, [qBuf, aBuf]));
  pass.dispatchWorkgroups(Math.ceil(qs.length / WG));
  pass.end();
  enc.copyBufferToBuffer(aBuf, 0, staging, 0, input.byteLength);
  device.queue.submit([enc.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const answers = staging.getMappedRange().slice(0);
  staging.unmap();
  [qBuf, aBuf, staging].forEach((b) => b.destroy());
  const words = new Uint32Array(answers);
  const floats = new Float32Array(answers);

  const expected = new Uint32Array(4);
  const normals = new Float64Array(256);
  let worstNormal = 0;
  qs.forEach((q, i) => {
    const [k0, k1] = seedKey(q.seed);
    philox4x32(q.counter[0], q.counter[1], q.counter[2], q.counter[3], k0, k1, expected);
    expect(Array.from(words.subarray(i * WORDS, i * WORDS + 4)), `query ${i}`).toEqual(Array.from(expected));
    new Philox(q.seed).normals(q.counter[0], q.counter[1], q.counter[2], Stream.weightNoise, normals, q.entry + 1);
    worstNormal = Math.max(worstNormal, Math.abs(floats[i * WORDS + 4]! - normals[q.entry]!));
  });
  // Words are exact; the normals go through f32 log and sqrt (a few ulps) and trig.wgsl's sin/cos.
  expect(worstNormal).toBeLessThan(1e-5);
  console.info(
    `philox: ${qs.length} counters, words bit-identical; worst |normal_gpu − normal_cpu| = ${worstNormal.toExponential(2)}`,
  );
});
