/**
 * Weight schedules: the drift f_h(D, t) of each head, the oscillating targets of MODEL.md,
 * the layer schedule's lookup, and the Brownian increments σΔW_h of a step.
 * All matrices are flat row-major d×d blocks.
 */
import type { Drift } from './scenario';
import { assertNever } from './kinds/field';
import { type Philox, Stream } from './rng';

/** Writes the oscillating target T_h(t) (MODEL.md) of head h out of H into out[off..off+d²). */
export function oscillatingTarget(
  drift: Extract<Drift, { kind: 'oscillating' }>,
  d: number,
  h: number,
  H: number,
  t: number,
  out: Float64Array,
  off = 0,
): void {
  const tau = drift.frequency * t + (2 * Math.PI * h) / H;
  const { center: c, amplitude: a, offAmplitude: b } = drift;
  const set = (r: number, col: number, v: number) => {
    out[off + r * d + col] = v;
    out[off + col * d + r] = v;
  };
  if (d === 2) {
    set(0, 0, c + a * Math.cos(tau));
    set(1, 1, c - a * Math.cos(tau));
    set(0, 1, b * Math.sin(2 * tau));
  } else if (d === 3) {
    set(0, 0, c + a * Math.cos(tau));
    set(1, 1, c + a * Math.sin(tau));
    set(2, 2, c + a * Math.cos(tau + Math.PI / 4));
    set(0, 1, b * Math.sin(2 * tau));
    set(0, 2, b * Math.sin(tau));
    set(1, 2, b * Math.cos(2 * tau));
  } else {
    const pairs = (d * (d - 1)) / 2;
    for (let k = 0; k < d; k++) set(k, k, c + a * Math.cos(tau + (2 * Math.PI * k) / d));
    let p = 0;
    for (let k = 0; k < d; k++)
      for (let l = k + 1; l < d; l++, p++) set(k, l, b * Math.sin(2 * tau + (2 * Math.PI * p) / pairs));
  }
}

/** Index of the layer that holds at time t (the last one holds after the schedule ends). */
export function layerIndex(drift: Extract<Drift, { kind: 'layers' }>, t: number): number {
  const k = Math.floor(t / drift.layerDuration + 1e-9);
  return Math.min(Math.max(k, 0), drift.layers.length - 1);
}

/**
 * Drift of one head: out[off..) = f_h(D, t) for D at D[dOff..). For 'layers' the drift is 0
 * (the schedule itself sets D(t); see `scheduledWeights`).
 */
export function driftInto(
  drift: Drift,
  D: Float64Array,
  dOff: number,
  d: number,
  h: number,
  H: number,
  t: number,
  out: Float64Array,
  off: number,
  scratch: Float64Array,
): void {
  const dd = d * d;
  switch (drift.kind) {
    case 'frozen':
    case 'layers':
      for (let e = 0; e < dd; e++) out[off + e] = 0;
      return;
    case 'ou':
      for (let a = 0; a < d; a++) {
        for (let b = 0; b < d; b++) {
          const m = drift.target === 'identity' ? (a === b ? 1 : 0) : drift.target[a]![b]!;
          out[off + a * d + b] = drift.theta * (m - D[dOff + a * d + b]!);
        }
      }
      return;
    case 'oscillating':
      oscillatingTarget(drift, d, h, H, t, scratch, 0);
      for (let e = 0; e < dd; e++) out[off + e] = drift.rate * (scratch[e]! - D[dOff + e]!);
      return;
    case 'rotating': {
      const theta = drift.omega * t + (2 * Math.PI * h) / H;
      const c2 = Math.cos(2 * theta),
        s2 = Math.sin(2 * theta);
      for (let a = 0; a < d; a++) {
        for (let b = 0; b < d; b++) {
          let m = 0;
          if (a === 0 && b === 0) m = drift.center + drift.amplitude * c2;
          else if (a === 1 && b === 1) m = drift.center - drift.amplitude * c2;
          else if (a + b === 1) m = drift.amplitude * s2;
          else if (a === b) m = drift.center;
          out[off + a * d + b] = drift.rate * (m - D[dOff + a * d + b]!);
        }
      }
      return;
    }
    default:
      assertNever(drift, 'drift kind');
  }
}

/** The layer schedule's matrices at time t for all heads of one replica, plus that replica's offset. */
export function scheduledWeights(
  drift: Extract<Drift, { kind: 'layers' }>,
  t: number,
  d: number,
  H: number,
  offsets: Float64Array,
  offOff: number,
  out: Float64Array,
  off: number,
): void {
  const layer = drift.layers[layerIndex(drift, t)]!;
  const dd = d * d;
  for (let h = 0; h < H; h++) {
    const m = layer[h]!;
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++) out[off + h * dd + a * d + b] = m[a]![b]! + offsets[offOff + h * dd + a * d + b]!;
  }
}

/**
 * σΔW_h of step k for one replica and all heads: σ·√dt·(Z + Zᵀ)/2, Z standard normal from
 * the weight-noise stream at counter (k, noiseReplica, h); written as H×d×d into out.
 */
export function noiseIncrements(
  rng: Philox,
  k: number,
  noiseReplica: number,
  H: number,
  d: number,
  sigma: number,
  dt: number,
  out: Float64Array,
  z: Float64Array,
): void {
  const dd = d * d;
  const scale = 0.5 * sigma * Math.sqrt(dt);
  for (let h = 0; h < H; h++) {
    rng.normals(k, noiseReplica, h, Stream.weightNoise, z, dd);
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++) out[h * dd + a * d + b] = scale * (z[a * d + b]! + z[b * d + a]!);
  }
}
