/**
 * Load shedding for one process: under overload, answer a share of new requests at once with 503 and Retry-After
 * instead of letting every request wait its turn until clients time out or reset.
 *
 * Two signals, both cheap to read per request:
 * - how late the event loop runs (a 20 ms timer's lateness, smoothed): it is how long a request that has arrived
 *   waits before anything of it runs, the queue a CPU-bound process builds. Below `lagMs` everything is admitted;
 *   above it a growing share is refused, all of it at twice `lagMs`, so the process slides into shedding rather
 *   than flipping between all and nothing;
 * - requests in flight: beyond `maxInflight` everything new is refused (a cap on memory and on work queued in
 *   the database pool).
 * A refused request costs a header parse and a small response; a client that honours Retry-After stops adding to
 * the queue, and as the lag falls the share refused falls with it, so service recovers as soon as load drops.
 */
export interface TLoadShedderOptions {
  lagMs: number;
  maxInflight: number;
  /** Injected in tests; the smoothed lag is fed by `sample` then, not by a timer. */
  random?: () => number;
  timer?: boolean;
}

export type TShedReason = 'lag' | 'inflight';

export function createLoadShedder({ lagMs, maxInflight, random = Math.random, timer = true }: TLoadShedderOptions) {
  const intervalMs = 20;
  let lag = 0;
  let inflight = 0;
  let last = performance.now();
  /** Feeds one observation of the loop's lateness (ms) into the smoothed lag. */
  const sample = (lateMs: number) => {
    lag = lag * 0.7 + Math.max(0, lateMs) * 0.3;
  };
  const interval = timer
    ? setInterval(() => {
        const now = performance.now();
        sample(now - last - intervalMs);
        last = now;
      }, intervalMs).unref()
    : null;
  return {
    sample,
    /** Null when the request may be served (then call `started` and `finished`), else why it is refused. */
    refuse(): TShedReason | null {
      if (inflight >= maxInflight) return 'inflight';
      if (lag <= lagMs) return null;
      return random() < (lag - lagMs) / lagMs ? 'lag' : null;
    },
    started(): void {
      inflight += 1;
    },
    finished(): void {
      inflight -= 1;
    },
    stats: () => ({ lagMs: lag, inflight }),
    close(): void {
      if (interval) clearInterval(interval);
    },
  };
}

export type TLoadShedder = ReturnType<typeof createLoadShedder>;
