/**
 * The rows of a field evaluation split over row workers that share no memory with the caller
 * (a browser page that is not cross-origin isolated has no SharedArrayBuffer): each worker is
 * sent copies of the tokens X (n·d doubles) and of the u rows of its range of row pairs, runs
 * them with the same kernel, and sends back their OUT rows, which the caller writes into its
 * arena. The caller runs the first range itself meanwhile. A row is summed by the same code in
 * the same order whoever runs it, so the result is the same bits as one thread
 * (tests/unit/row-split.test.ts).
 *
 * Workers are reached through `RowPort` (how a request travels is the port's business: a Web
 * Worker's postMessage with transfer in the browser, a direct call in tests), and answer with
 * `serveRows`.
 */
import { countPairs, drainRows, type RowJob, RowKernel } from './row-kernel';
import { outStride } from './row-module';

/** What a row worker is asked: row pairs [p0, p1) of a load of `heads` heads of n tokens in d dimensions. */
export interface RowRequest {
  n: number;
  d: number;
  heads: number;
  ito: boolean;
  p0: number;
  p1: number;
  /** Tokens X, n·d doubles. */
  x: Float64Array;
  /** The u rows of pairs p0…p1 − 1 (flat rows 2·p0 … 2·p1 − 1), (p1 − p0)·2·d doubles. */
  u: Float64Array;
}

/** A way to a row worker. */
export interface RowPort {
  /** Sends `request` (its arrays may be transferred: the caller does not use them again); resolves with the OUT rows. */
  request(request: RowRequest): Promise<Float64Array>;
}

let served: RowKernel | undefined;

/**
 * A row worker's answer: the OUT rows of the requested pairs, (p1 − p0)·2·(d + 3) doubles. Runs
 * on the agent's private arena (never the one its own field evaluations use).
 */
export function serveRows(r: RowRequest): Float64Array {
  if (!served || served.n !== r.n || served.d !== r.d || served.H < r.heads)
    served = new RowKernel(r.n, r.d, r.heads, 1, true);
  const { mem, layout: L } = served.prepare(r.heads);
  const nPad = served.nPad;
  if (r.x.length !== r.n * r.d || r.u.length !== (r.p1 - r.p0) * 2 * r.d || r.p0 < 0 || r.p1 * 2 > r.heads * nPad)
    throw new RangeError(
      `row request: sizes do not match n = ${r.n}, d = ${r.d}, heads = ${r.heads}, pairs ${r.p0}…${r.p1}`,
    );
  mem.set(r.x, L.x);
  mem.set(r.u, L.u + 2 * r.p0 * r.d);
  served.runPairs(r.ito, r.p0, r.p1);
  const K = served.stride;
  return mem.slice(L.out + 2 * r.p0 * K, L.out + 2 * r.p1 * K);
}

/** Boundaries of `parts` near-equal ranges of [0, total): parts + 1 numbers from 0 to total. */
export function evenSplit(total: number, parts: number): number[] {
  return Array.from({ length: parts + 1 }, (_, k) => Math.floor((k * total) / parts));
}

/** Splits each row job over the caller and its ports (threads = ports + 1). */
export class RowSplitter {
  constructor(private readonly ports: readonly RowPort[]) {}

  /** Threads a load may use: the caller and every port. */
  get threads(): number {
    return this.ports.length + 1;
  }

  /**
   * Runs the prepared load of `job`: below the kernel's crossover on this thread (kernel.run),
   * else the first range here and one range per port. Progress (setRowProgress) counts this
   * thread's pairs as it runs them and each worker's when its reply arrives.
   */
  async run(job: RowJob): Promise<void> {
    const { kernel, ito } = job;
    const { mem, layout: L, pairs } = kernel.prepared;
    const T = Math.min(kernel.threadsForLoad, this.threads, pairs);
    if (T <= 1) {
      kernel.run(ito);
      return;
    }
    const { n, d } = L;
    const K = outStride(d);
    const at = evenSplit(pairs, T);
    const replies = this.ports.slice(0, T - 1).map((port, w) => {
      const p0 = at[w + 1]!;
      const p1 = at[w + 2]!;
      const request: RowRequest = {
        n,
        d,
        heads: kernel.prepared.heads,
        ito,
        p0,
        p1,
        x: mem.slice(L.x, L.x + n * d),
        u: mem.slice(L.u + 2 * p0 * d, L.u + 2 * p1 * d),
      };
      return port.request(request).then((out) => {
        if (out.length !== (p1 - p0) * 2 * K)
          throw new Error(
            `a row worker answered ${out.length} doubles for pairs ${p0}…${p1}, expected ${(p1 - p0) * 2 * K}`,
          );
        countPairs(p1 - p0);
        return { p0, out };
      });
    });
    kernel.runPairs(ito, 0, at[1]!);
    const done = await Promise.all(replies);
    // The arena is not touched by anyone else meanwhile (the caller's calls run one at a time).
    const target = kernel.prepared.mem;
    for (const { p0, out } of done) target.set(out, L.out + 2 * p0 * K);
  }
}

/** Runs every row job of `jobs` through `splitter` (or on this agent when there is none); returns the generator's result. */
export async function drainRowsSplit<T>(jobs: Generator<RowJob, T, void>, splitter?: RowSplitter): Promise<T> {
  if (!splitter) return drainRows(jobs);
  for (;;) {
    const r = jobs.next();
    if (r.done) return r.value;
    await splitter.run(r.value);
  }
}
