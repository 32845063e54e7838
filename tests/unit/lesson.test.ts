/** Lessons: the format's validator, the steps' resolution through the params record, the narration parser. */
import { describe, expect, it } from 'vitest';
import { LessonError, lessonFile, parseLessonJson, validateLesson } from '../../src/model/lesson';
import { narrationText, parseNarration } from '../../src/model/narration';
import { LESSON_NAMES, loadLesson, loadLessonJson } from '../../src/ui/lesson-steps';

const FOUR = {
  lesson: 1,
  title: 'Four steps',
  steps: [
    { preset: 'clustering-beta1', set: { n: 32 }, run: { until: 1 }, plots: ['energy'], narration: 'One head.' },
    { set: { beta: 9 }, run: 'pause', narration: 'Raise $\\beta$.' },
    { set: { heads: 4, driftKind: 'ou', 'drift.ou.theta': 2 }, plots: ['energy', 'rates'], narration: '*OU* weights.' },
    { set: { n: 48, heads: 2 }, run: 'play', plots: ['structure'], narration: 'More tokens.' },
  ],
};

function refused(input: unknown): LessonError {
  try {
    loadLesson(input);
  } catch (e) {
    expect(e).toBeInstanceOf(LessonError);
    return e as LessonError;
  }
  throw new Error('accepted');
}
const withStep = (k: number, step: object): unknown => ({
  ...FOUR,
  steps: FOUR.steps.map((s, i) => (i === k ? step : s)),
});

describe('lesson validation', () => {
  it('resolves each step to its full state: the first step then every later change, in order', () => {
    const { steps } = loadLesson(FOUR);
    expect(steps.map((s) => [s.scenario.n, s.scenario.heads, s.scenario.beta, s.scenario.weights.drift.kind])).toEqual([
      [32, 1, 1, 'frozen'],
      [32, 1, 9, 'frozen'],
      [32, 4, 9, 'ou'],
      [48, 2, 9, 'ou'],
    ]);
    const ou = steps[2]!.scenario.weights.drift;
    expect(ou.kind === 'ou' && ou.theta).toBe(2);
    expect(steps.map((s) => s.plots)).toEqual([['energy'], ['energy'], ['energy', 'rates'], ['structure']]);
    expect(steps.map((s) => s.run)).toEqual([{ until: 1 }, 'pause', 'play', 'play']);
    expect(steps[0]!.presetId).toBe('clustering-beta1');
    // Resolving again gives the same states (a step's state depends only on the lesson).
    expect(loadLesson(FOUR).steps.map((s) => s.scenario)).toEqual(steps.map((s) => s.scenario));
  });

  it('round-trips through its JSON file', () => {
    const l = validateLesson(FOUR, LESSON_NAMES);
    expect(parseLessonJson(lessonFile(l), LESSON_NAMES)).toEqual(l);
    expect(loadLessonJson(lessonFile(l)).steps).toHaveLength(4);
  });

  it('refuses unknown fields naming their path', () => {
    expect(refused({ ...FOUR, author: 'x' }).field).toBe('author');
    expect(refused(withStep(2, { ...FOUR.steps[2], narrate: 'x' })).field).toBe('steps[2].narrate');
    expect(refused(withStep(0, { ...FOUR.steps[0], run: { until: 1, at: 2 } })).field).toBe('steps[0].run.at');
  });

  it('names the field of a wrong type or value', () => {
    const e = refused(withStep(2, { ...FOUR.steps[2], narration: 5 }));
    expect(e.field).toBe('steps[2].narration');
    expect(e.message).toContain('lesson.steps[2].narration: expected a string');
    expect(refused(withStep(1, { run: 'later' })).field).toBe('steps[1].run');
    expect(refused(withStep(1, { run: { until: -1 } })).field).toBe('steps[1].run.until');
    expect(refused(withStep(1, { plots: ['energy', 'nope'] })).field).toBe('steps[1].plots[1]');
    expect(refused(withStep(0, { preset: 'nope' })).field).toBe('steps[0].preset');
    expect(refused({ ...FOUR, lesson: 2 }).field).toBe('lesson');
    expect(refused({ ...FOUR, steps: [] }).field).toBe('steps');
    expect(refused({ ...FOUR, steps: [{ narration: 'x' }] }).field).toBe('steps[0]');
    expect(refused(withStep(0, { ...FOUR.steps[0], narration: 'x'.repeat(2001) })).field).toBe('steps[0].narration');
  });

  it('checks set keys against the params record and values against their kind and bounds', () => {
    expect(refused(withStep(1, { set: { bta: 9 } })).field).toBe('steps[1].set.bta');
    expect(refused(withStep(1, { set: { beta: 'high' } })).field).toBe('steps[1].set.beta');
    expect(refused(withStep(1, { set: { beta: -1 } })).field).toBe('steps[1].set.beta');
    expect(refused(withStep(1, { set: { n: 0 } })).field).toBe('steps[1].set.n');
    expect(refused(withStep(1, { set: { driftKind: 'wobbly' } })).field).toBe('steps[1].set.driftKind');
    // A kind's number needs that kind selected first; then its bounds are the descriptor's.
    expect(refused(withStep(1, { set: { 'drift.ou.theta': 2 } })).field).toBe('steps[1].set["drift.ou.theta"]');
    const e = refused(withStep(1, { set: { driftKind: 'ou', 'drift.ou.theta': -3 } }));
    expect(e.field).toBe('steps[1].set["drift.ou.theta"]');
    expect(e.message).toContain('weights.drift.theta');
    // View settings and the pace are not lesson keys.
    expect(refused(withStep(1, { set: { trails: true } })).field).toBe('steps[1].set.trails');
    // run.until beyond the step's T.
    expect(refused(withStep(1, { run: { until: 1e6 } })).field).toBe('steps[1].run.until');
  });

  it('validates a step scenario with validateScenario and names its field inside the step', () => {
    const e = refused(withStep(0, { scenario: { d: 3, n: -4 } }));
    expect(e.field).toMatch(/^steps\[0\]\.scenario\./);
    const both = refused(withStep(0, { preset: 'layers', scenario: { d: 3, n: 4 } }));
    expect(both.issues.map((i) => i.field)).toContain('steps[0].scenario');
  });

  it('refuses non-JSON and hostile input with a LessonError', () => {
    expect(() => loadLessonJson('{')).toThrow(LessonError);
    expect(() => loadLessonJson('['.repeat(100))).toThrow(/nested deeper/);
    const trap = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('trap');
        },
      },
    );
    expect(() => loadLesson(trap)).toThrow(LessonError);
    class Odd {}
    expect(refused(new Odd()).field).toBe('');
  });
});

