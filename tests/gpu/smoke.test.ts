import { afterAll, expect, it } from 'vitest';
import { releaseTestDevice, testDevice } from './device';

afterAll(releaseTestDevice);

const N = 1024;
const SHADER = /* wgsl */ `
override WG: u32 = 64;
@group(0) @binding(0) var<storage, read_write> data: array<f32>;
@group(0) @binding(1) var<storage, read_write> seen: array<u32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) id: vec3u) {
  if (id.x == 0u) { seen[0] = WG; }
  if (id.x < arrayLength(&data)) { data[id.x] = 2.0 * data[id.x]; }
}`;

async function readback(device: GPUDevice, src: GPUBuffer): Promise<ArrayBuffer> {
  const staging = device.createBuffer({
    size: src.size,
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(src, 0, staging, 0, src.size);
  device.queue.submit([enc.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const copy = staging.getMappedRange().slice(0);
  staging.destroy();
  return copy;
}

it('runs a WGSL compute shader with an override constant through dawn.node', async () => {
  const device = await testDevice();
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ code: SHADER });
  const info = await module.getCompilationInfo();
  expect(info.messages.map((m) => `${m.type} ${m.lineNum}:${m.linePos} ${m.message}`)).toEqual([]);

  const wg = 128;
  const pipeline = device.createComputePipeline({
    layout: 'auto',
    compute: { module, entryPoint: 'main', constants: { WG: wg } },
  });
  const input = Float32Array.from({ length: N }, (_, i) => i - 0.5);
  const data = device.createBuffer({
    size: input.byteLength,
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
  });
  device.queue.writeBuffer(data, 0, input);
  const metaBuf = device.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [
      { binding: 0, resource: { buffer: data } },
      { binding: 1, resource: { buffer: metaBuf } },
    ],
  });

  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(Math.ceil(N / wg));
  pass.end();
  device.queue.submit([enc.finish()]);

  const out = new Float32Array(await readback(device, data));
  const metaOut = new Uint32Array(await readback(device, metaBuf));
  expect(await device.popErrorScope()).toBeNull();
  expect(metaOut[0]).toBe(wg);
  expect(Array.from(out)).toEqual(Array.from(input, (x) => 2 * x));
  data.destroy();
  metaBuf.destroy();
});
