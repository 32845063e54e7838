/**
 * `npm run sim` under faults, in-process (simMain): a full disk, bad output folders, an
 * interrupt, a non-finite run, a costly run, the previous run's files, bad flags. Each exits with
 * its code and one line on stderr (no stack), and leaves a folder that says what it holds.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CliError, EXIT, OutputFile, openFresh } from '../../src/cli/output';
import { runToEnd } from '../../src/cli/run';
import { type SimIo, simMain } from '../../src/cli/sim-main';
import { CpuSimEngine, type SimEngine, type StepBatch } from '../../src/model/engine';
import { DIAG_SIZE } from '../../src/model/attention';
import { validateScenario } from '../../src/model/validate';
import { scenarioFile } from './helpers';

const small = {
  d: 3,
  n: 8,
  heads: 2,
  replicas: 2,
  dt: 0.01,
  T: 0.5,
  seed: 1,
  tokens: { kind: 'uniform' },
  weights: { init: { kind: 'random-symmetric' }, drift: { kind: 'ou' }, noiseVariance: 2 },
};

function fresh(scenario: object = small): { dir: string; file: string; out: string } {
  const { dir, file } = scenarioFile('sim-out-', scenario);
  return { dir, file, out: join(dir, 'out') };
}

async function sim(argv: string[], io: Partial<SimIo> = {}): Promise<{ code: number; err: string }> {
  let err = '';
  const code = await simMain(argv, { stderr: (t) => (err += t), ...io });
  return { code, err };
}

/** The message lines (no usage text) carry no stack frame. */
function expectNoStack(err: string): void {
  expect(err).not.toMatch(/\n\s+at /);
  expect(err).not.toMatch(/\.ts:\d+/);
}

const csvRows = (path: string): string[][] =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));

