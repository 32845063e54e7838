/**
 * The WebGPU engine behind the SimEngine contract (float32 on the GPU, diagnostics returned in
 * float64). `advance(k)` encodes k whole steps into one command buffer and one submit, and reads
 * the k records back with one mapAsync from a pool of staging buffers: a second `advance` may be
 * called before the first resolves, and results resolve in call order.
 *
 * `stepIndex` counts the steps submitted: the reads run in queue order, so a read sees the state
 * at the step of its call (the contract's meaning).
 *
 * Failures: a non-finite step rejects with NonFiniteError (state rolled back to the start of that
 * batch, further steps refused until `restore`); a lost device calls `onLost` and rejects
 * pending calls with DeviceLostError; `restore(snapshot)` continues on the same device or, once
 * it is lost, on a new one (`rebuildFrom` chooses the device).
 */
import { DIAG_SIZE } from '../model/attention';
import { GPU_PAIR_HEADS_PER_S } from '../model/cost';
import {
  assertRestorable,
  engineShape,
  type EngineGpuResources,
  type EngineSnapshot,
  type PositionsLayout,
  type SimEngine,
  type StepBatch,
  type WeightsLayout,
} from '../model/engine';
import { DeviceLostError, EngineCancelledError, NonFiniteError } from '../model/engine-errors';
import { initialTokens, initialWeights } from '../model/init';
import type { Drift, Scenario } from '../model/scenario';
import { acquireDevice, adapterName, type DeviceOptions } from './device';
import { decodeRecords, type ReadbackSlot } from './readback';
import { shaderSources } from './shaders';
import { StepEncoder } from './step-encoder';
import { chooseTunables, type KernelTunables } from './tunables';
import { SubmitPace } from './submit-pace';
import type { StepSpec } from './uniforms';

/** createGpuEngine's options: where to run, and tunables replacing the adapter's (tests, benchmarks). */
export interface EngineOptions extends DeviceOptions {
  /** Fields replacing those of the adapter's row of tunables.ts (validated; a RangeError names a bad field). */
  tunables?: Partial<KernelTunables>;
}

/** The frame budget of setFrameBudget: milliseconds of GPU time per submit, or a fixed range size. */
export type FrameBudget = { ms: number } | { columns: number };

/** The longest a split batch waits for the batch gate (setBatchGate) before it submits anyway. */
export const BATCH_GATE_MAX_MS = 200;

/**
 * The most a measured per-column GPU time may exceed the prior (GPU_PAIR_HEADS_PER_S, software
 * rendering on 2 cores, the slowest adapter): more is the queue's other work, not this engine's.
 * Round trips include whatever shares the queue (the other engines of a variants run, the
 * renderer's draws) and a browser delivers their completions in batches, so three variants on one
 * device measured 140–440 ms for a column of microseconds, split every batch into awaited
 * one-column submits and stalled (a few steps in 20 s). Real per-column times seen: up to ~3× the
 * prior (SwiftShader on a 2-core EPYC, n = 16,384).
 */
export const MEASURED_CAP = 8;

interface Submitted {
  slot: ReadbackSlot;
  jumps: boolean[];
  bytes: number;
}

export class GpuEngine implements SimEngine {
  readonly kind = 'gpu';
  /** Steps submitted: the state (once the queue drains) is at t = stepIndex·dt; reads see this step. */
  stepIndex = 0;
  /** Called once when the device is lost (not after destroy()); then call restore. */
  onLost: ((error: DeviceLostError) => void) | undefined;

  private encoder!: StepEncoder;
  /** The kernel tunables in use: the adapter's row of tunables.ts (named) with the options' fields on top. */
  kernelTunables!: { row: string; tunables: KernelTunables };
  private drift: Drift;
  private failure: Error | undefined;
  private lost: DeviceLostError | undefined;
  private destroyed = false;
  /** Serialises encoding and submission (awaiting a drift rebuild) in call order. */
  private submitTail: Promise<unknown> = Promise.resolve();
  /** Serialises the resolution of advance/evaluate results in call order. */
  private resultTail: Promise<unknown> = Promise.resolve();
  private budget: FrameBudget | undefined;
  /** Measured GPU time per attention column and the submit latency (src/gpu/submit-pace.ts). */
  private readonly pace = new SubmitPace();
  private latencyProbe: Promise<void> | undefined;
  /** Steps whose batch has resolved, and the furthest point a split batch has reached (fractional). */
  private finishedSteps = 0;
  private splitProgress = 0;
  /** Awaited before a split batch's first submit, once the batch before it has resolved (setBatchGate). */
  private gate: (() => Promise<void>) | undefined;

