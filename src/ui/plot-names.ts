/**
 * The names of the trace plots, apart from the plots module so that lessons can name them
 * without loading uPlot. src/ui/plots.ts draws the chosen ones in its own order (energy, rates,
 * balance, residual, structure), whatever the order of a lesson's list.
 */
export const PLOT_NAMES = ['energy', 'rates', 'balance', 'residual', 'structure'] as const;
export type PanelName = (typeof PLOT_NAMES)[number];
/** The plots presenter mode shows when nothing else is asked for. */
export const PRESENTER_PLOTS: readonly PanelName[] = ['energy', 'rates'];
