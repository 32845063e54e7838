/**
 * What a run will cost before it starts: pair-head evaluations per step (P·n²·H) times the steps,
 * the memory of the engine's state and scratch, and the size of the CLI's output. Used by the CLI
 * (`npm run sim` refuses a run past the thresholds unless told --yes) and by the app (a banner
 * asks to confirm). The rates are measured figures (docs/BENCHMARKS.md), so the times are
 * estimates for a machine like the one they were measured on, not promises.
 */
import { TABLEAUX } from './integrators';
import { THREAD_MIN_PAIR_HEADS } from './kernel/row-kernel';
import { type Scenario, stepCount } from './scenario';

/**
 * Pair-heads per second of the float64 engine at d = 3 on one thread (BENCHMARKS.md, the
 * WebAssembly SIMD rows: 17.5–18.2 steps/s at n = 1,000, H = 10, Euler, on one core of the 2-core
 * AMD EPYC); threads multiply it for evaluations past the kernel's threading threshold.
 */
export const CPU_PAIR_HEADS_PER_S = 1.75e8;
/** Pair-heads per second of the WebGPU engine on SwiftShader (BENCHMARKS.md: 2.8e8 at n = 1,000, H = 10). */
export const GPU_PAIR_HEADS_PER_S = 2.8e8;
/** Bytes of one trace.csv row (replica, step, t, 6 diagnostics, 2 balances: ~20 characters each). */
export const CSV_ROW_BYTES = 200;
/** Bytes of one number in final.json (17 significant digits, sign, exponent, comma). */
const JSON_NUMBER_BYTES = 24;

export interface RunCost {
  /** P·n²·H: pair-head evaluations of one stage of one step. */
  pairHeadsPerStep: number;
  steps: number;
  /** pairHeadsPerStep · stages · steps · d/3: the work, in d = 3 Euler pair-heads. */
  work: number;
  /** Estimated seconds of one step and of the whole run on `engine`. */
  secondsPerStep: number;
  seconds: number;
  /** Bytes of the engine's state and scratch (float64 on the CPU; float32 buffers on the GPU). */
  memoryBytes: number;
  /** Bytes of trace.csv (recording every `every`-th step) and final.json. */
  outputBytes: number;
}

/**
 * The cost of running `s` to t = T on `engine`, recording every `every`-th step, with `threads`
 * float64 threads (the CLI's --threads, or the browser fallback's CPU threads).
 */
export function estimateCost(s: Scenario, engine: 'cpu' | 'gpu', every = 1, threads = 1): RunCost {
  const { n, d, heads: H, replicas: P } = s;
  const steps = stepCount(s);
  const stages = TABLEAUX[s.integrator].b.length;
  const pairHeadsPerStep = P * n * n * H;
  // One pair costs ~d (the logit ⟨u_i, x_j⟩ and the weighted sum of x_j); one token-head ~d² (u = βD x).
  const perStep = (pairHeadsPerStep * d + P * n * H * d * d) * stages;
  const threaded = n * n * H >= THREAD_MIN_PAIR_HEADS ? Math.max(1, threads) : 1;
  const rate = engine === 'cpu' ? CPU_PAIR_HEADS_PER_S * threaded : GPU_PAIR_HEADS_PER_S;
  const secondsPerStep = perStep / 3 / rate;
  const floatBytes = engine === 'cpu' ? 8 : 4;
  // Tokens and weights, their copies (stages, the roll-back point), the per-row logits and the heads' u.
  const stateFloats = P * n * d * (3 + stages) + P * H * d * d * (3 + stages) + n * (H * d + 2 * d + 4);
  const rows = P * (Math.floor(steps / every) + 2);
  return {
    pairHeadsPerStep,
    steps,
    work: (perStep / 3) * steps,
    secondsPerStep,
    seconds: secondsPerStep * steps,
    memoryBytes: stateFloats * floatBytes,
    outputBytes: rows * CSV_ROW_BYTES + (P * n * d + P * H * d * d) * JSON_NUMBER_BYTES,
  };
}

/** Past any of these a run asks to be confirmed (CLI: --yes; app: a banner button). */
export const COST_LIMITS = {
  /** Estimated wall time. */
  seconds: 600,
  /**
   * One step: past this the run is sluggish to watch (the CLI shows progress inside a step and
   * stops on a signal without waiting for it, but each row takes this long).
   */
  secondsPerStep: 1,
  memoryBytes: 2 * 1024 ** 3,
  outputBytes: 2 * 1024 ** 3,
} as const;

/** The reasons `cost` is past COST_LIMITS (empty when it is not). */
export function costWarnings(cost: RunCost, limits: Partial<Record<keyof typeof COST_LIMITS, number>> = {}): string[] {
  const lim = { ...COST_LIMITS, ...limits };
  const out: string[] = [];
  if (cost.seconds > lim.seconds) out.push(`~${formatSeconds(cost.seconds)} of compute`);
  if (cost.secondsPerStep > lim.secondsPerStep) out.push(`~${formatSeconds(cost.secondsPerStep)} per step`);
  if (cost.memoryBytes > lim.memoryBytes) out.push(`~${formatBytes(cost.memoryBytes)} of memory`);
  if (cost.outputBytes > lim.outputBytes) out.push(`~${formatBytes(cost.outputBytes)} of output`);
  return out;
}

/** One line: the work, the time, the memory and the output. */
export function describeCost(cost: RunCost, engine: 'cpu' | 'gpu'): string {
  return (
    `${cost.steps} steps × ${cost.pairHeadsPerStep.toExponential(2)} pair-heads (P·n²·H) ≈ ~${formatSeconds(cost.seconds)} ` +
    `on the ${engine} engine (~${formatSeconds(cost.secondsPerStep)} per step), ~${formatBytes(cost.memoryBytes)} of memory, ` +
    `~${formatBytes(cost.outputBytes)} of output`
  );
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return String(s);
  if (s < 1) return `${(s * 1000).toPrecision(2)} ms`;
  if (s < 120) return `${s.toPrecision(2)} s`;
  if (s < 7200) return `${(s / 60).toPrecision(2)} min`;
  if (s < 2 * 86400) return `${(s / 3600).toPrecision(2)} h`;
  return `${(s / 86400).toPrecision(2)} days`;
}

export function formatBytes(b: number): string {
  if (b < 1024 ** 2) return `${(b / 1024).toPrecision(2)} KB`;
  if (b < 1024 ** 3) return `${(b / 1024 ** 2).toPrecision(3)} MB`;
  return `${(b / 1024 ** 3).toPrecision(3)} GB`;
}