  private constructor(
    readonly scenario: Scenario,
    private device: GPUDevice,
    private owned: boolean,
    private readonly options: DeviceOptions,
    private readonly tunableOverride: Partial<KernelTunables>,
  ) {
    this.drift = scenario.weights.drift;
  }

  /** Builds the engine for `scenario` on `options.device`, or on a new device of `options.gpu` / navigator.gpu. */
  static async create(scenario: Scenario, options: EngineOptions = {}): Promise<GpuEngine> {
    chooseTunables(undefined, options.tunables); // a bad override fails before a device is requested
    const { device, owned } = await acquireDevice(options);
    const engine = new GpuEngine(scenario, device, owned, { gpu: options.gpu }, options.tunables ?? {});
    try {
      await engine.build({
        shape: engineShape(scenario),
        stepIndex: 0,
        positions: initialTokens(scenario),
        weights: initialWeights(scenario),
        drift: scenario.weights.drift,
      });
    } catch (e) {
      engine.destroy();
      throw e;
    }
    return engine;
  }

  /** The one rebuild path: everything for the current device, then the snapshot uploaded. */
  private async build(snapshot: EngineSnapshot): Promise<void> {
    const device = this.device;
    this.drift = structuredClone(snapshot.drift);
    void device.lost.then((info) => {
      if (this.destroyed || this.device !== device) return;
      this.lost = new DeviceLostError(info.message || info.reason || 'unknown');
      this.onLost?.(this.lost);
    });
    this.kernelTunables = chooseTunables(device.adapterInfo, this.tunableOverride);
    const sources = await shaderSources();
    this.encoder = await StepEncoder.create(device, this.scenario, this.drift, sources, this.kernelTunables.tunables);
    this.encoder.state.upload(snapshot.positions, snapshot.weights);
    this.stepIndex = snapshot.stepIndex;
    this.finishedSteps = snapshot.stepIndex;
    this.splitProgress = snapshot.stepIndex;
  }

  /** The device the engine runs on (share it with a renderer). */
  get gpuDevice(): GPUDevice {
    return this.device;
  }

  /** Adapter name for status lines. */
  get adapterName(): string {
    return adapterName(this.device);
  }

  /** Current tokens on the GPU, laid out as `positionsLayout` says (STORAGE | COPY_SRC | COPY_DST). */
  get positionsBuffer(): GPUBuffer {
    return this.encoder.state.positions;
  }

  get positionsLayout(): PositionsLayout {
    const { replicas, n, d } = this.scenario;
    return { format: 'float32', replicas, tokens: n, stride: d, byteLength: replicas * n * d * 4 };
  }

  get weightsLayout(): WeightsLayout {
    const { replicas, heads, d } = this.scenario;
    return { format: 'float32', replicas, heads, d, byteLength: replicas * heads * d * d * 4 };
  }

  /** The device and state buffers of now (new ones after a restore on a new device); undefined once destroyed. */
  get gpu(): EngineGpuResources | undefined {
    if (this.destroyed || !this.encoder) return undefined;
    const { state } = this.encoder;
    return {
      device: this.device,
      positions: state.positions,
      positionsLayout: this.positionsLayout,
      weights: state.weights,
      weightsLayout: this.weightsLayout,
    };
  }

  /** Bytes of every GPU buffer the engine holds now. */
  get totalBufferBytes(): number {
    return this.encoder?.pool.bytes ?? 0;
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.submitTail.then(() => {
      if (this.destroyed) throw new EngineCancelledError('GpuEngine was destroyed');
      if (this.lost) throw this.lost;
      return work();
    });
    this.submitTail = next.catch(() => {});
    return next;
  }

