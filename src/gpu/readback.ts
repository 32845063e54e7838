/**
 * Readback: a small pool of MAP_READ staging buffers (each submit takes a free one, so a second
 * `advance` can be encoded while the first is still mapping), each with GPU-side copies of the
 * state at the start of its batch (restored when the batch turns out non-finite), and the decoding
 * of ScaledDiag records into float64 DIAG rows.
 */
import { DIAG, DIAG_FIELDS, DIAG_SIZE } from '../model/attention';
import type { Scenario } from '../model/scenario';
import type { NonFiniteWhat } from '../model/engine-errors';
import { offsetOf, SCALED_DIAG, SCALED_FIELDS, WGSL_CONSTS } from './layouts';
import type { BufferPool } from './resources';

/** One staging buffer and the batch-start backups of positions and weights. */
export interface ReadbackSlot {
  staging: GPUBuffer;
  backupPositions: GPUBuffer;
  backupWeights: GPUBuffer;
}

export class ReadbackPool {
  private readonly free: ReadbackSlot[] = [];
  private count = 0;

  constructor(
    private readonly pool: BufferPool,
    private readonly positionBytes: number,
    private readonly weightBytes: number,
  ) {}

  /** A free slot whose staging holds at least `bytes` (a new one when all are in flight). */
  acquire(bytes: number): ReadbackSlot {
    const slot = this.free.pop() ?? this.make();
    if (slot.staging.size < bytes) {
      this.pool.release(slot.staging);
      slot.staging = this.staging(bytes);
    }
    return slot;
  }

  release(slot: ReadbackSlot): void {
    if (slot.staging.mapState === 'mapped') slot.staging.unmap();
    this.free.push(slot);
  }

  private staging(bytes: number): GPUBuffer {
    return this.pool.create(
      `ReadbackPool.staging${this.count}`,
      bytes,
      GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    );
  }

  private make(): ReadbackSlot {
    const id = this.count++;
    return {
      staging: this.staging(SCALED_DIAG.size),
      backupPositions: this.pool.storage(`ReadbackPool.backupPositions${id}`, this.positionBytes),
      backupWeights: this.pool.storage(`ReadbackPool.backupWeights${id}`, this.weightBytes),
    };
  }
}

/** Factors that turn the raw sums into the DIAG values of attention.ts. */
function fieldScales(s: Scenario): number[] {
  const { beta, heads: H, n } = s;
  const n2 = n * n;
  return [1 / (2 * beta * H * n2), 1 / (2 * H * n2), 1 / n, 1 / (H * n2), 1 / (2 * H * n2), 1 / (2 * beta * H * n2)];
}

/** The first non-finite (row, replica) of a decoded batch. */
export interface NonFiniteAt {
  row: number;
  replica: number;
  what: NonFiniteWhat;
}

/**
 * Decodes `steps` rows of [P] ScaledDiag records into [steps][P][DIAG_SIZE] float64 rows.
 * `jumps[row]`: the layer changed during that step (jump = E after − E before, else 0).
 */
export function decodeRecords(
  data: ArrayBuffer,
  s: Scenario,
  steps: number,
  jumps: readonly boolean[],
): { records: Float64Array; bad?: NonFiniteAt } {
  const P = s.replicas;
  const f32 = new Float32Array(data);
  const u32 = new Uint32Array(data);
  const stride = SCALED_DIAG.size / 4;
  const expAt = offsetOf(SCALED_DIAG, 'exponent') / 4;
  const mantAt = offsetOf(SCALED_DIAG, 'mantissa') / 4;
  const flagsAt = offsetOf(SCALED_DIAG, 'flags') / 4;
  const scales = fieldScales(s);
  const records = new Float64Array(steps * P * DIAG_SIZE);
  let bad: NonFiniteAt | undefined;
  for (let row = 0; row < steps; row++) {
    for (let r = 0; r < P; r++) {
      const base = (row * P + r) * stride;
      const values = new Array<number>(SCALED_FIELDS);
      for (let f = 0; f < SCALED_FIELDS; f++)
        values[f] = f32[base + mantAt + f]! * Math.exp(f32[base + expAt + f]!) * scales[f]!;
      const out = (row * P + r) * DIAG_SIZE;
      for (let f = 0; f < DIAG.jump; f++) records[out + f] = values[f]!;
      records[out + DIAG.jump] = jumps[row] ? values[DIAG.jump]! - values[DIAG.energy]! : 0;
      if (bad) continue;
      let flags = u32[base + flagsAt]!;
      if (!jumps[row]) flags &= ~(1 << WGSL_CONSTS.FIELD_JUMP);
      for (let f = 0; f < DIAG_SIZE; f++) if (!Number.isFinite(records[out + f]!)) flags |= 1 << f;
      if (flags !== 0) {
        const field = DIAG_FIELDS.findIndex((_, f) => (flags & (1 << f)) !== 0);
        bad = { row, replica: r, what: field >= 0 ? DIAG_FIELDS[field]! : 'positions' };
      }
    }
  }
  return { records, bad };
}
