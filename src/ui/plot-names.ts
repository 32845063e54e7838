/**
 * The names of the trace plots (src/ui/plots.ts draws them in this order), apart from the plots
 * module so that lessons can name them without loading uPlot.
 */
export const PLOT_NAMES = ['structure', 'energy', 'rates', 'balance', 'residual'] as const;
export type PanelName = (typeof PLOT_NAMES)[number];
/** The plots presenter mode shows when nothing else is asked for. */
export const PRESENTER_PLOTS: readonly PanelName[] = ['energy', 'rates'];
