/**
 * The attention rows in WebAssembly SIMD (f64x2): two rows (h, i) and (h, i+1) per pass, one in
 * each lane, so every row is summed over j in the same order as the scalar code
 * (row-kernel-js.ts) and gives the same bits. exp is fdlibm's e_exp.c (the algorithm of V8's
 * Math.exp) vectorised with the same reduction, polynomial and scaling for arguments ≤ 0, so it
 * returns exactly what Math.exp returns there (tests/unit/row-kernel.test.ts checks the rows
 * against the JavaScript ones bit for bit).
 *
 * Memory layout (byte pointers passed to each call; f64 little-endian):
 *   X   [n + 1][d]       tokens, row n all zeros (read by a padding lane)
 *   U   [H][nPad][d]     u = β·D_h·x_i of each row; nPad = n rounded up to even (pad rows 0)
 *   OUT [H][nPad][d + 3] per row: m (row max of ℓ), Ñ, s̃[0..d), q̃ (q̃ only when Itô)
 *   scratch 2·PAIRS_PER_PASS·n f64   one thread's logits of the current pairs (16-byte aligned)
 * One module per d (1…16, built when first needed), exports `rows` / `rowsIto`: (p0, p1,
 * scratch, X, U, OUT, n, nPad) runs the row pairs p0 ≤ p < p1 (pair p = flat rows 2p, 2p + 1).
 */
import { encodeModule, FnBuilder, I32, V128 } from './wasm-emit';

/** Largest d with a function of its own (LIMITS.dMax). */
export const KERNEL_D_MAX = 16;
/** Parameters of every row function. */
export const ROW_PARAMS = 8;

/** Doubles per output row: m, Ñ, s̃ (d), q̃. */
export const outStride = (d: number): number => d + 3;

function bitsToF64(hi: number, lo = 0): number {
  const v = new DataView(new ArrayBuffer(8));
  v.setUint32(0, lo, true);
  v.setUint32(4, hi, true);
  return v.getFloat64(0, true);
}

// fdlibm e_exp.c constants (the same doubles, written shortest).
const LN2_HI = 0.6931471803691238; // 0x3fe62e42fee00000
const LN2_LO = 1.9082149292705877e-10; // 0x3dea39ef35793c76
const INV_LN2 = Math.LOG2E; // 0x3ff71547652b82fe
const P1 = 0.16666666666666602;
const P2 = -0.0027777777777015593;
const P3 = 0.00006613756321437934;
const P4 = -0.0000016533902205465252;
const P5 = 4.1381367970572385e-8;
const U_THRESHOLD = -745.1332191019411; // 0xc0874910d52d3051
/** |x| ≥ this ⟺ high word of |x| > 0x3fd62e42 (fdlibm's "|x| > 0.5 ln2"). */
const HALF_LN2_BOUND = bitsToF64(0x3fd62e43);
/** |x| < this ⟺ high word < 0x3ff0a2b2 (fdlibm's "|x| < 1.5 ln2": k = ±1). */
const THREE_HALF_LN2_BOUND = bitsToF64(0x3ff0a2b2);
/** |x| < 2⁻²⁸: exp(x) = 1 + x. */
const TINY = bitsToF64(0x3e300000);
/** 2⁵² + 1023: adding it to an integer-valued k puts k + 1023 in the low mantissa bits. */
const EXP_MAGIC = 2 ** 52 + 1023;

/** Temporaries of the vectorised exp. */
interface ExpLocals {
  a: number;
  ab: number;
  k: number;
  hi: number;
  lo: number;
  r: number;
  t: number;
  c: number;
  half: number;
}

function expLocals(f: FnBuilder): ExpLocals {
  const v = () => f.local(V128);
  return { a: v(), ab: v(), k: v(), hi: v(), lo: v(), r: v(), t: v(), c: v(), half: v() };
}

/**
 * Leaves exp(a) (both lanes, a in local L.a) on the stack, exactly as fdlibm computes it, for
 * a ≤ 0 or NaN (always the case here: a = ℓ_j − m with m the row maximum, so fdlibm's branches
 * for a > 0 and its overflow test are never taken and are left out): k = 0 for |a| ≤ ½ln2,
 * −1 below 1.5·ln2, else trunc(a/ln2 − ½); r = (a − k·ln2_hi) − k·ln2_lo; c = r − r²·P(r²);
 * y = 1 − ((lo − r·c/(2 − c)) − hi); result y·2^k (as y·2^⌊k/2⌋·2^(k−⌊k/2⌋), one rounding in
 * the subnormal range like fdlibm's two-step scaling), 0 below the underflow threshold, 1 + a
 * for |a| < 2⁻²⁸. For k = 0, lo = 0 and hi = r make the general formula fdlibm's
 * 1 − (r·c/(c − 2) − r) bit for bit.
 */
