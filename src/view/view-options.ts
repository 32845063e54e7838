/**
 * The view settings: the one list of what changes only the picture (applied live, the engine
 * untouched). The panel (src/ui/params.ts), the controller and the view all take their keys,
 * types and defaults from here.
 */

/** How tokens are coloured: by their initial cluster, by speed, or by the nearest current cluster. */
export type Colouring = 'initial cluster' | 'speed' | 'nearest cluster';
/** For d ≥ 4: the first three coordinates, or the principal axes of the shown replica. */
export type Projection = 'first three' | 'PCA';
/** How replicas are shown: copies ghosted over the original, or two panes. */
export type CompareLayout = 'overlaid' | 'side by side';

/** The view settings (all live). */
export interface ViewOptions {
  /** Radius (chordal distance) of the "nearest cluster" colouring. */
  clusterEpsilon: number;
  colouring: Colouring;
  trails: boolean;
  projection: Projection;
  /** The replica drawn solid; the others are ghosted when `ghosts` is on. */
  showReplica: number;
  ghosts: boolean;
  showAxes: boolean;
  /** Copies ghosted over the shown replica, or the original and copy `showReplica` side by side. */
  compareLayout: CompareLayout;
  /** Colour the sphere by a kernel density of replica 0's tokens (computed on the GPU; src/view/density-layer.ts). */
  density: boolean;
  /** Its bandwidth h in radians. */
  densityBandwidth: number;
}

/** The view settings' keys, in the panel's order. */
export const VIEW_KEYS = [
  'clusterEpsilon',
  'colouring',
  'trails',
  'projection',
  'showReplica',
  'ghosts',
  'showAxes',
  'compareLayout',
  'density',
  'densityBandwidth',
] as const satisfies readonly (keyof ViewOptions)[];

/** Trails are on by default for d up to this. */
const TRAILS_DEFAULT_MAX_D = 3;

/** The defaults of every view setting but `trails`, which depends on d (`viewDefaults`). */
export const VIEW_DEFAULTS: Readonly<Omit<ViewOptions, 'trails'>> = {
  clusterEpsilon: 0.05,
  colouring: 'initial cluster',
  projection: 'PCA',
  showReplica: 0,
  ghosts: true,
  showAxes: true,
  compareLayout: 'overlaid',
  density: false,
  densityBandwidth: 0.1,
};

/** The default view settings for a scenario of dimension `d`. */
export function viewDefaults(d: number): ViewOptions {
  return { ...VIEW_DEFAULTS, trails: d <= TRAILS_DEFAULT_MAX_D };
}
