/**
 * Sharing a run: the whole scenario in a compact URL parameter (deflate-raw + base64url,
 * versioned "z1.") or as a JSON file. Everything read back goes through the validator, so a
 * bad link or file gives a ScenarioError naming the field and nothing else happens; decoding
 * is capped so a hostile link cannot exhaust memory. Same scenario + seed → same run.
 */
import type { Scenario } from './scenario';
import { parseScenarioJson, ScenarioError } from './validate';

const PREFIX = 'z1.';
/** Largest decompressed scenario accepted from a link (explicit points of big runs fit easily). */
export const MAX_SHARED_BYTES = 64 * 1024 * 1024;

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function pipe(
  bytes: Uint8Array,
  stream: CompressionStream | DecompressionStream,
  cap: number,
): Promise<Uint8Array> {
  const reader = new Blob([bytes as BlobPart]).stream().pipeThrough(stream).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > cap) {
      await reader.cancel();
      throw new Error(`larger than ${cap} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The scenario as a compact URL-safe string. */
export async function encodeScenario(s: Scenario): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(s));
  return PREFIX + toBase64Url(await pipe(json, new CompressionStream('deflate-raw'), Infinity));
}

/** Decodes and validates a shared string; throws ScenarioError (field "url" for a damaged link). */
export async function decodeScenario(param: string): Promise<Scenario> {
  if (!param.startsWith(PREFIX))
    throw new ScenarioError([
      {
        field: 'url',
        expected: `a link made by this app (starting "${PREFIX}")`,
        message: `url: expected a scenario link starting "${PREFIX}", got "${param.slice(0, 12)}…"`,
      },
    ]);
  let text: string;
  try {
    const bytes = await pipe(
      fromBase64Url(param.slice(PREFIX.length)),
      new DecompressionStream('deflate-raw'),
      MAX_SHARED_BYTES,
    );
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    throw new ScenarioError([
      {
        field: 'url',
        expected: 'an intact scenario link',
        message: `url: the scenario link is damaged or truncated (${(e as Error).message})`,
      },
    ]);
  }
  return parseScenarioJson(text);
}

/** URL of the current page with the scenario in the `s` query parameter (other parameters dropped). */
export async function scenarioUrl(base: string, s: Scenario): Promise<string> {
  const url = new URL(base);
  url.search = '';
  url.hash = '';
  url.searchParams.set('s', await encodeScenario(s));
  return url.toString();
}

/** Pretty JSON for a scenario file. */
export function scenarioFile(s: Scenario): string {
  return JSON.stringify(s, null, 2) + '\n';
}

/** Any text (a lesson's JSON) as a compact URL-safe string, in the scenario links' format. */
export async function encodeText(text: string): Promise<string> {
  return (
    PREFIX + toBase64Url(await pipe(new TextEncoder().encode(text), new CompressionStream('deflate-raw'), Infinity))
  );
}

/** The text of an `encodeText` string; throws an Error saying why for a damaged or foreign one. */
export async function decodeText(param: string, cap = MAX_SHARED_BYTES): Promise<string> {
  if (!param.startsWith(PREFIX)) throw new Error(`expected a link starting "${PREFIX}"`);
  const bytes = await pipe(fromBase64Url(param.slice(PREFIX.length)), new DecompressionStream('deflate-raw'), cap);
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}
