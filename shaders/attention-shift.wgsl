// Prelude of the fixed-shift attention kernels (attention-accumulate-d3.wgsl, -d8.wgsl): the
// shift m_i = max(ℓ_ii, ‖u_i‖ − SHIFT_SPAN) and the second-sweep threshold (see the d3 kernel).

/** Largest exponent of a term: e^60 ≈ 1.1e26. */
const SHIFT_SPAN: f32 = 60.0;
/** Sweep again when the largest term would be below e^{−40}. */
const REDO_BELOW: f32 = 40.0;
