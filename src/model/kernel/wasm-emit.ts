/**
 * A small WebAssembly binary writer: just what the row kernel needs (one function type of i32
 * parameters, an imported memory, exported functions, i32/f64 scalar and f64x2 SIMD
 * instructions). The module is assembled in memory at run time, so no build tool or .wasm file
 * is involved; opcodes are those of the WebAssembly 2.0 core specification (SIMD: prefix 0xFD
 * followed by the LEB128 opcode).
 */

export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof F64 | typeof V128;

function uleb(v: number, out: number[]): void {
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
}

function sleb(v: number, out: number[]): void {
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return;
    }
    out.push(b | 0x80);
  }
}

function name(s: string, out: number[]): void {
  const bytes = new TextEncoder().encode(s);
  uleb(bytes.length, out);
  out.push(...bytes);
}

const scratch = new DataView(new ArrayBuffer(8));

/** SIMD opcodes used (after the 0xFD prefix). */
const SIMD = {
  load: 0x00,
  load64Splat: 0x0a,
  store: 0x0b,
  const: 0x0c,
  f64x2Splat: 0x14,
  f64x2ExtractLane: 0x21,
  f64x2ReplaceLane: 0x22,
  f64x2Lt: 0x49,
  f64x2Gt: 0x4a,
  f64x2Ge: 0x4c,
  and: 0x4e,
  andNot: 0x4f,
  bitselect: 0x52,
  f64x2Floor: 0x75,
  f64x2Trunc: 0x7a,
  i64x2Shl: 0xcb,
  f64x2Abs: 0xec,
  f64x2Add: 0xf0,
  f64x2Sub: 0xf1,
  f64x2Mul: 0xf2,
  f64x2Div: 0xf3,
} as const;

/** One function body: locals after the parameters, instructions appended in order. */
export class FnBuilder {
  readonly code: number[] = [];
  private readonly locals: ValType[] = [];

  constructor(readonly params: number) {}

  /** A new local of type t; returns its index. */
  local(t: ValType): number {
    this.locals.push(t);
    return this.params + this.locals.length - 1;
  }

  private op(...bytes: number[]): this {
    for (const b of bytes) this.code.push(b);
    return this;
  }

  private simd(op: number): this {
    return this.op(0xfd).imm(op);
  }

  /** An unsigned LEB128 immediate (local index, branch depth, alignment, offset). */
  private imm(v: number): this {
    uleb(v, this.code);
    return this;
  }

  private memarg(align: number, offset: number): this {
    return this.imm(align).imm(offset);
  }