function emitExp(f: FnBuilder, L: ExpLocals): void {
  f.get(L.a).abs().set(L.ab);
  // k (as a double): −1, or trunc(a/ln2 − ½), or 0.
  f.f64x2Const(-1);
  f.get(L.a).f64x2Const(INV_LN2).mul().f64x2Const(-0.5).add().trunc();
  f.get(L.ab).f64x2Const(THREE_HALF_LN2_BOUND).lt().bitselect();
  f.get(L.ab).f64x2Const(HALF_LN2_BOUND).ge().and().set(L.k);
  // hi, lo, r.
  f.get(L.a).get(L.k).f64x2Const(LN2_HI).mul().sub().set(L.hi);
  f.get(L.k).f64x2Const(LN2_LO).mul().set(L.lo);
  f.get(L.hi).get(L.lo).sub().set(L.r);
  // c = r − t·(P1 + t·(P2 + t·(P3 + t·(P4 + t·P5)))), t = r².
  f.get(L.r).get(L.r).mul().set(L.t);
  f.get(L.r);
  f.get(L.t);
  f.f64x2Const(P1).get(L.t);
  f.f64x2Const(P2).get(L.t);
  f.f64x2Const(P3).get(L.t);
  f.f64x2Const(P4).get(L.t).f64x2Const(P5).mul().add();
  f.mul().add();
  f.mul().add();
  f.mul().add();
  f.mul().sub().set(L.c);
  // y = 1 − ((lo − r·c/(2 − c)) − hi); 1 + a when tiny.
  f.f64x2Const(1);
  f.get(L.lo);
  f.get(L.r).get(L.c).mul();
  f.f64x2Const(2).get(L.c).sub().div();
  f.sub().get(L.hi).sub().sub();
  f.f64x2Const(1).get(L.a).add().get(L.ab).f64x2Const(TINY).ge().bitselect();
  // · 2^⌊k/2⌋ · 2^(k − ⌊k/2⌋).
  f.get(L.k).f64x2Const(0.5).mul().floor().set(L.half);
  f.get(L.half).f64x2Const(EXP_MAGIC).add().i64x2Shl(52).mul();
  f.get(L.k).get(L.half).sub().f64x2Const(EXP_MAGIC).add().i64x2Shl(52).mul();
  // Underflow → 0.
  f.get(L.a).f64x2Const(U_THRESHOLD).lt().andNot();
}

/** Row pairs per pass of the main loop (a tail pass takes one): more work per load of x_j. */
export const PAIRS_PER_PASS = 2;

/**
 * The row function for dimension d (with the Itô sum q̃ when `ito`): passes of
 * PAIRS_PER_PASS row pairs (each pair one f64x2 vector, its two rows one per lane; x_j loaded
 * once for all of them), then one pass of a single pair for what is left. Every row is summed
 * over j in the same order whatever pass takes it.
 */