  /**
   * The frame budget: at most `ms` of GPU time per submit, or a fixed `columns` per submit
   * (tests, benchmarks), a column being one token workgroup of one head (over all replicas);
   * undefined (the default) submits each batch whole. With `ms`, batches go whole (so small runs
   * pay nothing) until measured submits show that one attention dispatch would pass the budget;
   * from then on each dispatch is split into ranges of token workgroups and heads, a submit each,
   * of about `ms`, the range size following each submit's measured GPU time (from its submit, or
   * the completion of the work queued before it, to its own completion, less the smallest round trip seen: src/gpu/submit-pace.ts).
   * When one column alone is past `ms`, the ranges are columns of the attention pass's fine
   * pipeline (FINE_WG invocations: a quarter of the tokens), built in the background the first
   * time it is needed — here already when the prior says so.
   * With `columns`, ranges of that many columns, or whole dispatches several to a submit. Resolves
   * when the budget is in force (with `ms`: once the latency is measured and any fine pipeline the
   * prior calls for is built; batches go whole till then; it never rejects). A batch still
   * resolves only when all of its steps are done; stepIndex and the results do not depend on the
   * split.
   */
  setFrameBudget(budget: FrameBudget | undefined): Promise<void> {
    if (budget && 'ms' in budget && !(Number.isFinite(budget.ms) && budget.ms > 0))
      throw new RangeError(`setFrameBudget: ms must be a positive number, got ${budget.ms}`);
    if (budget && 'columns' in budget && !(Number.isInteger(budget.columns) && budget.columns >= 1))
      throw new RangeError(`setFrameBudget: columns must be a positive integer, got ${budget.columns}`);
    this.budget = budget && ('ms' in budget ? { ms: budget.ms } : { columns: budget.columns });
    if (this.budget && 'ms' in this.budget && this.pace.latencyMs === undefined)
      this.latencyProbe ??= this.probeLatency();
    const ready = [this.latencyProbe];
    if (this.budget && 'ms' in this.budget && this.priorMsPerColumn() > this.budget.ms)
      ready.push(this.encoder.fineAttention.prepareFine());
    return Promise.all(ready).then(() => {});
  }

  /**
   * A gate between split batches (the page: "the next animation frame has run and its draw's GPU
   * work is done"): a batch
   * that the frame budget splits waits, before its first submit, until the batch before it has
   * resolved and then for `gate()` (at most BATCH_GATE_MAX_MS). So the frame that draws a
   * finished step has the GPU to itself instead of queuing behind a submit of up to a budget's
   * GPU time. Costs a round trip and a frame per split batch, which
   * takes many frames anyway; batches that go whole never wait. Undefined: no gate.
   */
  setBatchGate(gate: (() => Promise<void>) | undefined): void {
    this.gate = gate;
  }

  /** Times a few empty submits (the smallest round trip is the latency); in the background. */
  private async probeLatency(): Promise<void> {
    let best = Number.POSITIVE_INFINITY;
    try {
      for (let i = 0; i < 3; i++) {
        await this.device.queue.onSubmittedWorkDone();
        const start = performance.now();
        this.device.queue.submit([]);
        await this.device.queue.onSubmittedWorkDone();
        best = Math.min(best, performance.now() - start);
      }
    } catch {
      return; // a lost or destroyed device: the budget stays unmeasured (whole batches)
    }
    this.pace.latency(best);
  }

  /**
   * Columns per range for the next submit, or undefined to submit the batch whole; `fine`: the
   * columns are the fine pipeline's (a quarter of the tokens each), used when one regular column
   * alone is past a millisecond budget.
   */
  private rangeColumns(attentionOps: number): { per: number; fine: boolean } | undefined {
    const b = this.budget;
    if (!b) return undefined;
    const columns = this.encoder.attentionGroups * this.scenario.heads;
    // Past one dispatch's columns: whole dispatches, several to a submit.
    if ('columns' in b) return { per: b.columns, fine: false };
    // Before a measurement, a prior at the slowest adapter's rate: a first dispatch of seconds is
    // split from the start, and a fast GPU pays for that once (a few frames) before its own figure.
    const prior = this.priorMsPerColumn();
    const per = Math.min(this.pace.msPerColumn ?? prior, MEASURED_CAP * prior);
    // Every dispatch fits: whole, and measured. Only a dispatch past the budget is split: each extra
    // submit is awaited, which in a browser costs up to a frame, far more than the small dispatches
    // of a batch would gain by being spread out.
    if (attentionOps === 0 || columns * per <= b.ms) return undefined;
    if (per <= b.ms) return { per: Math.min(columns - 1, Math.floor(b.ms / per)), fine: false };
    // One column is already past the budget: the fine pipeline's columns, once it is built.
    const fine = this.encoder.fineAttention;
    void fine.prepareFine();
    if (!fine.fineReady || fine.fineRatio === 1) return { per: 1, fine: false };
    const fineColumns = fine.fineGroups * this.scenario.heads;
    return { per: Math.max(1, Math.min(fineColumns - 1, Math.floor(b.ms / (per * fine.fineRatio)))), fine: true };
  }

