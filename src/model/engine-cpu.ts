/**
 * The float64 reference engine: P replicas of n tokens under H heads, stepped exactly as
 * MODEL.md says (Euler + renormalisation and Euler–Maruyama weights, as the paper's code;
 * Heun and RK4 as extensions). It is the ground truth every other engine is tested against.
 *
 * Order of one step k (t_k = k·dt): the diagnostics are evaluated at (x_k, D_k) with this
 * step's drift and noise increment; then tokens and weights advance together.
 */
import { AttentionField, DIAG, DIAG_SIZE, type FieldParams } from './attention';
import { drainRows, type RowJob } from './kernel/row-kernel';
import { initialTokens, initialWeights, weightOffsets } from './init';
import { TABLEAUX, type Tableau } from './integrators';
import { Philox } from './rng';
import { driftInto, layerIndex, noiseIncrements, scheduledWeights } from './schedule';
import { stepCount, type Drift, type Scenario } from './scenario';
import { normalizeInPlace } from './linalg';

export class CpuEngine {
  /** Tokens [P][n][d]. */
  readonly x: Float64Array;
  /** Weights [P][H][d][d]. */
  readonly D: Float64Array;
  /** Completed steps k; the state is at t_k = k·dt. */
  stepIndex = 0;
  /** Replicas this engine holds: the scenario's, or 1 with the `replica` option. */
  readonly replicas: number;

  private drift: Drift;
  private readonly field: AttentionField;
  private readonly tableau: Tableau;
  private readonly params: FieldParams;
  private readonly rng: Philox;
  private readonly offsets: Float64Array;
  private readonly sigma: number;
  /** Index of this engine's replica 0 among the scenario's (its noise stream and perturbation). */
  private readonly firstReplica: number;
  // Scratch for one replica, allocated once.
  private readonly vStages: Float64Array[];
  private readonly fStages: Float64Array[];
  private readonly xStage: Float64Array;
  private readonly dStage: Float64Array;
  private readonly noise: Float64Array;
  private readonly z: Float64Array;
  private readonly target: Float64Array;
  private readonly dNext: Float64Array;

  /**
   * `threads`: threads for the attention rows (default: the cores available, or the CLI's
   * --threads; see src/model/kernel/row-kernel.ts). Results are the same bits for any count.
   * `replica`: hold only that replica of the scenario (its initial state, perturbation and
   * noise), giving the same bits as replica `replica` of the whole run (the sweep's path jobs).
   */
  constructor(
    readonly scenario: Scenario,
    options: { threads?: number; replica?: number } = {},
  ) {
    const { n, d, heads: H } = scenario;
    const r = options.replica;
    if (r !== undefined && !(Number.isInteger(r) && r >= 0 && r < scenario.replicas))
      throw new RangeError(`replica: expected an integer in 0…${scenario.replicas - 1}, got ${r}`);
    const one = <T extends Float64Array>(a: T): T =>
      r === undefined
        ? a
        : (a.slice((r * a.length) / scenario.replicas, ((r + 1) * a.length) / scenario.replicas) as T);
    this.replicas = r === undefined ? scenario.replicas : 1;
    this.firstReplica = r ?? 0;
    this.x = one(initialTokens(scenario));
    this.D = one(initialWeights(scenario));
    this.offsets = one(weightOffsets(scenario));
    this.drift = scenario.weights.drift;
    this.field = new AttentionField(n, d, H, options.threads);
    this.tableau = TABLEAUX[scenario.integrator];
    this.params = { beta: scenario.beta, unnormalized: scenario.attention === 'unnormalized' };
    this.rng = new Philox(scenario.seed);
    this.sigma = Math.sqrt(scenario.weights.noiseVariance);
    const stages = this.tableau.b.length;
    this.vStages = Array.from({ length: stages }, () => new Float64Array(n * d));
    this.fStages = Array.from({ length: stages }, () => new Float64Array(H * d * d));
    this.xStage = new Float64Array(n * d);
    this.dStage = new Float64Array(H * d * d);
    this.noise = new Float64Array(H * d * d);
    this.z = new Float64Array(d * d);
    this.target = new Float64Array(d * d);
    this.dNext = new Float64Array(H * d * d);
  }

  /** Simulated time t_k. */
  get time(): number {
    return this.stepIndex * this.scenario.dt;
  }

  /** Total steps of the scenario, T/dt. */
  get totalSteps(): number {
    return stepCount(this.scenario);
  }

  /** Replaces the weight drift from the next step on (live schedule edits; the caller validates it). */
  setDrift(drift: Drift): void {
    this.drift = drift;
  }

  /** The drift in force: the scenario's, or the last setDrift. */
  get currentDrift(): Drift {
    return this.drift;
  }

  /**
   * Puts the engine at step `stepIndex` with tokens `x` and weights `D` (copied) under `drift`.
   * That is the whole state: the noise of step k is drawn from Philox counters keyed by
   * (seed, k, replica, head, entry) (rng.ts), and the scratch arrays are rewritten every step.
   */
  restoreState(x: ArrayLike<number>, D: ArrayLike<number>, stepIndex: number, drift: Drift): void {
    this.x.set(x);
    this.D.set(D);
    this.stepIndex = stepIndex;
    this.drift = drift;
  }