describe('narration', () => {
  it('splits text, *emphasis* and $TeX$', () => {
    expect(parseNarration('One head, $\\beta = 1$: *one* cluster.')).toEqual([
      { kind: 'text', text: 'One head, ' },
      { kind: 'tex', tex: '\\beta = 1' },
      { kind: 'text', text: ': ' },
      { kind: 'em', text: 'one' },
      { kind: 'text', text: ' cluster.' },
    ]);
  });

  it('keeps HTML as literal text', () => {
    expect(parseNarration('<b>x</b> & <img src=x onerror=alert(1)>')).toEqual([
      { kind: 'text', text: '<b>x</b> & <img src=x onerror=alert(1)>' },
    ]);
  });

  it('treats escaped, unclosed and empty marks as text', () => {
    expect(parseNarration('costs \\$5 and 2 \\* 3')).toEqual([{ kind: 'text', text: 'costs $5 and 2 * 3' }]);
    expect(parseNarration('a * b')).toEqual([{ kind: 'text', text: 'a * b' }]);
    expect(parseNarration('$x')).toEqual([{ kind: 'text', text: '$x' }]);
    expect(parseNarration('** $$')).toEqual([{ kind: 'text', text: '** $$' }]);
    // Inside TeX only \$ is ours; TeX's own backslashes stay.
    expect(parseNarration('$\\frac{1}{H} \\$ \\\\$')).toEqual([{ kind: 'tex', tex: '\\frac{1}{H} $ \\\\' }]);
    expect(narrationText(parseNarration('*a* $b$ c'))).toBe('a b c');
  });
});

describe('built-in lessons', () => {
  it('each one loads, resolves every step and names only known plots', async () => {
    const { BUILTIN_LESSONS } = await import('../../src/model/lessons');
    expect(BUILTIN_LESSONS.map((b) => b.id)).toEqual(['clustering', 'heads', 'stability']);
    for (const b of BUILTIN_LESSONS) {
      const { steps } = loadLesson(b.lesson);
      expect(steps.length).toBeGreaterThanOrEqual(3);
      for (const s of steps) expect(s.narration.length).toBeGreaterThan(0);
    }
    const heads = loadLesson(BUILTIN_LESSONS[1]!.lesson).steps.map((s) => s.scenario.heads);
    expect(heads.slice(0, 3)).toEqual([1, 10, 100]);
    const beta = loadLesson(BUILTIN_LESSONS[0]!.lesson).steps.map((s) => s.scenario.beta);
    expect(beta).toEqual([1, 1, 9, 9]);
    const stab = loadLesson(BUILTIN_LESSONS[2]!.lesson).steps.map((s) => [
      s.scenario.replicas,
      s.scenario.perturbation,
    ]);
    expect(stab[0]).toEqual([2, { tokens: 1e-3, weights: 0, sharedNoise: true }]);
    expect(stab[2]).toEqual([2, { tokens: 0, weights: 1e-3, sharedNoise: true }]);
  });
});

describe('plot names', () => {
  it('are the plots module’s panels, in its order', async () => {
    const { PLOT_NAMES } = await import('../../src/ui/plot-names');
    const file = (await import('node:fs')).readFileSync('src/ui/plots.ts', 'utf8');
    const src = file.slice(file.indexOf('const SPECS'), file.indexOf('\n];', file.indexOf('const SPECS')));
    const order = [...src.matchAll(/name: '(\w+)'|structureSpec\(false\)/g)].map((m) => m[1] ?? 'structure');
    expect(order).toEqual([...PLOT_NAMES]);
  });
});