describe('sim output: checked writes', () => {
  it('a full disk (ENOSPC on /dev/full) exits 5 with one line, renames nothing and marks STATUS failed', async () => {
    const { file, out } = fresh();
    const openFile = (path: string) => (path.endsWith('trace.csv.partial') ? open('/dev/full', 'w') : openFresh(path));
    const r = await sim([file, '--out', out, '--quiet'], { openFile });
    expect(r.code).toBe(EXIT.io);
    expect(r.err).toMatch(/ENOSPC/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).not.toContain('wrote');
    expectNoStack(r.err);
    expect(existsSync(join(out, 'trace.csv'))).toBe(false);
    expect(existsSync(join(out, 'final.json'))).toBe(false);
    expect(readFileSync(join(out, 'STATUS'), 'utf8')).toMatch(/^failed: .*ENOSPC/);
  });

  it('OutputFile rejects a write that cannot reach the device, at flush and at close', async () => {
    const f = await OutputFile.create('/dev/full', (p) => open(p, 'w'));
    await expect(f.write('x'.repeat(2 << 20))).rejects.toMatchObject({ code: EXIT.io });
    const g = await OutputFile.create('/dev/full', (p) => open(p, 'w'));
    await g.write('small');
    await expect(g.close()).rejects.toBeInstanceOf(CliError);
  });

  it('removes the previous run’s results before it starts, so they never pass for this run’s', async () => {
    const { file, out } = fresh();
    mkdirSync(out);
    writeFileSync(join(out, 'trace.csv'), 'old\n');
    writeFileSync(join(out, 'final.json'), '{"old":true}');
    const stop = new AbortController();
    stop.abort('SIGINT');
    const r = await sim([file, '--out', out, '--quiet'], { signal: stop.signal });
    expect(r.code).toBe(EXIT.SIGINT);
    expect(readFileSync(join(out, 'trace.csv'), 'utf8')).not.toContain('old');
    const final = JSON.parse(readFileSync(join(out, 'final.json'), 'utf8'));
    expect(final.status).toBe('interrupted');
    expect(final.step).toBe(0);
    expect(readFileSync(join(out, 'STATUS'), 'utf8')).toMatch(/^interrupted \(SIGINT\) at step 0 of 50/);
  });

  it('an interrupt mid-run keeps every written row complete and final.json at the state after them', async () => {
    const { file, out } = fresh({ ...small, n: 60, heads: 4, T: 400, dt: 0.01 });
    const stop = new AbortController();
    // Interrupt once a few rows are on disk (not after a fixed time: a loaded machine starts the
    // engine thread slowly), so the run is cut mid-way whatever the machine's speed.
    const partial = join(out, 'trace.csv.partial');
    const poll = setInterval(() => {
      if (existsSync(partial) && readFileSync(partial, 'utf8').split('\n').length > 4) {
        clearInterval(poll);
        stop.abort('SIGTERM');
      }
    }, 25);
    const r = await sim([file, '--out', out, '--quiet', '--every', '7'], { signal: stop.signal }).finally(() =>
      clearInterval(poll),
    );
    expect(r.code).toBe(EXIT.SIGTERM);
    const rows = csvRows(join(out, 'trace.csv'));
    expect(rows.length).toBeGreaterThan(2);
    for (const row of rows) {
      expect(row).toHaveLength(11);
      for (const v of row) expect(Number.isFinite(Number(v))).toBe(true);
    }
    const final = JSON.parse(readFileSync(join(out, 'final.json'), 'utf8'));
    expect(final.status).toBe('interrupted');
    expect(final.step).toBeLessThan(40000);
    expect(final.lastRow).toBe(Number(rows.at(-1)![1]));
    expect(final.step - final.lastRow).toBeLessThanOrEqual(7);
    expect(final.x).toHaveLength(2);
    expect(readdirSync(out).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('a non-finite run exits 4, names what to lower and keeps the last good state (no null in final.json)', async () => {
    const blowUp = {
      ...small,
      beta: 1000,
      weights: { init: { kind: 'random-symmetric', scale: 1000 }, drift: { kind: 'frozen' }, noiseVariance: 0 },
    };
    const { file, out } = fresh(blowUp);
    const r = await sim([file, '--out', out, '--quiet']);
    expect(r.code).toBe(EXIT.nonFinite);
    expect(r.err).toMatch(/Lower β, dt, or the size of the weights/);
    expectNoStack(r.err);
    const text = readFileSync(join(out, 'final.json'), 'utf8');
    expect(text).not.toContain('null');
    const final = JSON.parse(text);
    expect(final.status).toBe('non-finite');
    expect(final.x.flat(2).every(Number.isFinite)).toBe(true);
    expect(readFileSync(join(out, 'STATUS'), 'utf8')).toMatch(/^non-finite: /);
  });

  it('a finite complete run says so in final.json and STATUS', async () => {
    const { file, out } = fresh();
    const r = await sim([file, '--out', out, '--quiet']);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'final.json'), 'utf8')).status).toBe('complete');
    expect(readFileSync(join(out, 'STATUS'), 'utf8')).toMatch(/^complete: 50 steps/);
    expect(readdirSync(out).sort()).toEqual(['STATUS', 'final.json', 'trace.csv']);
  });
});

