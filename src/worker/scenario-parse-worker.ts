/**
 * Reads an untrusted scenario off the main thread: a file's text or a `?s=z1.…` link, decoded
 * (share.ts, capped) and validated (validate.ts). One message in, one reply out; the client
 * terminates the worker afterwards, so the heap a hostile input took goes with it.
 */
import { decodeScenario } from '../model/share';
import { parseScenarioJson, ScenarioError } from '../model/validate';
import type { ParseReply, ParseRequest } from './scenario-parse-protocol';

self.onmessage = async (ev: MessageEvent<ParseRequest>) => {
  const req = ev.data;
  let reply: ParseReply;
  try {
    const scenario = req.kind === 'link' ? await decodeScenario(req.input) : parseScenarioJson(req.input);
    reply = { ok: true, scenario };
  } catch (e) {
    reply =
      e instanceof ScenarioError
        ? { ok: false, issues: e.issues, message: e.message }
        : { ok: false, issues: [], message: e instanceof Error ? e.message : String(e) };
  }
  (self as unknown as Worker).postMessage(reply);
};
