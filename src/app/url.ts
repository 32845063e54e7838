/**
 * URL query of the playground: `?preset=<id>&heads=<H>&n=<n>&spf=<steps per frame>&play=0`. Values are parsed as
 * plain numbers or matched against the preset list, never evaluated; anything not understood
 * is reported and ignored.
 */
import { DEFAULT_PRESET_ID } from '../model/presets';
import { paramsFromPreset, PRESET_IDS, suggestedStepsPerFrame, type Params } from '../ui/params';

/** The starting params and what in the query was ignored. */
export interface UrlStart {
  params: Params;
  /** Start paused (`play=0`), e.g. for screenshots of the initial state. */
  paused: boolean;
  warnings: string[];
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
    warnings.push(`unknown preset "${id.slice(0, 40)}" (known: ${PRESET_IDS.join(', ')}); showing ${DEFAULT_PRESET_ID}`);
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
  return { params, paused: q.get('play') === '0', warnings };
}