describe('sim: everything checked before any work', () => {
  it.each([
    ['an empty path', () => '', /^--out: expected a folder path/],
    ['a path through a file', (d: string) => join(d, 's.json', 'sub'), /^--out: .* is not a folder/],
    ['a device', () => '/dev/null', /^--out: .* is not a folder/],
    ['a /proc folder', () => '/proc/self/task', /^--out: .* proc filesystem/],
    ['a /sys folder', () => '/sys/kernel/x', /^--out: .* sysfs filesystem/],
    ['a NUL in the path', (d: string) => join(d, 'a\0b'), /^--out: the path contains a NUL/],
  ])('--out as %s exits 2 naming --out', async (_what, make, message) => {
    const { dir, file } = fresh();
    const r = await sim([file, '--out', make(dir), '--quiet']);
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toMatch(message);
    expectNoStack(r.err);
  });

  it('refuses a result name that is a folder, before running', async () => {
    const { file, out } = fresh();
    mkdirSync(join(out, 'trace.csv'), { recursive: true });
    const r = await sim([file, '--out', out, '--quiet']);
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toMatch(/^--out: .*trace\.csv" exists and cannot be replaced/);
  });

  it('refuses repeated flags, a preset whose H is fixed, and scenario paths that are not regular files', async () => {
    const { dir, file, out } = fresh();
    expect((await sim([file, '--out', out, '--out', out])).err).toMatch(/^--out given twice/);
    expect((await sim([file, '--every', '2', '--every', '3'])).code).toBe(EXIT.usage);
    const fixed = await sim(['--preset', 'layers', '--heads', '3', '--out', out]);
    expect(fixed.code).toBe(EXIT.usage);
    expect(fixed.err).toMatch(/^--heads: preset layers has a fixed H = 2/);
    const folder = await sim([dir, '--out', out]);
    expect(folder.err).toMatch(/not a regular file/);
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const pipe = await sim([fifo, '--out', out]);
    expect(pipe.code).toBe(EXIT.usage);
    expect(pipe.err).toMatch(/not a regular file/);
    expect((await sim(['/dev/zero', '--out', out])).err).toMatch(/not a regular file/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a run past the cost limits without --yes, with the estimate in the message', async () => {
    const { file, out } = fresh({ ...small, n: 1 << 17, heads: 16, replicas: 1, T: 1, dt: 0.01 });
    const r = await sim([file, '--out', out, '--quiet']);
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toMatch(/estimated past the limits .*per step.*pair-heads.*Pass --yes/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });
});

describe('runToEnd', () => {
  it('sizes engine calls by measured time, not by step count (each ≤ ~2× the target)', async () => {
    const s = validateScenario({ ...small, T: 2 });
    let clock = 0;
    const spy = vi.spyOn(performance, 'now').mockImplementation(() => clock);
    const cpu = new CpuSimEngine(s);
    const calls: number[] = [];
    const slow: SimEngine = Object.assign(Object.create(cpu) as SimEngine, {
      advance: async (k: number): Promise<StepBatch> => {
        calls.push(k);
        clock += 150 * k; // 150 ms a step
        return cpu.advance(k);
      },
    });
    try {
      const end = await runToEnd(slow, { every: 1, callSeconds: 0.2 });
      expect(end.status).toBe('complete');
    } finally {
      spy.mockRestore();
    }
    expect(calls.reduce((p, q) => p + q, 0)).toBe(200);
    expect(Math.max(...calls) * 150).toBeLessThanOrEqual(400);
  });

  it('hands rows over per call (never the whole run at once) and stops on the signal', async () => {
    const s = validateScenario({ ...small, T: 2 });
    const stop = new AbortController();
    const sizes: number[] = [];
    const end = await runToEnd(new CpuSimEngine(s), {
      every: 1,
      signal: stop.signal,
      maxChunk: 8,
      onRows: (t) => {
        sizes.push(t.split('\n').length - 1);
        if (sizes.length === 3) stop.abort('SIGINT');
      },
    });
    expect(end.status).toBe('interrupted');
    expect(sizes.length).toBe(3);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(8 * s.replicas);
    expect(end.lastRow).toBe(end.step - 1);
    expect(DIAG_SIZE).toBe(6);
  });

  it('does not wait for a slow step on a signal (any engine): ends at once on the state before it, with progress meanwhile', async () => {
    const s = validateScenario({ ...small, T: 2 });
    const cpu = new CpuSimEngine(s);
    let started = 0;
    // An engine whose steps take 5 s each and report no share inside them (like the GPU one unsplit).
    const slow: SimEngine = Object.assign(Object.create(cpu) as SimEngine, {
      stepsDone: undefined,
      advance: (k: number): Promise<StepBatch> => {
        started++;
        const call = cpu.advance(k);
        return new Promise((resolve) => setTimeout(() => resolve(call), 5000));
      },
    });
    const stop = new AbortController();
    const progress: number[] = [];
    setTimeout(() => stop.abort('SIGINT'), 1200);
    const t0 = performance.now();
    const end = await runToEnd(slow, { every: 1, signal: stop.signal, onProgress: (done) => progress.push(done) });
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(started).toBe(1);
    expect(end.status).toBe('interrupted');
    expect(end.step).toBe(0);
    expect(end.lastRow).toBe(-1);
    // The state kept before the call is step 0's, not the engine's (which has moved on meanwhile).
    expect(end.state?.stepIndex).toBe(0);
    expect(Array.from(end.state!.positions)).toEqual(Array.from(await new CpuSimEngine(s).readPositions()));
    // A heartbeat every 500 ms while the call ran.
    expect(progress.length).toBeGreaterThanOrEqual(2);
  });
});