  /** Milliseconds of one attention column at GPU_PAIR_HEADS_PER_S (software rendering's rate). */
  private priorMsPerColumn(): number {
    const { n, d, replicas: P } = this.scenario;
    const tokens = Math.min(n, Math.ceil(n / this.encoder.attentionGroups));
    return (1000 * tokens * n * P * (d / 3)) / GPU_PAIR_HEADS_PER_S;
  }

  /**
   * The steps finished plus the share of a split batch done so far (≤ stepIndex): progress inside
   * a step that takes several submits (the frame budget).
   */
  stepsDone(): number {
    return Math.min(this.stepIndex, Math.max(this.finishedSteps, this.splitProgress));
  }

  /**
   * The ranges of one attention dispatch of `per` columns at most: whole heads over several token
   * workgroups when `per` ≥ H, else heads of one token workgroup.
   */
  private ranges(per: number, fine: boolean): { group: number; head: number; groups: number; heads: number }[] {
    const G = fine ? this.encoder.fineAttention.fineGroups : this.encoder.attentionGroups;
    const H = this.scenario.heads;
    const out: { group: number; head: number; groups: number; heads: number }[] = [];
    if (per >= H) {
      const step = Math.floor(per / H);
      for (let g = 0; g < G; g += step) out.push({ group: g, head: 0, groups: Math.min(step, G - g), heads: H });
    } else {
      for (let g = 0; g < G; g++)
        for (let h = 0; h < H; h += per) out.push({ group: g, head: h, groups: 1, heads: Math.min(per, H - h) });
    }
    return out;
  }

  /** Submits `enc` and, with a frame budget, awaits (`wait`) and measures its GPU time. */
  private async flush(enc: GPUCommandEncoder, columns: number, wait: boolean): Promise<void> {
    const measure = this.budget !== undefined && 'ms' in this.budget;
    // When the work queued before this submit is done: other engines on the device (variants) and
    // the renderer's draws share the queue, and their work is not this submit's.
    let priorDone = Number.NEGATIVE_INFINITY;
    if (measure)
      void this.device.queue
        .onSubmittedWorkDone()
        .then(() => {
          priorDone = performance.now();
        })
        .catch(() => {});
    const start = performance.now();
    this.device.queue.submit([enc.finish()]);
    if (!measure) {
      if (wait) await this.device.queue.onSubmittedWorkDone();
      return;
    }
    const done = this.device.queue.onSubmittedWorkDone().then(() => {
      // Submits finish in order: this one's work began at its submit or when whatever was queued
      // before it (this engine's earlier submits included) finished, whichever is later.
      this.pace.observe(performance.now() - Math.max(start, priorDone), columns);
    });
    if (wait) await done;
    else void done.catch(() => {});
  }

