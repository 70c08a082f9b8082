/**
 * Percentiles as k6 computes them (linear interpolation between the two closest ranks over n - 1), so a p95 from
 * this runner and one from k6 over the same samples are the same number.
 */
export function percentile(sorted: ArrayLike<number>, pct: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (n === 1) return sorted[0]!;
  const i = (pct / 100) * (n - 1);
  const lo = sorted[Math.floor(i)]!;
  const hi = sorted[Math.ceil(i)]!;
  return lo + (hi - lo) * (i - Math.floor(i));
}

export interface TTrendSummary {
  count: number;
  min: number;
  avg: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(sorted: ArrayLike<number>): TTrendSummary {
  const n = sorted.length;
  if (n === 0) return { count: 0, min: NaN, avg: NaN, p50: NaN, p90: NaN, p95: NaN, p99: NaN, max: NaN };
  return {
    count: n,
    min: sorted[0]!,
    avg: mean(sorted),
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[n - 1]!,
  };
}

export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return values.length === 0 ? NaN : sum / values.length;
}

/** Typed-array sort is numeric (a plain array's default sort compares strings). */
export const sortedCopy = (values: readonly number[]): Float64Array => Float64Array.from(values).sort();

/**
 * Log-bucketed latency histogram (2 % buckets) for the live display: adding is O(1) and a percentile is a scan
 * of a few hundred buckets, so the progress line never sorts the samples while the run is being measured.
 */
export class LiveHistogram {
  private static readonly BASE = Math.log(1.02);
  private readonly buckets = new Uint32Array(1200);
  private n = 0;

  add(ms: number): void {
    const i = ms <= 0.01 ? 0 : Math.min(this.buckets.length - 1, Math.ceil(Math.log(ms / 0.01) / LiveHistogram.BASE));
    this.buckets[i]! += 1;
    this.n += 1;
  }

  get count(): number {
    return this.n;
  }

  /** The upper bound of the bucket holding the pct-th sample: at most 2 % above the exact value. */
  percentile(pct: number): number {
    if (this.n === 0) return NaN;
    const rank = Math.ceil((pct / 100) * this.n);
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i]!;
      if (seen >= rank) return 0.01 * Math.exp(i * LiveHistogram.BASE);
    }
    return NaN;
  }
}

export type TCacheHeader = 'HIT' | 'MISS' | 'ERROR' | 'BYPASS';

export interface TSample {
  procedure: string;
  /** HTTP status; 0 when the request never got one (connection refused, reset, timeout). */
  status: number;
  ms: number;
  cache: TCacheHeader | null;
}

export interface TStatusCounts {
  total: number;
  ok: number;
  /** 4xx other than 429. */
  client: number;
  throttled429: number;
  /** 5xx other than 503. */
  server: number;
  unavailable503: number;
  network: number;
}

const zeroCounts = (): TStatusCounts => ({ total: 0, ok: 0, client: 0, throttled429: 0, server: 0, unavailable503: 0, network: 0 });

/**
 * Failed requests: 4xx, 5xx and no response, except 429 and 503 with which the service sheds load (counted apart by
 * `shedCount`, as k6 counts them once told they are expected statuses): a refusal to start work is not a failure of
 * work, but a run that sheds a lot says so beside its error rate.
 */
export const errorCount = (c: TStatusCounts): number => c.client + c.server + c.network;
/** Requests the service refused under load or an outage, with Retry-After: 429 and 503. */
export const shedCount = (c: TStatusCounts): number => c.throttled429 + c.unavailable503;

function countStatus(c: TStatusCounts, status: number): void {
  c.total += 1;
  if (status === 0) c.network += 1;
  else if (status === 429) c.throttled429 += 1;
  else if (status === 503) c.unavailable503 += 1;
  else if (status >= 500) c.server += 1;
  else if (status >= 400) c.client += 1;
  else c.ok += 1;
}

interface TProcedureStats {
  latencies: number[];
  counts: TStatusCounts;
  cache: Record<TCacheHeader, number>;
}

