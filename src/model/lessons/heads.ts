/**
 * Heads and the 1/H law: the paper's S² Ornstein–Uhlenbeck experiment (preset s2-ou: n = 200,
 * D_h → I with θ = 1, σ² = 2), one path, H = 1 → 10 → 100. The last step quotes the H sweep
 * (docs/EXPERIMENTS.md: the app's Sweep folder and the float64 CLI agree).
 */
import type { LessonData } from '.';

export const headsLesson: LessonData = {
  lesson: 1,
  title: 'Heads and the 1/H law',
  description: 'Ornstein–Uhlenbeck weights: more heads average the weight noise away, and G² falls like 1/H.',
  steps: [
    {
      title: 'One head',
      preset: 's2-ou',
      set: { replicas: 1 },
      run: { until: 10 },
      plots: ['rates', 'energy'],
      narration:
        'Ornstein–Uhlenbeck weights: $dD_h = \\theta (I - D_h)\\,dt + \\sigma\\,\\tfrac12 (dW_h + dW_h^\\top)$, $\\theta = 1$, $\\sigma^2 = 2$. With *one* head its noise drives the tokens directly: $G^2$ (log axis) keeps jumping between about $0.01$ and $1$.',
    },
    {
      title: 'Ten heads',
      set: { heads: 10 },
      run: { until: 10 },
      narration:
        '$H = 10$ heads with independent noise. The velocity is their average $\\frac{1}{H}\\sum_h$, so the noise partly cancels: $G^2$ now stays mostly between $0.003$ and $0.1$, about ten times lower.',
    },
    {
      title: 'A hundred heads',
      set: { heads: 100 },
      run: { until: 3 },
      narration: '$H = 100$: $G^2$ falls again. The tokens cluster while each $D_h(t)$ keeps jittering.',
    },
    {
      title: 'The sweep',
      set: { heads: 100 },
      run: { until: 3 },
      plots: ['rates'],
      narration:
        'Here $G^2$ at $H = 100$ alone. The H sweep (Sweep folder, 2 paths, $T = 20$) measures the time-averaged $G^2 \\approx 0.26,\\ 0.051,\\ 0.0040$ at $H = 1, 10, 100$: a slope $b \\approx -0.91$ on log–log axes, close to *1/H* (the paper: $-1.08$).',
    },
  ],
};
