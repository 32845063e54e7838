/**
 * URL query of the playground: `?preset=<id>&heads=<H>&n=<n>&spf=<steps per frame>&play=0`, or
 * `?s=z1.…` with a whole shared scenario (src/model/share.ts; `spf` and `play` still apply).
 * Values are parsed as plain numbers, matched against the preset list, or decoded and
 * validated as a scenario, never evaluated; anything not understood is reported and ignored.
 */
import { errorMessage } from '../model/format';
import { DEFAULT_PRESET_ID } from '../model/presets';
import type { Scenario } from '../model/scenario';
import { decodeScenario } from '../model/share';
import { ScenarioError } from '../model/validate';
import { paramsFromPreset, paramsFromScenario, PRESET_IDS, suggestedStepsPerFrame, type Params } from '../ui/params';

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

function positiveInt(q: URLSearchParams, key: string, warnings: string[]): number | undefined {
  const raw = q.get(key);
  if (raw === null) return undefined;
  const v = Number(raw);
  if (Number.isInteger(v) && v > 0) return v;
  warnings.push(`URL parameter ${key}="${raw.slice(0, 40)}" is not a positive integer; ignored`);
  return undefined;
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
  const heads = positiveInt(q, 'heads', warnings);
  const params = paramsFromPreset(id, heads);
  if (heads !== undefined) params.heads = heads;
  const n = positiveInt(q, 'n', warnings);
  if (n !== undefined) params.n = n;
  if (n !== undefined || heads !== undefined) params.stepsPerFrame = suggestedStepsPerFrame(params);
  const spf = positiveInt(q, 'spf', warnings);
  if (spf !== undefined) params.stepsPerFrame = spf;
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
    const scenario = await decodeScenario(start.shared);
    const params = paramsFromScenario(scenario, start.params.preset);
    const spf = new URLSearchParams(search).get('spf');
    if (spf !== null && Number.isInteger(Number(spf)) && Number(spf) > 0) params.stepsPerFrame = Number(spf);
    return { ...start, params, scenario };
  } catch (e) {
    return {
      ...start,
      error: `The shared link was not loaded: ${describeScenarioError(e)}. Showing the ${start.params.preset} preset instead.`,
    };
  }
}
