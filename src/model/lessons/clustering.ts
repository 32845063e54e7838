/**
 * Clustering and β: one head, D = I frozen, the residual sign (the teaching presets
 * clustering-beta1 and clustering-beta9: 512 uniform tokens on S²). β = 1 gives one cluster,
 * β = 9 several metastable clusters that merge slowly. Each sentence was checked against the
 * picture of its step (docs/figures/lesson-*.png).
 */
import type { LessonData } from '.';

export const clusteringLesson: LessonData = {
  lesson: 1,
  title: 'Clustering and β',
  description: 'One head, D = I: the inverse temperature β decides how many clusters form and how long they last.',
  steps: [
    {
      title: 'Uniform tokens',
      preset: 'clustering-beta1',
      run: 'pause',
      plots: ['structure', 'energy'],
      narration:
        '512 tokens drawn uniformly on the sphere $S^2$; one head with $D = I$ and $\\beta = 1$. At $t = 0$ they cover the sphere evenly.',
    },
    {
      title: 'β = 1: one cluster',
      run: { until: 8 },
      narration:
        'Each token moves towards the softmax-weighted mean of all the tokens. At $\\beta = 1$ attention is *global*: all are pulled the same way, $E$ rises, and by $t = 8$ almost every token has joined *one* cluster.',
    },
    {
      title: 'β = 9: several clusters',
      preset: 'clustering-beta9',
      run: { until: 6 },
      narration:
        'At $\\beta = 9$ the weight $e^{9\\langle x_i, x_j\\rangle}$ is sharply peaked: attention is *local*. Tokens gather with their neighbours into *several* clusters.',
    },
    {
      title: 'Metastability',
      preset: 'clustering-beta9',
      run: 'play',
      narration:
        'These clusters are *metastable*: they persist for a long time and merge only slowly, one pair at a time: the energy stays flat on each plateau and steps up at each merger.',
    },
  ],
};
