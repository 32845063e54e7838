// Test entry point: Philox words and weight-noise normals for a list of counters, so
// tests/gpu/philox.test.ts can compare them with src/model/rng.ts. Needs philox.wgsl.

override WG: u32 = 64u;

/** One query: counter, key, and the (step, replica, head, entry) of a weight-noise normal. */
struct PhiloxQuery {
  counter: vec4u,
  key: vec2u,
  entry: u32,
  _pad: u32,
}

/** The answer: the four words, and the normal weightNoiseNormal(counter.x, .y, .z, entry, key). */
struct PhiloxAnswer {
  words: vec4u,
  normal: f32,
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

@group(0) @binding(0) var<storage, read> queries: array<PhiloxQuery>;
@group(0) @binding(1) var<storage, read_write> answers: array<PhiloxAnswer>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let i = id.x;
  if (i >= arrayLength(&queries)) { return; }
  let q = queries[i];
  answers[i].words = philox4x32(q.counter, q.key);
  answers[i].normal = weightNoiseNormal(q.counter.x, q.counter.y, q.counter.z, q.entry, q.key);
}
