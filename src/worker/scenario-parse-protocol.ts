/** Messages of the scenario parse worker (src/worker/scenario-parse-worker.ts). */
import type { Scenario } from '../model/scenario';
import type { ScenarioIssue } from '../model/validate';

export interface ParseRequest {
  /** A file's text, or the `s` parameter of a link. */
  kind: 'text' | 'link';
  input: string;
}

export type ParseReply =
  | { ok: true; scenario: Scenario }
  /** Refused: the validator's issues (empty for an error that is not a ScenarioError). */
  | { ok: false; issues: ScenarioIssue[]; message: string };
