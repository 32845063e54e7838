/**
 * Parses and validates an untrusted scenario (a file's text, a link) in a module worker, so the
 * page keeps drawing while a hostile 50 MB input is refused; the worker is terminated after its
 * one reply. Without Worker (Node, tests) it runs inline. Throws a ScenarioError as the inline
 * path would.
 */
import type { Scenario } from '../model/scenario';
import { decodeScenario } from '../model/share';
import { parseScenarioJson, ScenarioError } from '../model/validate';
import type { ParseReply, ParseRequest } from './scenario-parse-protocol';

/** Inputs shorter than this are parsed inline (a worker start costs more than they do). */
const INLINE_CHARS = 64 * 1024;

export async function parseScenarioOffThread(kind: ParseRequest['kind'], input: string): Promise<Scenario> {
  if (typeof Worker === 'undefined' || input.length < INLINE_CHARS)
    return kind === 'link' ? decodeScenario(input) : parseScenarioJson(input);
  const worker = new Worker(new URL('./scenario-parse-worker.ts', import.meta.url), {
    type: 'module',
    name: 'scenario-parse',
  });
  try {
    const reply = await new Promise<ParseReply>((resolve, reject) => {
      worker.onmessage = (ev: MessageEvent<ParseReply>) => resolve(ev.data);
      worker.onerror = (ev) => reject(new Error(`the scenario parser failed (${ev.message || 'worker error'})`));
      worker.postMessage({ kind, input } satisfies ParseRequest);
    });
    if (reply.ok) return reply.scenario;
    if (reply.issues.length > 0) throw new ScenarioError(reply.issues);
    throw new Error(reply.message);
  } finally {
    worker.terminate();
  }
}
