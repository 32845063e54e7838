/**
 * The plots panel: the uPlot trace panels of src/ui/plots.ts, loaded lazily (uPlot is the
 * largest dependency after three) so the canvas shows before the plots are ready.
 */
import type { Traces } from '../worker/protocol';
import type { Ghost } from '../ui/plot-ghosts';

/** What the app needs of the plots. */
export interface PlotsPanel {
  update(traces: Traces): void;
  resize(): void;
  /** A line at time t on the plots (the timeline's rewound time), or none. */
  setMarker(t: number | undefined): void;
  /** Runs drawn faint beside the live one. */
  setGhosts(ghosts: readonly Ghost[]): void;
  readonly ghostLabels: string[];
  /** The marker time drawn. */
  readonly markerTime: number | undefined;
  destroy(): void;
}

/** The uPlot panels with large fonts (the playground is projected). */
export async function createPlotsPanel(container: HTMLElement): Promise<PlotsPanel> {
  const { TracePlots } = await import('../ui/plots');
  return new TracePlots(container, { large: true });
}
