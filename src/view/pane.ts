/**
 * One drawn set of a run: a replica's tokens (with ghosts for the others in the main view),
 * its fading trails and the heads' principal axes, all reading the run's one TokenSource. The
 * main view (flow-view.ts) and the side-by-side copy (side-by-side.ts) each hold one.
 */
import { HeadAxes } from './head-axes';
import type { TokenSource } from './token-source';
import { TokenLayer } from './tokens';
import { Trails } from './trails';

/** Trails are kept for at most this many tokens (the first ones): beyond it they cost more than they show. */
const TRAILS_MAX_N = 8192;

/** A pane's objects and sizes. */
export interface PaneObjects {
  n: number;
  d: number;
  H: number;
  P: number;
  tokens: TokenLayer;
  trails: Trails;
  axes: HeadAxes;
}

/** The objects for `source`'s run under H heads; `ghostSets` other replicas drawn ghosted. */
export function createPane(source: TokenSource, H: number, ghostSets: number): PaneObjects {
  const { n, d, replicas: P } = source;
  return {
    n,
    d,
    H,
    P,
    tokens: new TokenLayer(source, ghostSets),
    trails: new Trails(Math.min(n, TRAILS_MAX_N), source),
    axes: new HeadAxes(d, H),
  };
}

/** Frees the pane's GPU objects (after it was removed from the scene). */
export function disposePane(p: PaneObjects): void {
  p.tokens.dispose();
  p.trails.dispose();
  p.axes.dispose();
}