  /** Waits for the batch before this one (`previous`), then for the gate, at most BATCH_GATE_MAX_MS. */
  private async passGate(previous: Promise<unknown>): Promise<void> {
    const gate = this.gate;
    if (!gate) return;
    await previous;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      gate().catch(() => {}),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, BATCH_GATE_MAX_MS);
      }),
    ]);
    clearTimeout(timer);
    if (this.destroyed) throw new EngineCancelledError('GpuEngine was destroyed');
    if (this.lost) throw this.lost;
    if (this.failure) throw this.failure;
  }

  private async submit(specs: StepSpec[], evaluateOnly: boolean, previous: Promise<unknown>): Promise<Submitted> {
    if (this.failure) throw this.failure;
    const e = this.encoder;
    await e.ready;
    // A split batch: let the page draw the result of the one before it first (setBatchGate).
    if (!evaluateOnly && this.gate && this.rangeColumns(1) !== undefined) await this.passGate(previous);
    const jumps = e.prepare(specs, this.drift);
    const bytes = e.reduce.bytes(specs.length);
    const slot = e.readback.acquire(bytes);
    try {
      let enc = this.device.createCommandEncoder({ label: 'GpuEngine.steps' });
      if (!evaluateOnly) {
        enc.copyBufferToBuffer(e.state.positions, 0, slot.backupPositions, 0, e.state.positionBytes);
        enc.copyBufferToBuffer(e.state.weights, 0, slot.backupWeights, 0, e.state.weightBytes);
      }
      const ops = e.ops(jumps, evaluateOnly);
      const attentionOps = ops.filter((op) => op.attention).length;
      const split = this.rangeColumns(attentionOps);
      let pass = enc.beginComputePass({ label: 'GpuEngine.steps.pass' });
      let columns = 0;
      if (split === undefined) {
        for (const op of ops) e.encodeOp(pass, op);
        columns = attentionOps * e.attentionGroups * this.scenario.heads;
      } else {
        // Ranges of at most `per` columns, as many to a submit as fit in `per` (each range's first
        // workgroup and head are a queue write before the submit that runs it).
        const { per, fine } = split;
        const ranges = this.ranges(per, fine);
        // The time of a fine column is counted as its share of a regular one.
        const weight = fine ? e.fineAttention.fineRatio : 1;
        const first = specs[0]!.step;
        const allColumns = attentionOps * (fine ? e.fineAttention.fineGroups : e.attentionGroups) * this.scenario.heads;
        let done = 0;
        // Whole dispatches (firsts 0, 0) may share a submit; a part of one has the submit to itself.
        const whole = ranges.length === 1;
        for (const op of ops) {
          if (!op.attention) {
            e.encodeOp(pass, op);
            continue;
          }
          for (const range of ranges) {
            if (columns > 0 && (!whole || columns + range.groups * range.heads > per)) {
              pass.end();
              await this.flush(enc, columns * weight, true);
              done += columns;
              if (!evaluateOnly) this.splitProgress = first + (0.999 * specs.length * done) / allColumns;
              if (this.destroyed) throw new EngineCancelledError('GpuEngine was destroyed');
              if (this.lost) throw this.lost;
              if (this.failure) throw this.failure;
              enc = this.device.createCommandEncoder({ label: 'GpuEngine.steps.range' });
              pass = enc.beginComputePass({ label: 'GpuEngine.steps.range.pass' });
              columns = 0;
            }
            e.setRangeFirst(range.group, range.head);
            e.encodeOp(pass, op, range, fine);
            columns += range.groups * range.heads;
          }
        }
        columns *= weight;
      }
      pass.end();
      enc.copyBufferToBuffer(e.reduce.records, 0, slot.staging, 0, bytes);
      await this.flush(enc, columns, false);
      if (split !== undefined) e.setRangeFirst(0, 0);
    } catch (err) {
      e.readback.release(slot);
      throw err;
    }
    return { slot, jumps, bytes };
  }

  /** Submits, maps and decodes one batch; results settle in call order. */
  private run(firstStep: number, steps: number, evaluateOnly: boolean): Promise<Float64Array> {
    const specs = Array.from({ length: steps }, (_, i) => ({ step: firstStep + i, evaluateOnly }));
    const previous = this.resultTail;
    const submitted = this.enqueue(() => this.submit(specs, evaluateOnly, previous));
    const result = (async () => {
      const sub = await submitted;
      const encoder = this.encoder;
      try {
        await sub.slot.staging.mapAsync(GPUMapMode.READ, 0, sub.bytes);
        await previous;
        if (this.failure) throw this.failure;
        const data = sub.slot.staging.getMappedRange(0, sub.bytes).slice(0);
        const { records, bad } = decodeRecords(data, this.scenario, steps, sub.jumps);
        if (bad) {
          const P = this.scenario.replicas;
          const good: StepBatch = { firstStep, steps: bad.row, records: records.slice(0, bad.row * P * DIAG_SIZE) };
          const error = new NonFiniteError({
            step: firstStep + bad.row,
            replica: bad.replica,
            what: bad.what,
            resumeStep: firstStep,
            good,
          });
          if (!evaluateOnly) this.rollBack(sub.slot, firstStep, error);
          throw error;
        }
        return records;
      } catch (err) {
        throw this.lost ?? err;
      } finally {
        if (this.encoder === encoder && !this.destroyed) encoder.readback.release(sub.slot);
      }
    })();
    this.resultTail = result.catch(() => {});
    return result;
  }

  /** Restores the state saved at the start of the failing batch and refuses further steps. */
  private rollBack(slot: ReadbackSlot, firstStep: number, error: NonFiniteError): void {
    const { state } = this.encoder;
    const enc = this.device.createCommandEncoder({ label: 'GpuEngine.rollBack' });
    enc.copyBufferToBuffer(slot.backupPositions, 0, state.positions, 0, state.positionBytes);
    enc.copyBufferToBuffer(slot.backupWeights, 0, state.weights, 0, state.weightBytes);
    this.device.queue.submit([enc.finish()]);
    this.stepIndex = firstStep;
    this.failure = error;
  }

  async advance(k: number): Promise<StepBatch> {
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`advance: k must be a positive integer, got ${k}`);
    if (this.failure) throw this.failure;
    const firstStep = this.stepIndex;
    this.stepIndex += k;
    const records = await this.run(firstStep, k, false);
    this.finishedSteps = Math.max(this.finishedSteps, firstStep + k);
    return { firstStep, steps: k, records };
  }

  evaluate(): Promise<Float64Array> {
    return this.run(this.stepIndex, 1, true);
  }

  /** Copies a state buffer into a temporary staging buffer and maps it. */
  private read(which: 'positions' | 'weights'): Promise<Float32Array> {
    return this.enqueue(async () => {
      const { state, pool } = this.encoder;
      const src = which === 'positions' ? state.positions : state.weights;
      const bytes = which === 'positions' ? state.positionBytes : state.weightBytes;
      const staging = pool.create(`GpuEngine.read.${which}`, bytes, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
      const enc = this.device.createCommandEncoder({ label: `GpuEngine.read.${which}` });
      enc.copyBufferToBuffer(src, 0, staging, 0, bytes);
      this.device.queue.submit([enc.finish()]);
      return staging;
    }).then(async (staging) => {
      try {
        await staging.mapAsync(GPUMapMode.READ);
        return new Float32Array(staging.getMappedRange().slice(0, this.byteLength(which)));
      } catch (err) {
        throw this.lost ?? err;
      } finally {
        this.encoder.pool.release(staging);
      }
    });
  }

  private byteLength(which: 'positions' | 'weights'): number {
    return which === 'positions' ? this.encoder.state.positionBytes : this.encoder.state.weightBytes;
  }

  readPositions(): Promise<Float32Array> {
    return this.read('positions');
  }

  readWeights(): Promise<Float32Array> {
    return this.read('weights');
  }

  /** The state after the calls made so far (float32 tokens and weights, read back in queue order). */
  async snapshot(): Promise<EngineSnapshot> {
    const stepIndex = this.stepIndex;
    const drift = structuredClone(this.drift);
    const [positions, weights] = await Promise.all([this.readPositions(), this.readWeights()]);
    return { shape: engineShape(this.scenario), stepIndex, positions, weights, drift };
  }

  /**
   * Waits for pending calls, then puts `snapshot` in place: on the same device by writing the
   * state buffers (and the drift), on a new device when this one is lost (a full rebuild).
   */
  async restore(snapshot: EngineSnapshot): Promise<void> {
    assertRestorable(this.scenario, snapshot);
    if (this.destroyed) throw new EngineCancelledError('GpuEngine was destroyed');
    await this.drain();
    if (this.lost || !this.encoder) {
      await this.rebuildFrom(snapshot);
      return;
    }
    this.failure = undefined;
    this.setDrift(structuredClone(snapshot.drift));
    this.encoder.state.upload(snapshot.positions, snapshot.weights);
    this.stepIndex = snapshot.stepIndex;
    this.finishedSteps = snapshot.stepIndex;
    this.splitProgress = snapshot.stepIndex;
  }

  /** Settles once every call made so far has been submitted and resolved. */
  private async drain(): Promise<void> {
    await Promise.all([this.submitTail, this.resultTail]);
  }

  /** Live drift edit from the next submitted step on: same kind → a buffer write; new kind → weights pipeline rebuilt, state kept. */
  setDrift(drift: Drift): void {
    this.drift = drift;
    this.encoder.setDrift(drift);
  }

  /**
   * Rebuilds every GPU resource (on a new device when the old one is lost, or on `options.device`)
   * and restores `snapshot`, its drift included; clears a NonFiniteError halt.
   */
  async rebuildFrom(snapshot: EngineSnapshot, options: DeviceOptions = {}): Promise<void> {
    assertRestorable(this.scenario, snapshot);
    await this.drain();
    this.encoder?.destroy();
    if (options.device || this.lost) {
      if (this.owned && !this.lost) this.device.destroy();
      const acquired = await acquireDevice({ gpu: this.options.gpu, ...options });
      this.device = acquired.device;
      this.owned = acquired.owned;
    }
    this.lost = undefined;
    this.failure = undefined;
    await this.build(snapshot);
  }

  /** Releases every buffer (and the device when the engine requested it). */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.encoder?.destroy();
    if (this.owned) this.device.destroy();
  }
}
