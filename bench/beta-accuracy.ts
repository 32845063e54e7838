/**
 * `npx tsx bench/beta-accuracy.ts`: up to which β the float32 WebGPU engine follows the float64
 * engine, on the metastability preset's setting (S¹, uniform tokens, D = I, residual sign):
 * for each β, the same run on both engines (dawn.node; SwiftShader when no GPU), then the
 * largest token distance max_i |x_i − y_i| and the relative energy difference at t = T, and
 * the cluster counts. BETA_LIST (comma list), BETA_N, BETA_T, BETA_DT change the setting.
 * Prints a markdown table.
 */
import { createGpuEngine } from '../src/gpu/index';
import { nodeGpu, releaseNodeGpu } from '../src/gpu/node-env';
import { clusterCount } from '../src/model/analysis';
import { DIAG } from '../src/model/attention';
import { CpuSimEngine, type SimEngine } from '../src/model/engine';
import { preset } from '../src/model/presets';
import { stepCount } from '../src/model/scenario';
import { validateScenario } from '../src/model/validate';

const list = (v: string | undefined, dflt: number[]) => (v ? v.split(',').map(Number) : dflt);
const BETAS = list(process.env.BETA_LIST, [9, 25, 50, 100, 200, 400, 800]);
const n = Number(process.env.BETA_N ?? 64);
const T = Number(process.env.BETA_T ?? 20);
const dt = Number(process.env.BETA_DT ?? 0.05);

async function finish(e: SimEngine): Promise<{ x: Float64Array; energy: number }> {
  const total = stepCount(e.scenario);
  while (e.stepIndex < total) await e.advance(Math.min(200, total - e.stepIndex));
  const rec = await e.evaluate();
  return { x: Float64Array.from(await e.readPositions()), energy: rec[DIAG.energy]! };
}

const gpu = await nodeGpu();
try {
  const adapter = await gpu.requestAdapter();
  const info = adapter?.info;
  console.log(`adapter: ${info ? `${info.vendor} ${info.architecture} ${info.description}`.trim() : 'unknown'}`);
  console.log(`S¹, n = ${n}, uniform tokens, D = I, T = ${T}, dt = ${dt}, Euler\n`);
  console.log('| β | max_i |x_i − y_i| at T | rel. energy difference at T | clusters f64 / f32 |');
  console.log('|---|---|---|---|');
  for (const beta of BETAS) {
    const s = validateScenario({ ...preset('metastability').build(), n, T, dt, beta });
    const cpu = await finish(new CpuSimEngine(s));
    const g = await createGpuEngine(s, { gpu });
    let row: string;
    try {
      const f32 = await finish(g);
      let worst = 0;
      for (let i = 0; i < n; i++) {
        let sq = 0;
        for (let c = 0; c < s.d; c++) sq += (cpu.x[i * s.d + c]! - f32.x[i * s.d + c]!) ** 2;
        worst = Math.max(worst, Math.sqrt(sq));
      }
      const rel = Math.abs(f32.energy - cpu.energy) / Math.abs(cpu.energy);
      const cl = (x: Float64Array) => clusterCount(x, 0, n, s.d, 1e-3);
      row = `| ${beta} | ${worst.toExponential(2)} | ${rel.toExponential(2)} | ${cl(cpu.x)} / ${cl(f32.x)} |`;
    } catch (e) {
      row = `| ${beta} | ${(e as Error).message.slice(0, 80)} | | |`;
    } finally {
      g.destroy();
    }
    console.log(row);
  }
} finally {
  await releaseNodeGpu?.();
}
