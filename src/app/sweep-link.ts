/**
 * The Sweep folder's fields in a link: `&sweep=over:epsilon;heads:2;sizes:1e-4,1e-3,1e-2;paths:3;n:64;T:2;engine:cpu;samples:100`
 * beside the `s=` scenario (src/model/share.ts), so that the link reruns the same sweep. Parsed
 * strictly (known keys once each, numbers as numbers, the sweep kinds by name; nothing
 * evaluated); a bad value throws naming the key and what it should be.
 */
import { isSweepOver, SWEEP_OVER_LIST, type SweepOver } from '../model/kinds/sweep-over';
import type { SweepEngine } from '../worker/sweep-protocol';

/** The fields a link carries (the folder's, as text and numbers). */
export interface SweepLinkFields {
  over: SweepOver;
  heads: string;
  sizes: string;
  paths: number;
  n: number;
  T: number;
  engine: SweepEngine;
  samples: number;
}

/** The `sweep` parameter's value for `f`. */
export function encodeSweepLink(f: SweepLinkFields): string {
  const list = (t: string) =>
    t
      .split(/[\s,;]+/)
      .filter((x) => x !== '')
      .join(',');
  return [
    `over:${f.over}`,
    `heads:${list(f.heads)}`,
    ...(f.over === 'heads' ? [] : [`sizes:${list(f.sizes)}`, `samples:${f.samples}`]),
    `paths:${f.paths}`,
    `n:${f.n}`,
    `T:${f.T}`,
    `engine:${f.engine}`,
  ].join(';');
}

const NUMBER_LIST = /^[0-9.eE+-]+(,[0-9.eE+-]+)*$/;

/** The fields of a `sweep` parameter (those it gives); throws naming a bad key. */
export function parseSweepLink(text: string): Partial<SweepLinkFields> {
  if (text.length > 2000) throw new Error(`sweep link: ${text.length} characters (at most 2000)`);
  const out: Partial<SweepLinkFields> = {};
  const seen = new Set<string>();
  for (const part of text.split(';')) {
    const at = part.indexOf(':');
    const key = at < 0 ? part : part.slice(0, at);
    const value = at < 0 ? '' : part.slice(at + 1);
    const bad = (what: string) =>
      new Error(`sweep link: ${key.slice(0, 20)} should be ${what}, got "${value.slice(0, 40)}"`);
    if (seen.has(key)) throw new Error(`sweep link: ${key.slice(0, 20)} given twice`);
    seen.add(key);
    const positive = (integer: boolean) => {
      const v = /^[0-9.eE+]+$/.test(value) ? Number(value) : Number.NaN;
      if (!(Number.isFinite(v) && v > 0 && (!integer || Number.isInteger(v))))
        throw bad(integer ? 'a positive integer' : 'a positive number');
      return v;
    };
    switch (key) {
      case 'over':
        if (!isSweepOver(value)) throw bad(`one of ${SWEEP_OVER_LIST.join(', ')}`);
        out.over = value;
        break;
      case 'heads':
      case 'sizes':
        if (!NUMBER_LIST.test(value)) throw bad('a comma-separated list of numbers');
        out[key] = value.split(',').join(', ');
        break;
      case 'paths':
      case 'n':
      case 'samples':
        out[key] = positive(true);
        break;
      case 'T':
        out.T = positive(false);
        break;
      case 'engine':
        if (value !== 'cpu' && value !== 'gpu') throw bad('cpu or gpu');
        out.engine = value;
        break;
      default:
        throw new Error(`sweep link: unknown key "${key.slice(0, 20)}"`);
    }
  }
  return out;
}
