/**
 * URL query of the playground: `?preset=<id>&heads=<H>&n=<n>&spf=<steps per frame>&play=0
 * &threads=<CPU fallback threads>`, or
 * `?s=z1.…` with a whole shared scenario (src/model/share.ts; `spf` and `play` still apply).
 * Values are parsed as plain numbers, matched against the preset list, or decoded and
 * validated as a scenario, never evaluated; anything not understood is reported and ignored.
 */
import { errorMessage } from '../model/format';
import { DEFAULT_PRESET_ID } from '../model/presets';
import { LIMITS, type Scenario } from '../model/scenario';
import { ScenarioError } from '../model/validate';
import { fallbackThreadsError } from '../worker/fallback-threads';
import { parseScenarioOffThread } from '../worker/scenario-parse-client';
import {
  paramsFromPreset,
  paramsFromScenario,
  PRESET_IDS,
  recordScenario,
  suggestedStepsPerFrame,
  type Params,
} from '../ui/params';

/** The starting params and what in the query was ignored. */
export interface UrlStart {
  params: Params;
  /** Start paused (`play=0`), e.g. for screenshots of the initial state. */
  paused: boolean;
  warnings: string[];
  /** The raw `s` parameter (a shared scenario), not yet decoded. */
  shared?: string;
}

/** A start with the shared scenario decoded. */
export interface ResolvedStart extends UrlStart {
  /** The shared scenario, validated, to run as given (Controller.setOverride). */
  scenario?: Scenario;
  /** Why the shared scenario was refused (the field and what it should be). */
  error?: string;
}

/** Steps per frame from a link: the panel's range. */
export const SPF_MIN = 1;
export const SPF_MAX = 200;

function positiveInt(q: URLSearchParams, key: string, warnings: string[]): number | undefined {
  const raw = q.get(key);
  if (raw === null) return undefined;
  const v = Number(raw);
  if (raw.trim() !== '' && Number.isInteger(v) && v > 0) return v;
  warnings.push(`URL parameter ${key}="${raw.slice(0, 40)}" is not a positive integer; ignored`);
  return undefined;
}

/** `spf` from the query, clamped to the panel's 1…200 (with a warning when it was outside). */
function stepsPerFrame(q: URLSearchParams, warnings: string[]): number | undefined {
  const v = positiveInt(q, 'spf', warnings);
  if (v === undefined) return undefined;
  if (v > SPF_MAX) {
    warnings.push(
      `URL parameter spf=${String(v).slice(0, 20)} is above the panel's ${SPF_MAX} steps per frame; using ${SPF_MAX}`,
    );
    return SPF_MAX;
  }
  return Math.max(SPF_MIN, v);
}

/** `threads` from the query (the CPU fallback's row threads), or undefined with a warning naming what is allowed. */
function cpuThreads(q: URLSearchParams, warnings: string[]): number | undefined {
  const raw = q.get('threads');
  if (raw === null) return undefined;
  const v = raw.trim() === '' ? Number.NaN : Number(raw);
  const bad = fallbackThreadsError(v, 'URL parameter threads');
  if (!bad) return v;
  warnings.push(`${bad.replace(/got .*$/, `got "${raw.slice(0, 40)}"`)}; using the default`);
  return undefined;
}

/**
 * Sets `key` (n or heads) from the query if the preset's scenario stays valid with it; otherwise
 * a warning naming the value and what is allowed, and the preset's own value runs.
 */
function applySize(params: Params, key: 'n' | 'heads', v: number | undefined, warnings: string[]): boolean {
  if (v === undefined) return false;
  const before = params[key];
  // Range first: setting a huge H would refit a layer schedule to it before validation could refuse.
  const max = key === 'n' ? LIMITS.nMax : LIMITS.headsMax;
  if (v > max) {
    warnings.push(`URL parameter ${key}=${String(v).slice(0, 20)} is out of range (at most ${max}); using ${before}`);
    return false;
  }
  params[key] = v;
  try {
    recordScenario(params);
    return true;
  } catch (e) {
    params[key] = before;
    const why = e instanceof ScenarioError ? `${e.field} should be ${e.expected}` : errorMessage(e);
    warnings.push(`URL parameter ${key}=${String(v).slice(0, 20)} is out of range (${why}); using ${before}`);
    return false;
  }
}

/** Reads the query string (e.g. `location.search`). */
export function parseUrl(search: string): UrlStart {
  const q = new URLSearchParams(search);
  const warnings: string[] = [];
  let id = q.get('preset') ?? DEFAULT_PRESET_ID;
  if (!PRESET_IDS.includes(id)) {
    warnings.push(
      `unknown preset "${id.slice(0, 40)}" (known: ${PRESET_IDS.join(', ')}); showing ${DEFAULT_PRESET_ID}`,
    );
    id = DEFAULT_PRESET_ID;
  }
  let heads = positiveInt(q, 'heads', warnings);
  let params: Params;
  try {
    params = paramsFromPreset(id, heads !== undefined && heads <= LIMITS.headsMax ? heads : undefined);
    recordScenario(params);
  } catch {
    // The preset cannot be built with that H (out of range, or a preset whose H is fixed).
    params = paramsFromPreset(id);
  }
  if (heads !== undefined && !applySize(params, 'heads', heads, warnings)) heads = undefined;
  const n = positiveInt(q, 'n', warnings);
  const nSet = applySize(params, 'n', n, warnings);
  if (nSet || heads !== undefined) params.stepsPerFrame = suggestedStepsPerFrame(params);
  const spf = stepsPerFrame(q, warnings);
  if (spf !== undefined) params.stepsPerFrame = spf;
  const threads = cpuThreads(q, warnings);
  if (threads !== undefined) params.cpuThreads = threads;
  const shared = q.get('s');
  return { params, paused: q.get('play') === '0', warnings, ...(shared !== null && { shared }) };
}

/** Words for a refused scenario: the field, what it should be, and the validator's message. */
export function describeScenarioError(e: unknown): string {
  if (e instanceof ScenarioError) return `field "${e.field}" should be ${e.expected} (${e.message})`;
  return errorMessage(e);
}

/**
 * parseUrl, then the `s` scenario decoded and validated. A good one replaces the params
 * (`spf` still applies); a bad one leaves the preset's params and says which field is wrong.
 */
export async function resolveUrl(search: string): Promise<ResolvedStart> {
  const start = parseUrl(search);
  if (start.shared === undefined) return start;
  try {
    // Decoded and validated in a worker for a long link (inline in Node): the page keeps drawing.
    const scenario = await parseScenarioOffThread('link', start.shared);
    const params = paramsFromScenario(scenario, start.params.preset);
    const q = new URLSearchParams(search);
    const spf = stepsPerFrame(q, []);
    if (spf !== undefined) params.stepsPerFrame = spf;
    params.cpuThreads = start.params.cpuThreads;
    return { ...start, params, scenario };
  } catch (e) {
    return {
      ...start,
      error: `The shared link was not loaded: ${describeScenarioError(e)}. Showing the ${start.params.preset} preset instead.`,
    };
  }
}
