/**
 * `npx tsx bench/frame.ts [seconds]`: the full app's frame time and simulation rate in headless
 * Chromium (built app, SwiftShader WebGPU where no GPU) for n = 1,024 and 4,096 with H = 8 on the
 * default preset (URL `?n=…&heads=…`). Frame ms is the mean requestAnimationFrame interval
 * measured in the page; steps/s is the step count over the same window. Prints a markdown table.
 */
import { DEFAULT_PRESET_ID } from '../src/model/presets';
import { hookState, openRun, serveApp, meanFrameMs } from './serve-app';

const seconds = Number(process.argv[2] ?? 8);
const CASES = [
  { n: 1024, heads: 8 },
  { n: 4096, heads: 8 },
];

const app = await serveApp();
const rows: string[] = [];
try {
  for (const { n, heads } of CASES) {
    const page = await openRun(app, `?preset=${DEFAULT_PRESET_ID}&n=${n}&heads=${heads}`);
    await page.waitForTimeout(2000);
    const before = await hookState(page);
    const frameMs = await page.evaluate<number>(meanFrameMs(seconds * 1000));
    const after = await hookState(page);
    const steps = after.stepIndex - before.stepIndex;
    const rate = steps / seconds;
    rows.push(
      `| ${n} | ${heads} | ${after.engineLabel} | ${frameMs.toFixed(1)} | ${(1000 / frameMs).toFixed(1)} | ${rate.toFixed(1)} | ${after.finished ? 'finished' : ''} |`,
    );
    await page.close();
  }
} finally {
  await app.close();
}
process.stdout.write(
  ['| n | H | engine | frame ms | fps | steps/s | note |', '|---|---|---|---|---|---|---|', ...rows].join('\n') + '\n',
);