  get(i: number): this {
    return this.op(0x20).imm(i);
  }
  set(i: number): this {
    return this.op(0x21).imm(i);
  }
  i32(v: number): this {
    this.op(0x41);
    sleb(v, this.code);
    return this;
  }
  i32Add(): this {
    return this.op(0x6a);
  }
  i32Sub(): this {
    return this.op(0x6b);
  }
  i32Mul(): this {
    return this.op(0x6c);
  }
  i32RemU(): this {
    return this.op(0x70);
  }
  i32GeU(): this {
    return this.op(0x4f);
  }
  i32GtU(): this {
    return this.op(0x4b);
  }
  i32Ne(): this {
    return this.op(0x47);
  }
  f64Load(offset: number): this {
    return this.op(0x2b).memarg(3, offset);
  }
  f64Store(offset: number): this {
    return this.op(0x39).memarg(3, offset);
  }
  /** block (no result) … end; `body` emits the inside. Branch depth 0 inside leaves it. */
  block(body: () => void): this {
    this.op(0x02, 0x40);
    body();
    return this.op(0x0b);
  }
  /** loop (no result) … end; branch depth 0 inside repeats it. */
  loop(body: () => void): this {
    this.op(0x03, 0x40);
    body();
    return this.op(0x0b);
  }
  br(depth: number): this {
    return this.op(0x0c).imm(depth);
  }
  brIf(depth: number): this {
    return this.op(0x0d).imm(depth);
  }
  v128Load(offset: number): this {
    return this.simd(SIMD.load).memarg(4, offset);
  }
  v128Store(offset: number): this {
    return this.simd(SIMD.store).memarg(4, offset);
  }
  /** Loads one f64 at address+offset into both lanes. */
  load64Splat(offset: number): this {
    return this.simd(SIMD.load64Splat).memarg(3, offset);
  }
  /** v128.const with both f64 lanes = v. */
  f64x2Const(v: number): this {
    this.simd(SIMD.const);
    scratch.setFloat64(0, v, true);
    for (let lane = 0; lane < 2; lane++) for (let b = 0; b < 8; b++) this.code.push(scratch.getUint8(b));
    return this;
  }
  f64x2Splat(): this {
    return this.simd(SIMD.f64x2Splat);
  }
  extractLane(lane: 0 | 1): this {
    return this.simd(SIMD.f64x2ExtractLane).op(lane);
  }
  replaceLane(lane: 0 | 1): this {
    return this.simd(SIMD.f64x2ReplaceLane).op(lane);
  }
  add(): this {
    return this.simd(SIMD.f64x2Add);
  }
  sub(): this {
    return this.simd(SIMD.f64x2Sub);
  }
  mul(): this {
    return this.simd(SIMD.f64x2Mul);
  }
  div(): this {
    return this.simd(SIMD.f64x2Div);
  }
  abs(): this {
    return this.simd(SIMD.f64x2Abs);
  }
  floor(): this {
    return this.simd(SIMD.f64x2Floor);
  }
  trunc(): this {
    return this.simd(SIMD.f64x2Trunc);
  }
  lt(): this {
    return this.simd(SIMD.f64x2Lt);
  }
  gt(): this {
    return this.simd(SIMD.f64x2Gt);
  }
  ge(): this {
    return this.simd(SIMD.f64x2Ge);
  }
  and(): this {
    return this.simd(SIMD.and);
  }
  /** a & ~b. */
  andNot(): this {
    return this.simd(SIMD.andNot);
  }
  /** (v1 & mask) | (v2 & ~mask), stack: v1 v2 mask. */
  bitselect(): this {
    return this.simd(SIMD.bitselect);
  }
  /** Shifts each i64 lane left by `bits`. */
  i64x2Shl(bits: number): this {
    this.i32(bits);
    return this.simd(SIMD.i64x2Shl);
  }

  /** The encoded body: locals (one entry each) and the code, terminated. */
  encode(): number[] {
    const body: number[] = [];
    uleb(this.locals.length, body);
    for (const t of this.locals) body.push(1, t);
    append(body, this.code);
    body.push(0x0b);
    const out: number[] = [];
    uleb(body.length, out);
    append(out, body);
    return out;
  }
}

/** Appends `from` to `out` (a loop: spreading a long array would exceed the call stack). */
function append(out: number[], from: number[]): void {
  for (const b of from) out.push(b);
}

function section(id: number, content: number[], out: number[]): void {
  out.push(id);
  uleb(content.length, out);
  append(out, content);
}

export interface ModuleSpec {
  /** Every function takes this many i32 parameters and returns nothing. */
  params: number;
  /** Imported as env.memory: initial and maximum pages of 64 KiB, shared or not. */
  memory: { initial: number; maximum: number; shared: boolean };
  functions: { name: string; body: FnBuilder }[];
}

/** The binary module. */
export function encodeModule(spec: ModuleSpec): Uint8Array {
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const type: number[] = [1, 0x60];
  uleb(spec.params, type);
  for (let i = 0; i < spec.params; i++) type.push(I32);
  type.push(0);
  section(1, type, out);
  const imp: number[] = [1];
  name('env', imp);
  name('memory', imp);
  imp.push(0x02, spec.memory.shared ? 0x03 : 0x01);
  uleb(spec.memory.initial, imp);
  uleb(spec.memory.maximum, imp);
  section(2, imp, out);
  const fns: number[] = [];
  uleb(spec.functions.length, fns);
  for (let i = 0; i < spec.functions.length; i++) fns.push(0);
  section(3, fns, out);
  const exp: number[] = [];
  uleb(spec.functions.length, exp);
  spec.functions.forEach((f, i) => {
    name(f.name, exp);
    exp.push(0x00);
    uleb(i, exp);
  });
  section(7, exp, out);
  const code: number[] = [];
  uleb(spec.functions.length, code);
  for (const f of spec.functions) append(code, f.body.encode());
  section(10, code, out);
  return new Uint8Array(out);
}
