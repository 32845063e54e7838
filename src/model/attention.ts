/**
 * The attention field in float64 for one replica: the head-averaged projected velocity
 * v_i = (1/H) Σ_h P_{x_i}(w_i^h) and, in the same pass, the per-step diagnostics of MODEL.md.
 *
 * Per (head h, token i) one row pass over j (src/model/kernel: WebAssembly SIMD, two rows at a
 * time, split over worker threads; every row summed in the same order whichever thread runs it)
 * keeps only O(n) scratch: ℓ_ij = ⟨u_i, x_j⟩ with
 * u_i = β D_h x_i, the row maximum m, Ñ = Σ_j e^{ℓ_ij − m}, s̃ = Σ_j e^{ℓ_ij − m} x_j (and, when
 * the weights are noisy, q̃ = Σ_j e^{ℓ_ij − m} ⟨x_i,x_j⟩² for the Itô term). The true sums are
 * N = e^m Ñ and s = e^m s̃. Nothing of size n×n is ever formed.
 */

import { defaultThreadCount, drainRows, type RowJob, RowKernel } from './kernel/row-kernel';

/** Diagnostics of one replica at one state, in the order of DIAG_FIELDS. */
export const DIAG_FIELDS = ['energy', 'dEdt', 'G2', 'dissipation', 'dM', 'jump'] as const;
export type DiagField = (typeof DIAG_FIELDS)[number];
export const DIAG_SIZE = DIAG_FIELDS.length;
/** Index of each diagnostic inside a record. */
export const DIAG = Object.fromEntries(DIAG_FIELDS.map((f, i) => [f, i])) as Record<DiagField, number>;

export interface FieldParams {
  beta: number;
  /** true: divide by n instead of N_i ("USA"). */
  unnormalized: boolean;
}

/** What the diagnostics need besides the state: the drift f_h and noise increment σΔW_h of this step. */
export interface DiagnosticInputs {
  /** f_h(D, t), H×d×d. */
  drift: Float64Array;
  /** σΔW_h of this step, H×d×d (zeros when σ = 0). */
  noise: Float64Array;
  /** σ², for the Itô correction of ∂tE. */
  noiseVariance: number;
}

/** Allocation-free evaluator of the attention field for a fixed (n, d, H). */
export class AttentionField {
  private readonly row: Float64Array;
  private readonly u: Float64Array;
  private readonly s: Float64Array;
  private readonly ds: Float64Array;
  /** Σ_h P(D_h s_i^h) per token (the scaled Riemannian gradient), n×d. */
  private readonly grad: Float64Array;
  /** Σ_h n / N_i^h per token, n. */
  private readonly invN: Float64Array;

  private readonly kernel: RowKernel;

  /** `threads`: worker threads for the rows (default: the cores available, see row-kernel.ts). */
  constructor(
    readonly n: number,
    readonly d: number,
    readonly H: number,
    threads = defaultThreadCount(),
  ) {
    this.kernel = new RowKernel(n, d, H, threads);
    this.row = new Float64Array(n);
    this.u = new Float64Array(d);
    this.s = new Float64Array(d);
    this.ds = new Float64Array(d);
    this.grad = new Float64Array(n * d);
    this.invN = new Float64Array(n);
  }

  /**
   * v (n×d) = (1/H) Σ_h P_{x_i}(w_i^h) for tokens x[xOff..] and matrices D[dOff..].
   * With `diag`, also writes energy, ∂tE, G², 𝒟 and ΔM into out[outOff..] (DIAG order; jump = 0).
   */
  evaluate(
    x: Float64Array,
    xOff: number,
    D: Float64Array,
    dOff: number,
    p: FieldParams,
    v: Float64Array,
    diag?: DiagnosticInputs,
    out?: Float64Array,
    outOff = 0,
  ): void {
    drainRows(this.evaluation(x, xOff, D, dOff, p, v, diag, out, outOff));
  }