function rowFunction(d: number, ito: boolean): FnBuilder {
  const f = new FnBuilder(ROW_PARAMS);
  const [P0, P1_, SCRATCH, XP, UP, OP, N, NPAD] = [0, 1, 2, 3, 4, 5, 6, 7];
  const V = PAIRS_PER_PASS;
  const i32 = () => f.local(I32);
  const v128 = () => f.local(V128);
  const p = i32(),
    j = i32(),
    xa = i32(),
    ra = i32(),
    ua = i32(),
    oa = i32();
  const perPair = Array.from({ length: V }, () => ({
    u: Array.from({ length: d }, v128),
    s: Array.from({ length: d }, v128),
    xi: ito ? Array.from({ length: d }, v128) : [],
    m: v128(),
    l: v128(),
    e: v128(),
    nSum: v128(),
    q: v128(),
    cij: v128(),
    x: expLocals(f),
  }));
  const xc = v128();
  const K = outStride(d);
  /** Both lanes of a pair: lane 0 from [addr + off], lane 1 from [addr + off + laneStride]. */
  const pairLoad = (addr: number, off: number, laneStride: number, into: number) => {
    f.get(addr).load64Splat(off);
    f.get(addr)
      .f64Load(off + laneStride)
      .replaceLane(1)
      .set(into);
  };

  /** Pairs p … p + k − 1, then p += k. */
  const pass = (k: number) => {
    const pairs = perPair.slice(0, k);
    const stride = 16 * k;
    /** A loop over j = 0 … n − 1: `body` with xa at x_j and ra at its scratch slot, then both step on. */
    const overRows = (body: () => void) => {
      f.get(SCRATCH).set(ra);
      f.get(XP).set(xa);
      f.get(N).set(j);
      f.loop(() => {
        body();
        f.get(ra).i32(stride).i32Add().set(ra);
        f.get(xa)
          .i32(8 * d)
          .i32Add()
          .set(xa);
        f.get(j).i32(1).i32Sub().set(j);
        f.get(j).i32(0).i32Ne().brIf(0);
      });
    };
    f.get(UP)
      .get(p)
      .i32(16 * d)
      .i32Mul()
      .i32Add()
      .set(ua);
    pairs.forEach((P, v) => {
      for (let c = 0; c < d; c++) pairLoad(ua, 16 * d * v + 8 * c, 8 * d, P.u[c]!);
      if (ito) {
        // x_i and x_{i+1}: i = 2(p + v) mod nPad (x_n, the zero row, for a padding lane).
        f.get(XP)
          .get(p)
          .i32(v)
          .i32Add()
          .i32(2)
          .i32Mul()
          .get(NPAD)
          .i32RemU()
          .i32(8 * d)
          .i32Mul()
          .i32Add()
          .set(xa);
        for (let c = 0; c < d; c++) pairLoad(xa, 8 * c, 8 * d, P.xi[c]!);
      }
    });
    // Pass 1: ℓ_j = Σ_c u_c x_jc into scratch (the pairs interleaved), and each row's maximum m.
    for (const P of pairs) f.f64x2Const(Number.NEGATIVE_INFINITY).set(P.m);
    overRows(() => {
      for (let c = 0; c < d; c++) {
        f.get(xa)
          .load64Splat(8 * c)
          .set(xc);
        for (const P of pairs) {
          if (c === 0) f.get(P.u[0]!).get(xc).mul().set(P.l);
          else f.get(P.l).get(P.u[c]!).get(xc).mul().add().set(P.l);
        }
      }
      pairs.forEach((P, v) => {
        f.get(ra)
          .get(P.l)
          .v128Store(16 * v);
        f.get(P.l).get(P.m).get(P.l).get(P.m).gt().bitselect().set(P.m);
      });
    });
    // Pass 2: e = exp(ℓ_j − m); Ñ += e, s̃ += e·x_j, q̃ += e·⟨x_i, x_j⟩².
    for (const P of pairs) {
      f.f64x2Const(0).set(P.nSum);
      for (let c = 0; c < d; c++) f.f64x2Const(0).set(P.s[c]!);
      f.f64x2Const(0).set(P.q);
    }
    overRows(() => {
      pairs.forEach((P, v) => {
        f.get(ra)
          .v128Load(16 * v)
          .get(P.m)
          .sub()
          .set(P.x.a);
        emitExp(f, P.x);
        f.set(P.e);
        f.get(P.nSum).get(P.e).add().set(P.nSum);
      });
      for (let c = 0; c < d; c++) {
        f.get(xa)
          .load64Splat(8 * c)
          .set(xc);
        for (const P of pairs) {
          f.get(P.s[c]!).get(P.e).get(xc).mul().add().set(P.s[c]!);
          if (ito) {
            if (c === 0) f.f64x2Const(0);
            else f.get(P.cij);
            f.get(P.xi[c]!).get(xc).mul().add().set(P.cij);
          }
        }
      }
      if (ito) for (const P of pairs) f.get(P.q).get(P.e).get(P.cij).mul().get(P.cij).mul().add().set(P.q);
    });
    // Outputs of every row.
    f.get(OP)
      .get(p)
      .i32(16 * K)
      .i32Mul()
      .i32Add()
      .set(oa);
    pairs.forEach((P, v) => {
      const store = (x: number, slot: number) => {
        for (const lane of [0, 1] as const)
          f.get(oa)
            .get(x)
            .extractLane(lane)
            .f64Store(8 * ((2 * v + lane) * K + slot));
      };
      store(P.m, 0);
      store(P.nSum, 1);
      for (let c = 0; c < d; c++) store(P.s[c]!, 2 + c);
      if (ito) store(P.q, 2 + d);
    });
    f.get(p).i32(k).i32Add().set(p);
  };

  f.get(P0).set(p);
  // Full passes while V pairs are left, then single pairs.
  f.block(() =>
    f.loop(() => {
      f.get(p).i32(V).i32Add().get(P1_).i32GtU().brIf(1);
      pass(V);
      f.br(0);
    }),
  );
  f.block(() =>
    f.loop(() => {
      f.get(p).get(P1_).i32GeU().brIf(1);
      pass(1);
      f.br(0);
    }),
  );
  return f;
}

/** Exports of a row module: `rows` and `rowsIto`, in this order (the index a thread runs). */
export const ROW_EXPORTS = ['rows', 'rowsIto'] as const;

/** The row module for dimension d (1…KERNEL_D_MAX): `rows` and `rowsIto`, on an imported memory. */
export function rowModuleBytes(d: number, memory: { initial: number; maximum: number; shared: boolean }): Uint8Array {
  if (!Number.isInteger(d) || d < 1 || d > KERNEL_D_MAX)
    throw new RangeError(`row module: d must be 1…${KERNEL_D_MAX}, got ${d}`);
  const functions = [
    { name: ROW_EXPORTS[0], body: rowFunction(d, false) },
    { name: ROW_EXPORTS[1], body: rowFunction(d, true) },
  ];
  return encodeModule({ params: ROW_PARAMS, memory, functions });
}