  /**
   * Advances all replicas by one step. With `record` (length ≥ P·DIAG_SIZE), writes the
   * diagnostics of each replica at the state before the step.
   */
  step(record?: Float64Array): void {
    drainRows(this.stepping(record));
  }

  /** `step` as a generator of its row loads (see AttentionField.evaluation). */
  *stepping(record?: Float64Array): Generator<RowJob, void, void> {
    for (let r = 0; r < this.replicas; r++) yield* this.stepReplica(r, record);
    this.stepIndex++;
  }

  /** Diagnostics at the current state without stepping (dM and jump are 0: no step follows). */
  evaluate(record: Float64Array): void {
    drainRows(this.evaluation(record));
  }

  /** `evaluate` as a generator of its row loads. */
  *evaluation(record: Float64Array): Generator<RowJob, void, void> {
    const { n, d, heads: H } = this.scenario;
    const P = this.replicas;
    const t = this.time;
    for (let r = 0; r < P; r++) {
      const dOff = r * H * d * d;
      for (let h = 0; h < H; h++)
        driftInto(this.drift, this.D, dOff + h * d * d, d, h, H, t, this.fStages[0]!, h * d * d, this.target);
      this.noise.fill(0);
      yield* this.field.evaluation(
        this.x,
        r * n * d,
        this.D,
        dOff,
        this.params,
        this.vStages[0]!,
        { drift: this.fStages[0]!, noise: this.noise, noiseVariance: this.scenario.weights.noiseVariance },
        record,
        r * DIAG_SIZE,
      );
    }
  }

  private *stepReplica(r: number, record?: Float64Array): Generator<RowJob, void, void> {
    const s = this.scenario;
    const { n, d, heads: H, dt } = s;
    const dd = d * d;
    const xOff = r * n * d;
    const dOff = r * H * dd;
    const t = this.time;
    const { a, b, c } = this.tableau;
    const { x, D, xStage, dStage, noise } = this;

    if (this.sigma > 0)
      noiseIncrements(
        this.rng,
        this.stepIndex,
        s.perturbation.sharedNoise ? 0 : this.firstReplica + r,
        H,
        d,
        this.sigma,
        dt,
        noise,
        this.z,
      );
    else noise.fill(0);

    for (let st = 0; st < b.length; st++) {
      const ts = t + c[st]! * dt;
      const f = this.fStages[st]!;
      const v = this.vStages[st]!;
      let xs = x,
        xsOff = xOff,
        ds = D,
        dsOff = dOff;
      if (st > 0) {
        this.combine(xOff, dOff, a[st]!, c[st]!, ts, xStage, dStage);
        xs = xStage;
        xsOff = 0;
        ds = dStage;
        dsOff = 0;
      }
      for (let h = 0; h < H; h++) driftInto(this.drift, ds, dsOff + h * dd, d, h, H, ts, f, h * dd, this.target);
      if (st === 0 && record) {
        yield* this.field.evaluation(
          xs,
          xsOff,
          ds,
          dsOff,
          this.params,
          v,
          { drift: f, noise, noiseVariance: s.weights.noiseVariance },
          record,
          r * DIAG_SIZE,
        );
      } else {
        yield* this.field.evaluation(xs, xsOff, ds, dsOff, this.params, v);
      }
    }

    // Final combination into the state itself.
    this.combine(xOff, dOff, b, 1, t + dt, xStage, this.dNext);
    if (record && this.drift.kind === 'layers' && layerIndex(this.drift, t + dt) !== layerIndex(this.drift, t)) {
      // The schedule jumps during this step: its energy change at fixed tokens enters the balance.
      record[r * DIAG_SIZE + DIAG.jump] =
        this.field.energy(x, xOff, this.dNext, 0, s.beta) - record[r * DIAG_SIZE + DIAG.energy]!;
    }
    x.set(xStage, xOff);
    D.set(this.dNext, dOff);
  }

  /**
   * x_out = normalise(x_k + dt·Σ_j coef_j·flowSign·V_j), D_out = D_k + dt·Σ_j coef_j·F_j + cNoise·σΔW
   * (or the layer schedule at tOut) for replica at (xOff, dOff).
   */
  private combine(
    xOff: number,
    dOff: number,
    coef: number[],
    cNoise: number,
    tOut: number,
    xOut: Float64Array,
    dOut: Float64Array,
  ): void {
    const { n, d, heads: H, dt, flowSign } = this.scenario;
    const dd = d * d;
    const { x, D } = this;
    for (let e = 0; e < n * d; e++) {
      let acc = 0;
      for (let j = 0; j < coef.length; j++) if (coef[j] !== 0) acc += coef[j]! * this.vStages[j]![e]!;
      xOut[e] = x[xOff + e]! + dt * flowSign * acc;
    }
    for (let i = 0; i < n; i++) normalizeInPlace(xOut, i * d, d);
    if (this.drift.kind === 'layers') {
      scheduledWeights(this.drift, tOut, d, H, this.offsets, dOff, dOut, 0);
      return;
    }
    for (let e = 0; e < H * dd; e++) {
      let acc = 0;
      for (let j = 0; j < coef.length; j++) if (coef[j] !== 0) acc += coef[j]! * this.fStages[j]![e]!;
      dOut[e] = D[dOff + e]! + dt * acc + cNoise * this.noise[e]!;
    }
  }
}
