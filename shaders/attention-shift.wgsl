// Prelude of the fixed-shift attention kernels (attention-accumulate-d3.wgsl, -d8.wgsl): the
// shift m_i = max(ℓ_ii, ‖u_i‖ − SHIFT_SPAN) and the second-sweep threshold (see the d3 kernel).

/** Largest exponent of a term: e^60 ≈ 1.1e26. */
const SHIFT_SPAN: f32 = 60.0;
/** Sweep again when the largest term would be below e^{−40}. */
const REDO_BELOW: f32 = 40.0;

var<workgroup> redoVotes: atomic<u32>;
var<workgroup> redoFlag: u32;

/**
 * Whether `vote` holds in any invocation of the workgroup, the same answer in all of them (call it
 * from uniform control flow: it has barriers). Decides the rare second sweep, once per invocation.
 */
fn workgroupAny(vote: bool, lid: u32) -> bool {
  if (lid == 0u) { atomicStore(&redoVotes, 0u); }
  workgroupBarrier();
  if (vote) { atomicOr(&redoVotes, 1u); }
  workgroupBarrier();
  if (lid == 0u) { redoFlag = atomicLoad(&redoVotes); }
  return workgroupUniformLoad(&redoFlag) != 0u;
}
