/**
 * The buffers shared between passes (layouts in layouts.ts): the state (tokens and weights), the
 * per-stage scratch, the attention accumulators and the per-token diagnostic partials. Sizes are
 * O(P·n·(S·d + H·(d + 3))) — nothing n×n.
 */
import type { Scenario } from '../model/scenario';
import type { SizedBuffer } from './device';
import { headAccFloats, SCALED_DIAG } from './layouts';
import type { BufferPool } from './resources';

const F32 = 4;

/**
 * Sizes of the shared buffers as perN·n + fixed bytes (for the capacity check and the docs);
 * `jSplits`: shares of the j range, each with its own accumulators (attention-pass.ts).
 */
export function statePlan(s: Scenario, stages: number, jSplits = 1): SizedBuffer[] {
  const { d, heads: H, replicas: P } = s;
  const dd = d * d;
  return [
    { label: 'positions', perN: P * d * F32, fixed: 0 },
    { label: 'stagePositions', perN: P * d * F32, fixed: 0 },
    { label: 'velocities', perN: stages * P * d * F32, fixed: 0 },
    { label: 'acc', perN: jSplits * P * H * headAccFloats(d) * F32, fixed: 0 },
    { label: 'partials', perN: P * SCALED_DIAG.size, fixed: 0 },
    { label: 'weights', perN: 0, fixed: P * H * dd * F32 },
    { label: 'stageWeights', perN: 0, fixed: stages * P * H * dd * F32 },
    { label: 'driftNoise', perN: 0, fixed: 2 * P * H * dd * F32 },
  ];
}

export class SimState {
  /** Tokens x [P][n][d], f32, tightly packed: the buffer a renderer on the same device can read. */
  readonly positions: GPUBuffer;
  readonly stagePositions: GPUBuffer;
  readonly velocities: GPUBuffer;
  /** Weights D [P][H][d][d]. */
  readonly weights: GPUBuffer;
  readonly stageWeights: GPUBuffer;
  readonly driftNoise: GPUBuffer;
  readonly acc: GPUBuffer;
  readonly partials: GPUBuffer;

  constructor(
    private readonly pool: BufferPool,
    readonly scenario: Scenario,
    stages: number,
    jSplits = 1,
  ) {
    const size = (label: string) => {
      const b = statePlan(scenario, stages, jSplits).find((x) => x.label === label)!;
      return b.perN * scenario.n + b.fixed;
    };
    const make = (label: string) => pool.storage(`SimState.${label}`, size(label));
    this.positions = make('positions');
    this.stagePositions = make('stagePositions');
    this.velocities = make('velocities');
    this.weights = make('weights');
    this.stageWeights = make('stageWeights');
    this.driftNoise = make('driftNoise');
    this.acc = make('acc');
    this.partials = make('partials');
  }

  /** Bytes of the token state [P][n][d] f32. */
  get positionBytes(): number {
    const { replicas: P, n, d } = this.scenario;
    return P * n * d * F32;
  }

  /** Bytes of the weight state [P][H][d][d] f32. */
  get weightBytes(): number {
    const { replicas: P, heads: H, d } = this.scenario;
    return P * H * d * d * F32;
  }

  /** Uploads tokens [P][n][d] and weights [P][H][d][d] (converted to f32). */
  upload(x: ArrayLike<number>, D: ArrayLike<number>): void {
    const queue = this.pool.device.queue;
    queue.writeBuffer(this.positions, 0, Float32Array.from(x));
    queue.writeBuffer(this.weights, 0, Float32Array.from(D));
  }
}