  /**
   * `evaluate` as a generator that yields each prepared row load (a RowJob) for its caller to
   * run — on this thread (drainRows) or split over row workers (row-split.ts) — and resumes once
   * the load's OUT rows are in the arena.
   */
  *evaluation(
    x: Float64Array,
    xOff: number,
    D: Float64Array,
    dOff: number,
    p: FieldParams,
    v: Float64Array,
    diag?: DiagnosticInputs,
    out?: Float64Array,
    outOff = 0,
  ): Generator<RowJob, void, void> {
    const { n, d, H, s, ds, grad, invN, kernel } = this;
    const dd = d * d;
    const beta = p.beta;
    const withDiag = diag !== undefined;
    const ito = withDiag && diag.noiseVariance > 0;
    v.fill(0, 0, n * d);
    if (withDiag) {
      grad.fill(0);
      invN.fill(0);
    }
    let eSum = 0,
      dEdtSum = 0,
      dMSum = 0;
    const invH = 1 / H;
    const K = kernel.stride;
    for (let h0 = 0; h0 < H; h0 += kernel.headsPerCall) {
      const heads = Math.min(kernel.headsPerCall, H - h0);
      const { mem, layout: L } = kernel.prepare(heads);
      mem.set(x.subarray(xOff, xOff + n * d), L.x);
      // u = β D_h x_i per row; padding rows (i = n when n is odd) stay 0.
      for (let hh = 0; hh < heads; hh++) {
        const dh = dOff + (h0 + hh) * dd;
        for (let i = 0; i < kernel.nPad; i++) {
          const ub = L.u + (hh * kernel.nPad + i) * d;
          const xi = xOff + i * d;
          for (let r = 0; r < d; r++) {
            let acc = 0;
            if (i < n) for (let c = 0; c < d; c++) acc += D[dh + r * d + c]! * x[xi + c]!;
            mem[ub + r] = beta * acc;
          }
        }
      }
      yield { kernel, ito };
      for (let hh = 0; hh < heads; hh++) {
        const h = h0 + hh;
        const dh = dOff + h * dd;
        for (let i = 0; i < n; i++) {
          const xi = xOff + i * d;
          const o = L.out + (hh * kernel.nPad + i) * K;
          const m = mem[o]!;
          const N = mem[o + 1]!;
          const q = ito ? mem[o + 2 + d]! : 0;
          for (let c = 0; c < d; c++) s[c] = mem[o + 2 + c]!;
          // ds = D_h s̃; w = ds / Ñ (softmax) or ds·e^m / n (unnormalised).
          let dsx = 0;
          for (let r = 0; r < d; r++) {
            let acc = 0;
            for (let c = 0; c < d; c++) acc += D[dh + r * d + c]! * s[c]!;
            ds[r] = acc;
            dsx += acc * x[xi + r]!;
          }
          const scale = p.unnormalized ? Math.exp(m) / n : 1 / N;
          for (let r = 0; r < d; r++) v[i * d + r] = v[i * d + r]! + invH * scale * (ds[r]! - dsx * x[xi + r]!);
          if (!withDiag) continue;
          const em = Math.exp(m);
          eSum += em * N;
          for (let r = 0; r < d; r++) grad[i * d + r] = grad[i * d + r]! + em * (ds[r]! - dsx * x[xi + r]!);
          invN[i] = invN[i]! + n / (em * N);
          dEdtSum += em * quad(x, xi, diag.drift, h * dd, s, d);
          if (ito) dEdtSum += em * beta * (diag.noiseVariance / 4) * (q + N);
          if (diag.noiseVariance > 0) dMSum += em * quad(x, xi, diag.noise, h * dd, s, d);
        }
      }
    }
    if (!withDiag || !out) return;
    let g2 = 0,
      diss = 0;
    for (let i = 0; i < n; i++) {
      let vv = 0,
        gv = 0;
      for (let r = 0; r < d; r++) {
        vv += v[i * d + r]! * v[i * d + r]!;
        gv += grad[i * d + r]! * v[i * d + r]!;
      }
      g2 += p.unnormalized ? vv : vv / (invN[i]! * invH);
      diss += gv;
    }
    const n2 = n * n;
    out[outOff + DIAG.energy] = eSum / (2 * beta * H * n2);
    out[outOff + DIAG.dEdt] = dEdtSum / (2 * H * n2);
    out[outOff + DIAG.G2] = g2 / n;
    out[outOff + DIAG.dissipation] = diss / (H * n2);
    out[outOff + DIAG.dM] = dMSum / (2 * H * n2);
    out[outOff + DIAG.jump] = 0;
  }

  /** The interaction energy E alone at (x, D). */
  energy(x: Float64Array, xOff: number, D: Float64Array, dOff: number, beta: number): number {
    const { n, d, H, u, row } = this;
    const dd = d * d;
    let eSum = 0;
    for (let h = 0; h < H; h++) {
      for (let i = 0; i < n; i++) {
        const xi = xOff + i * d;
        for (let r = 0; r < d; r++) {
          let acc = 0;
          for (let c = 0; c < d; c++) acc += D[dOff + h * dd + r * d + c]! * x[xi + c]!;
          u[r] = beta * acc;
        }
        const m = this.rowLogits(x, xOff, u);
        let N = 0;
        for (let j = 0; j < n; j++) N += Math.exp(row[j]! - m);
        eSum += Math.exp(m) * N;
      }
    }
    return eSum / (2 * beta * H * n * n);
  }

  /** row[j] = ⟨u, x_j⟩ for all j; returns the maximum. */
  private rowLogits(x: Float64Array, xOff: number, u: Float64Array): number {
    const { n, d, row } = this;
    let m = -Infinity;
    if (d === 3) {
      const u0 = u[0]!,
        u1 = u[1]!,
        u2 = u[2]!;
      for (let j = 0, xj = xOff; j < n; j++, xj += 3) {
        const l = u0 * x[xj]! + u1 * x[xj + 1]! + u2 * x[xj + 2]!;
        row[j] = l;
        if (l > m) m = l;
      }
    } else {
      for (let j = 0, xj = xOff; j < n; j++, xj += d) {
        let l = 0;
        for (let c = 0; c < d; c++) l += u[c]! * x[xj + c]!;
        row[j] = l;
        if (l > m) m = l;
      }
    }
    return m;
  }
}

/** ⟨x_i, A s⟩ for the d×d block A at a[aOff..]. */
function quad(x: Float64Array, xi: number, a: Float64Array, aOff: number, s: Float64Array, d: number): number {
  let acc = 0;
  for (let r = 0; r < d; r++) {
    let rowAcc = 0;
    for (let c = 0; c < d; c++) rowAcc += a[aOff + r * d + c]! * s[c]!;
    acc += x[xi + r]! * rowAcc;
  }
  return acc;
}
