/**
 * Stability: the original run against a perturbed copy (the Compare folder's token noise ε and
 * weights D(0) + δ, i.e. replicas = 2 and the scenario's perturbation), on the paper's S²
 * oscillating experiment with one head; the structure plot shows the distance between them.
 */
import type { LessonData } from '.';

export const stabilityLesson: LessonData = {
  lesson: 1,
  title: 'Stability',
  description: 'How far a perturbed copy drifts from the original: token noise ε and weight noise δ.',
  steps: [
    {
      title: 'Token noise ε = 10⁻³',
      preset: 's2-oscillating',
      set: { heads: 1, replicas: 2, pertTokens: 1e-3, sharedNoise: true },
      run: { until: 10 },
      plots: ['structure', 'energy'],
      narration:
        'Two runs: the original and a copy whose tokens start moved by $\\varepsilon = 10^{-3}$ (Compare › token noise ε). The lower plot shows their distance (right axis, log): $\\max_i |x_i - y_i|$ grows from $10^{-3}$ to about $0.02$ by $t = 3$, then stays there.',
    },
    {
      title: 'Token noise ε = 10⁻⁶',
      set: { pertTokens: 1e-6 },
      run: { until: 10 },
      narration:
        'With $\\varepsilon = 10^{-6}$ the distance curve has the same shape, a thousand times lower (its axis now runs from $10^{-6}$ to $10^{-4}$): the distance is proportional to $\\varepsilon$, so the flow depends *continuously* on the tokens.',
    },
    {
      title: 'Weights δ = 10⁻³',
      set: { pertTokens: 0, pertWeights: 1e-3 },
      run: { until: 10 },
      narration:
        'Now the tokens are identical and the weights differ: $D_h(0) + \\delta S$, $\\|S\\|_F = 1$, $\\delta = 10^{-3}$. The distance starts at zero and grows from the weights alone.',
    },
    {
      title: 'Weights δ = 10⁻¹',
      set: { pertWeights: 0.1 },
      run: { until: 10 },
      narration:
        'A larger $\\delta = 10^{-1}$: the same curve a hundred times higher, peaking near $0.2$ at $t \\approx 3.5$; the copy, drawn faint, now sits visibly beside the original tokens.',
    },
  ],
};
