/**
 * The float64 engine against the paper's own code (shared/reference): the energy, G², the
 * paper's balance and the final tokens must agree to ~1e-10 for all three drifts.
 */
import { describe, expect, it } from 'vitest';
import { CpuEngine } from '../../src/model/engine-cpu';
import { DIAG, DIAG_SIZE } from '../../src/model/attention';
import { BalanceTracker } from '../../src/model/balance';
import { loadReference, referenceScenario, REFERENCE_FILES } from './helpers';

describe.each(REFERENCE_FILES)('reference run %s', (file) => {
  it('reproduces E, G², the paper balance and x(T) to 1e-10', () => {
    const ref = loadReference(file);
    const s = referenceScenario(ref);
    const engine = new CpuEngine(s);
    const balance = new BalanceTracker(1, s.dt, s.flowSign, 'left');
    const rec = new Float64Array(DIAG_SIZE);
    const K = engine.totalSteps;
    expect(ref.t.length).toBe(K + 1);
    let worst = { E: 0, G2: 0, bal: 0, t: 0 };
    for (let k = 0; k <= K; k++) {
      if (k < K) engine.step(rec);
      else engine.evaluate(rec);
      const bal = balance.push(rec);
      worst = {
        E: Math.max(worst.E, Math.abs(rec[DIAG.energy]! - ref.E[k]!)),
        G2: Math.max(worst.G2, Math.abs(rec[DIAG.G2]! - ref.G2[k]!)),
        bal: Math.max(worst.bal, Math.abs(bal[0]! - ref.balance_paper[k]!)),
        t: Math.max(worst.t, Math.abs(k * s.dt - ref.t[k]!)),
      };
    }
    expect(worst.E).toBeLessThan(1e-10);
    expect(worst.G2).toBeLessThan(1e-10);
    expect(worst.bal).toBeLessThan(1e-10);
    expect(worst.t).toBeLessThan(1e-12);
    let dx = 0;
    for (let i = 0; i < s.n; i++)
      for (let c = 0; c < s.d; c++) dx = Math.max(dx, Math.abs(engine.x[i * s.d + c]! - ref.x_final[i]![c]!));
    expect(dx).toBeLessThan(1e-10);
  });
});
