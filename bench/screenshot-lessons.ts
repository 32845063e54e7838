/**
 * `npx tsx bench/screenshot-lessons.ts [outDir] [ids…]` (FROM=k: skip to step k, no shots before it):
 * a 1920×1080 screenshot of every step of
 * the built-in lessons in presenter mode (built app, headless Chromium), each taken once the step
 * has run as written (paused at its `until`, or, for a step that plays to T, at 60 % of T); the
 * files are `<outDir>/lesson-<id>-<k>.png` (default /tmp/lesson-shots). docs/figures holds one
 * step of each lesson, copied from these.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILTIN_LESSONS } from '../src/model/lessons';
import { loadLesson } from '../src/ui/lesson-steps';
import { serveApp } from './serve-app';

const outDir = process.argv[2] ?? '/tmp/lesson-shots';
const ids = process.argv.length > 3 ? process.argv.slice(3) : BUILTIN_LESSONS.map((b) => b.id);
const from = Number(process.env.FROM ?? 0);
mkdirSync(outDir, { recursive: true });

const app = await serveApp();
try {
  for (const id of ids) {
    const steps = loadLesson(BUILTIN_LESSONS.find((b) => b.id === id)!.lesson).steps;
    const page = await app.browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`${app.url}?lesson=${id}`);
    for (let k = 0; k < steps.length; k++) {
      const step = steps[k]!;
      if (k > 0) await page.keyboard.press('ArrowRight');
      await page.waitForFunction(
        (i) => {
          const h = window.__playground;
          return h !== undefined && h.lesson().index === i && !h.state().building && h.state().frames > 0;
        },
        k,
        { timeout: 300_000, polling: 250 },
      );
      const t0 = Date.now();
      if (k < from) continue;
      if (typeof step.run === 'object') {
        await page.waitForFunction(() => !window.__playground!.state().playing, undefined, {
          timeout: 900_000,
          polling: 500,
        });
      } else if (step.run === 'play') {
        await page.waitForFunction(
          (t) => window.__playground!.state().time >= t || window.__playground!.state().finished,
          0.6 * step.scenario.T,
          { timeout: 900_000, polling: 500 },
        );
      }
      await page.waitForTimeout(1500);
      const file = join(outDir, `lesson-${id}-${k}.png`);
      writeFileSync(file, await page.screenshot());
      const s = await page.evaluate(() => window.__playground!.state());
      process.stdout.write(
        `${file}: t = ${s.time.toFixed(2)}, n = ${s.n}, H = ${s.heads}, clusters ${JSON.stringify(
          await page.evaluate(() => document.querySelector('#status')?.textContent ?? ''),
        )}, ${((Date.now() - t0) / 1000).toFixed(0)} s\n`,
      );
    }
    await page.close();
  }
} finally {
  await app.close();
}
