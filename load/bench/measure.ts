import autocannon from 'autocannon';

export interface TMeasurement {
  name: string;
  requests: number;
  /** Seconds measured (warm-ups excluded). */
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** Every response time (ms), sorted, so rounds can be pooled. */
  latencies: number[];
}

const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);

/**
 * Runs autocannon against one URL and computes exact percentiles from every response time (autocannon's own
 * summary has no p95). A warm-up run first, discarded, so JIT, pools and caches are in their steady state.
 */
export async function measure(
  name: string,
  opts: {
    url: string;
    headers?: Record<string, string>;
    connections: number;
    seconds: number;
    warmupSeconds: number;
    method?: 'GET' | 'POST';
    /** A new body per request (writes need unique names). */
    body?: () => string;
    /**
     * A body built with a state object that the answer to the same request sees (autocannon's context, which it
     * empties before every request): for writes that must know which request an answer belongs to.
     */
    perConnection?: { body: (state: Record<string, unknown>) => string; onResponse?: (status: number, body: string, state: Record<string, unknown>) => void };
  },
): Promise<TMeasurement> {
  const per = opts.perConnection;
  const sends = opts.body !== undefined || per !== undefined;
  const base = {
    url: opts.url,
    headers: { ...opts.headers, ...(sends ? { 'content-type': 'application/json' } : {}) },
    connections: opts.connections,
    method: opts.method ?? 'GET',
    ...(opts.body ? { requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, body: opts.body!() }) }] } : {}),
    ...(per
      ? {
          initialContext: {},
          requests: [
            {
              setupRequest: (req: autocannon.Request, state: object) => ({ ...req, body: per.body(state as Record<string, unknown>) }),
              onResponse: (status: number, body: string, state: object) => per.onResponse?.(status, body, state as Record<string, unknown>),
            },
          ],
        }
      : {}),
  };
  if (opts.warmupSeconds > 0) await autocannon({ ...base, duration: opts.warmupSeconds });
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ ...base, duration: opts.seconds }, (error, r) => (error ? reject(error) : resolve(r)));
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  latencies.sort((a, b) => a - b);
  return summarise(name, opts.seconds, latencies, result.requests.total, result.errors + result.timeouts, result.non2xx);
}

function summarise(name: string, seconds: number, latencies: number[], requests: number, errors: number, non2xx: number): TMeasurement {
  return {
    name,
    requests,
    seconds,
    rps: requests / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors,
    non2xx,
    latencies,
  };
}

/** Several rounds of one target as one measurement: requests over the total time, percentiles of all responses. */
export function pool(name: string, rounds: TMeasurement[]): TMeasurement {
  const sum = (pick: (m: TMeasurement) => number) => rounds.reduce((total, m) => total + pick(m), 0);
  const latencies = rounds.flatMap((m) => m.latencies).sort((a, b) => a - b);
  return summarise(name, sum((m) => m.seconds), latencies, sum((m) => m.requests), sum((m) => m.errors), sum((m) => m.non2xx));
}