/** Everything measured during a run. Samples are kept whole: exact percentiles at the end, as k6 reports them. */
export class Recorder {
  readonly procedures = new Map<string, TProcedureStats>();
  readonly checks = new Map<string, { passes: number; fails: number }>();
  readonly live = new LiveHistogram();
  /** Latencies of the responses that were not 429 or 503: the requests the service took on. */
  readonly served: number[] = [];
  /** When each served and each shed response arrived (performance.now()), for the rate at the peak. */
  readonly servedAt: number[] = [];
  readonly shedAt: number[] = [];
  readonly totals = zeroCounts();
  readonly cache: Record<TCacheHeader, number> = { HIT: 0, MISS: 0, ERROR: 0, BYPASS: 0 };
  iterations = 0;
  /** Status codes seen per procedure that were not 2xx, with one example message each, for the summary. */
  readonly failures = new Map<string, { count: number; example: string }>();

  record(s: TSample): void {
    let p = this.procedures.get(s.procedure);
    if (!p) {
      p = { latencies: [], counts: zeroCounts(), cache: { HIT: 0, MISS: 0, ERROR: 0, BYPASS: 0 } };
      this.procedures.set(s.procedure, p);
    }
    p.latencies.push(s.ms);
    countStatus(p.counts, s.status);
    countStatus(this.totals, s.status);
    if (s.status !== 429 && s.status !== 503) {
      this.served.push(s.ms);
      this.servedAt.push(performance.now());
    } else this.shedAt.push(performance.now());
    if (s.cache) {
      p.cache[s.cache] += 1;
      this.cache[s.cache] += 1;
    }
    this.live.add(s.ms);
  }

  failure(procedure: string, status: number, message: string): void {
    const key = `${procedure} ${status}`;
    const known = this.failures.get(key);
    if (known) known.count += 1;
    else this.failures.set(key, { count: 1, example: message.slice(0, 160) });
  }

  check(name: string, ok: boolean): boolean {
    let c = this.checks.get(name);
    if (!c) {
      c = { passes: 0, fails: 0 };
      this.checks.set(name, c);
    }
    if (ok) c.passes += 1;
    else c.fails += 1;
    return ok;
  }

  allLatencies(): number[] {
    const all: number[] = [];
    for (const p of this.procedures.values()) for (const v of p.latencies) all.push(v);
    return all;
  }
}

/** HIT / (HIT + MISS + ERROR) over responses that carried x-cache; BYPASS (cache switched off) is not a read. */
export function cacheHitRate(c: Record<TCacheHeader, number>): { hits: number; reads: number; rate: number | null } {
  const reads = c.HIT + c.MISS + c.ERROR;
  return { hits: c.HIT, reads, rate: reads === 0 ? null : c.HIT / reads };
}

/**
 * Requests per second of `times` (performance.now() stamps) within [from, to) seconds after `start`: the rate while the
 * run held its peak, which a whole-run average (ramps included) understates.
 */
export function rateWithin(times: readonly number[], start: number, from: number, to: number): number {
  if (to <= from) return 0;
  let n = 0;
  for (const t of times) {
    const s = (t - start) / 1000;
    if (s >= from && s < to) n += 1;
  }
  return n / (to - from);
}

/**
 * How long after `from` (seconds after `start`) the service was answering normally again: the start of the first
 * one-second window from which on every window's served p95 stays under `p95Ms` and nothing is shed. Null when
 * that never happened before the last answer; NaN windows (no answers) do not count against it.
 */
export function recoverySeconds(
  rec: { served: readonly number[]; servedAt: readonly number[]; shedAt: readonly number[] },
  start: number,
  from: number,
  p95Ms: number,
): number | null {
  const buckets = new Map<number, { latencies: number[]; shed: number }>();
  const bucket = (t: number) => {
    const s = Math.floor((t - start) / 1000 - from);
    if (s < 0) return null;
    let b = buckets.get(s);
    if (!b) buckets.set(s, (b = { latencies: [], shed: 0 }));
    return b;
  };
  rec.servedAt.forEach((t, i) => bucket(t)?.latencies.push(rec.served[i]!));
  for (const t of rec.shedAt) {
    const b = bucket(t);
    if (b) b.shed += 1;
  }
  const last = Math.max(-1, ...buckets.keys());
  let recovered: number | null = null;
  for (let s = last; s >= 0; s--) {
    const b = buckets.get(s);
    const bad = b !== undefined && (b.shed > 0 || percentile(sortedCopy(b.latencies), 95) >= p95Ms);
    if (bad) break;
    recovered = s;
  }
  return recovered;
}
