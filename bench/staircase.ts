/**
 * `npx tsx bench/staircase.ts [OUT_DIR]`: the metastability preset (S¹, n = 64, β = 50, D = I,
 * T = 10⁴) on the float64 engine, its energy and cluster count kept geometrically thinned in
 * time (src/worker/geometric-rows.ts), drawn against log t: docs/figures/metastability/staircase.svg
 * (and .json with the rows). STAIR_BETA, STAIR_N, STAIR_T change the run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clusterCount } from '../src/model/analysis';
import { DIAG, DIAG_SIZE } from '../src/model/attention';
import { CpuEngine } from '../src/model/engine-cpu';
import { preset } from '../src/model/presets';
import { stepCount } from '../src/model/scenario';
import { validateScenario } from '../src/model/validate';
import { GeometricRows } from '../src/worker/geometric-rows';

const out = process.argv[2] ?? 'docs/figures/metastability';
const base = preset('metastability').build();
const s = validateScenario({
  ...base,
  beta: Number(process.env.STAIR_BETA ?? base.beta),
  n: Number(process.env.STAIR_N ?? base.n),
  T: Number(process.env.STAIR_T ?? base.T),
});
const engine = new CpuEngine(s, { threads: 1 });
const rows = new GeometricRows(1, 2, 60);
const rec = new Float64Array(DIAG_SIZE);
const K = stepCount(s);
const start = performance.now();
let lastBin = -1;
for (let k = 0; k <= K; k++) {
  // The cluster count costs O(n²): only on the rows the thinning keeps (and the last).
  const bin = k === 0 ? -1 : Math.floor(60 * Math.log10(k));
  if (k === 0 || bin > lastBin || k === K) {
    lastBin = bin;
    engine.evaluate(rec);
    rows.push([rec[DIAG.energy]!, clusterCount(engine.x, 0, s.n, s.d, 1e-3)]);
  } else rows.push([Number.NaN, Number.NaN]);
  if (k < K) engine.step();
}
const seconds = (performance.now() - start) / 1000;
const pts = Array.from({ length: rows.count }, (_, j) => ({
  t: rows.rowIndex(j) * s.dt,
  E: rows.value(j, 0, 0),
  clusters: rows.value(j, 0, 1),
})).filter((p) => p.t > 0 && Number.isFinite(p.E));

const W = 640,
  H = 400,
  M = { l: 70, r: 60, t: 40, b: 50 };
const lx0 = Math.floor(Math.log10(pts[0]!.t)),
  lx1 = Math.ceil(Math.log10(s.T));
const E0 = Math.min(...pts.map((p) => p.E)),
  E1 = Math.max(...pts.map((p) => p.E));
const cMax = Math.max(...pts.map((p) => p.clusters));
const px = (t: number) => M.l + ((Math.log10(t) - lx0) / (lx1 - lx0)) * (W - M.l - M.r);
const py = (e: number) => H - M.b - ((e - E0) / (E1 - E0)) * (H - M.t - M.b);
const pc = (c: number) => H - M.b - (c / cMax) * (H - M.t - M.b);
const svg = [
  `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="13">`,
  `<rect width="${W}" height="${H}" fill="white"/>`,
  `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">Energy staircase: S¹, n = ${s.n}, β = ${s.beta}, D = I, dt = ${s.dt} (float64)</text>`,
];
for (let e = lx0; e <= lx1; e++)
  svg.push(
    `<line x1="${px(10 ** e)}" y1="${M.t}" x2="${px(10 ** e)}" y2="${H - M.b}" stroke="#ddd"/>`,
    `<text x="${px(10 ** e)}" y="${H - M.b + 18}" text-anchor="middle">1e${e}</text>`,
  );
for (let q = 0; q <= 4; q++) {
  const e = E0 + ((E1 - E0) * q) / 4;
  svg.push(`<text x="${M.l - 6}" y="${py(e) + 4}" text-anchor="end" fill="#0072B2">${e.toExponential(2)}</text>`);
}
for (let c = 0; c <= cMax; c += Math.max(1, Math.round(cMax / 5)))
  svg.push(`<text x="${W - M.r + 6}" y="${pc(c) + 4}" fill="#D55E00">${c}</text>`);
svg.push(
  `<rect x="${M.l}" y="${M.t}" width="${W - M.l - M.r}" height="${H - M.t - M.b}" fill="none" stroke="#333"/>`,
  `<text x="${(W + M.l - M.r) / 2}" y="${H - 12}" text-anchor="middle">t (log scale)</text>`,
  `<polyline fill="none" stroke="#0072B2" stroke-width="2" points="${pts.map((p) => `${px(p.t).toFixed(1)},${py(p.E).toFixed(1)}`).join(' ')}"/>`,
  `<polyline fill="none" stroke="#D55E00" stroke-width="1.5" stroke-dasharray="5 3" points="${pts.map((p) => `${px(p.t).toFixed(1)},${pc(p.clusters).toFixed(1)}`).join(' ')}"/>`,
  `<text x="${M.l + 10}" y="${M.t + 18}" fill="#0072B2">energy E(t) (left axis)</text>`,
  `<text x="${M.l + 10}" y="${M.t + 36}" fill="#D55E00">clusters, ⟨xᵢ,xⱼ⟩ > 1 − 10⁻³ (right axis)</text>`,
  '</svg>',
);
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'staircase.svg'), `${svg.join('\n')}\n`);
writeFileSync(join(out, 'staircase.json'), `${JSON.stringify({ scenario: s, seconds, rows: pts }, null, 1)}\n`);
console.log(`${K} steps in ${seconds.toFixed(1)} s; ${pts.length} rows kept; wrote ${join(out, 'staircase.svg')}`);
const plateaus = pts.filter((p, j) => j === 0 || p.clusters !== pts[j - 1]!.clusters);
console.log(
  plateaus.map((p) => `t = ${p.t.toPrecision(3)}: ${p.clusters} clusters, E = ${p.E.toPrecision(4)}`).join('\n'),
);
