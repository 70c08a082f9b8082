import { describe, expect, it } from 'vitest';
import { seededRandom } from './mix';
import { cacheHitRate, errorCount, LiveHistogram, percentile, rateWithin, Recorder, recoverySeconds, shedCount, sortedCopy, summarize } from './stats';

describe('percentile (k6 interpolation over n - 1)', () => {
  it('interpolates between the two closest ranks', () => {
    const s = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(s, 0)).toBe(1);
    expect(percentile(s, 50)).toBe(5.5);
    expect(percentile(s, 90)).toBeCloseTo(9.1);
    expect(percentile(s, 95)).toBeCloseTo(9.55);
    expect(percentile(s, 99)).toBeCloseTo(9.91);
    expect(percentile(s, 100)).toBe(10);
  });

  it('handles one and no samples', () => {
    expect(percentile([42], 99)).toBe(42);
    expect(percentile([], 50)).toBeNaN();
  });

  it('p95 of 1..100 is 95.05', () => {
    expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 95)).toBeCloseTo(95.05);
  });
});

describe('summarize and sortedCopy', () => {
  it('sorts numerically, not as strings', () => {
    expect(Array.from(sortedCopy([10, 9, 100, 1.5]))).toEqual([1.5, 9, 10, 100]);
  });

  it('summarizes a trend', () => {
    const s = summarize(sortedCopy([4, 1, 3, 2]));
    expect(s).toMatchObject({ count: 4, min: 1, max: 4, avg: 2.5, p50: 2.5 });
    expect(summarize([]).count).toBe(0);
  });
});

describe('LiveHistogram', () => {
  it('estimates percentiles within 2 % of the exact value', () => {
    const random = seededRandom(9);
    const h = new LiveHistogram();
    const values = Array.from({ length: 20_000 }, () => 0.5 + random() ** 3 * 400);
    for (const v of values) h.add(v);
    const sorted = sortedCopy(values);
    for (const p of [50, 90, 95, 99]) {
      const exact = percentile(sorted, p);
      expect(Math.abs(h.percentile(p) - exact) / exact).toBeLessThan(0.025);
    }
    expect(h.count).toBe(20_000);
  });
});

describe('Recorder', () => {
  it('counts 4xx, 429, 5xx, 503 and missing responses apart', () => {
    const r = new Recorder();
    for (const status of [200, 200, 400, 404, 409, 429, 500, 502, 503, 503, 0]) r.record({ procedure: 'p', status, ms: 1, cache: null });
    expect(r.totals).toEqual({ total: 11, ok: 2, client: 3, throttled429: 1, server: 2, unavailable503: 2, network: 1 });
    expect(errorCount(r.totals)).toBe(6);
    expect(shedCount(r.totals)).toBe(3);
    expect(r.served).toHaveLength(8);
  });

  it('hit rate counts HIT over HIT + MISS + ERROR, ignoring BYPASS and uncached responses', () => {
    const r = new Recorder();
    for (const cache of ['HIT', 'HIT', 'HIT', 'MISS', 'ERROR', 'BYPASS', null] as const) r.record({ procedure: 'p', status: 200, ms: 1, cache });
    expect(cacheHitRate(r.cache)).toEqual({ hits: 3, reads: 5, rate: 0.6 });
    expect(cacheHitRate({ HIT: 0, MISS: 0, ERROR: 0, BYPASS: 4 }).rate).toBeNull();
  });

  it('keeps samples per procedure and counts checks', () => {
    const r = new Recorder();
    r.record({ procedure: 'a', status: 200, ms: 3, cache: null });
    r.record({ procedure: 'b', status: 200, ms: 1, cache: null });
    expect(r.check('x', true)).toBe(true);
    expect(r.check('x', false)).toBe(false);
    expect(r.checks.get('x')).toEqual({ passes: 1, fails: 1 });
    expect(r.allLatencies().sort()).toEqual([1, 3]);
  });
});

describe('rateWithin', () => {
  it('counts the stamps inside the window, per second of it', () => {
    const start = 1000;
    const times = [1000, 1500, 2000, 2500, 2999, 3000, 9000].map((t) => t);
    expect(rateWithin(times, start, 1, 2)).toBe(3); // 2000, 2500, 2999
    expect(rateWithin(times, start, 0, 2)).toBe(2.5);
    expect(rateWithin(times, start, 5, 5)).toBe(0);
  });
});

describe('recoverySeconds', () => {
  const start = 0;
  // One answer per 100 ms from 10 s on: slow or shed until `until`, normal after.
  const run = (until: number) => {
    const served: number[] = [];
    const servedAt: number[] = [];
    const shedAt: number[] = [];
    for (let t = 10_000; t < 20_000; t += 100) {
      if (t < until && t % 500 === 0) shedAt.push(t);
      else {
        servedAt.push(t);
        served.push(t < until ? 900 : 20);
      }
    }
    return { served, servedAt, shedAt };
  };
  it('is the first second from which every second is normal', () => {
    expect(recoverySeconds(run(13_000), start, 10, 500)).toBe(3);
    expect(recoverySeconds(run(10_000), start, 10, 500)).toBe(0);
  });
  it('is null when the service never recovered', () => {
    expect(recoverySeconds(run(25_000), start, 10, 500)).toBeNull();
  });
});
