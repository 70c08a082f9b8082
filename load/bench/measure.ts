import autocannon from 'autocannon';

export interface TMeasurement {
  name: string;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
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
  },
): Promise<TMeasurement> {
  const base = {
    url: opts.url,
    headers: { ...opts.headers, ...(opts.body ? { 'content-type': 'application/json' } : {}) },
    connections: opts.connections,
    method: opts.method ?? 'GET',
    ...(opts.body ? { requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, body: opts.body!() }) }] } : {}),
  };
  await autocannon({ ...base, duration: opts.warmupSeconds });
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ ...base, duration: opts.seconds }, (error, r) => (error ? reject(error) : resolve(r)));
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  latencies.sort((a, b) => a - b);
  return {
    name,
    requests: result.requests.total,
    rps: result.requests.total / opts.seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}
