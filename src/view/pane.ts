/**
 * One drawn set of a run: a replica's tokens (with ghosts for the others in the main view),
 * its fading trails and the heads' principal axes. The main view (flow-view.ts) and the
 * side-by-side copy (side-by-side.ts) each hold one.
 */
import { HeadAxes } from './head-axes';
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
  /** Scratch for the drawn replica's projected positions [n][3]. */
  xyz: Float32Array;
}

/** The objects for a run of n tokens in R^d, H heads, P replicas; `tokenReplicas` solid + ghost sets. */
export function createPane(n: number, d: number, H: number, P: number, tokenReplicas: number): PaneObjects {
  return {
    n,
    d,
    H,
    P,
    tokens: new TokenLayer(n, tokenReplicas),
    trails: new Trails(Math.min(n, TRAILS_MAX_N)),
    axes: new HeadAxes(d, H),
    xyz: new Float32Array(3 * n),
  };
}

/** Frees the pane's GPU objects (after it was removed from the scene). */
export function disposePane(p: PaneObjects): void {
  p.tokens.dispose();
  p.trails.dispose();
  p.axes.dispose();
}
