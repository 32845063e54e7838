/**
 * Branch links: `?s=<root scenario>&b=<step>.<branched scenario>[&b=…]` — the shared scenario
 * of src/model/share.ts as the root, then one `b` per branch: the step it starts from and the
 * branched scenario, encoded the same way. Opening one reruns the root to each step and branches
 * there (Branches.replay), which reproduces the branch exactly.
 */
import type { BranchSpec } from '../model/branch';
import { decodeScenario, encodeScenario, scenarioUrl } from '../model/share';
import type { Scenario } from '../model/scenario';
import type { RunRecipe } from './branches';
import { describeScenarioError } from './url';

/** The link of `recipe` on the page `base`. */
export async function branchLink(base: string, recipe: RunRecipe): Promise<string> {
  const url = new URL(await scenarioUrl(base, recipe.root));
  for (const st of recipe.stages) url.searchParams.append('b', `${st.at}.${await encodeScenario(st.next)}`);
  return url.toString();
}

/**
 * The branches of a link whose root is `root` (the decoded `s`): undefined without `b`; throws
 * an Error naming the parameter and what it should be for a bad one.
 */
export async function branchRecipe(search: string, root: Scenario | undefined): Promise<RunRecipe | undefined> {
  const q = new URLSearchParams(search);
  const raw = q.getAll('b');
  if (raw.length === 0) return undefined;
  if (!root) throw new Error('URL parameter b (a branch) needs the root scenario s as well');
  const stages: BranchSpec[] = [];
  let base = root,
    last = 0;
  for (const [i, b] of raw.entries()) {
    const dot = b.indexOf('.');
    const at = Number(b.slice(0, dot));
    if (dot < 1 || !Number.isInteger(at) || at <= last)
      throw new Error(
        `URL parameter b #${i + 1} should be "<step>.<scenario>" with a step above ${last}, got "${b.slice(0, 24)}…"`,
      );
    let next: Scenario;
    try {
      next = await decodeScenario(b.slice(dot + 1));
    } catch (e) {
      throw new Error(`URL parameter b #${i + 1}: ${describeScenarioError(e)}`);
    }
    if (next.d !== base.d || at * base.dt > base.T + 1e-12)
      throw new Error(`URL parameter b #${i + 1}: step ${at} or d = ${next.d} does not fit the run it branches from`);
    stages.push({ base, at, next });
    base = next;
    last = at;
  }
  return { root, stages };
}
