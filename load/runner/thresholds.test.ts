import { describe, expect, it } from 'vitest';
import { evaluateThresholds, parseThreshold, validateThresholds, type TMetric } from './thresholds';

const latencies = Array.from({ length: 100 }, (_, i) => i + 1);
const metrics: Record<string, TMetric> = {
  http_req_duration: { type: 'trend', sorted: latencies },
  http_req_failed: { type: 'rate', passes: 2, total: 100 },
  cache_hits: { type: 'rate', passes: 85, total: 100 },
  http_429: { type: 'counter', count: 3, seconds: 10 },
};

describe('parseThreshold', () => {
  it('reads k6 expressions', () => {
    expect(parseThreshold('p(95)<100')).toMatchObject({ aggregation: { kind: 'p', pct: 95 }, op: '<', limit: 100 });
    expect(parseThreshold('rate < 0.01')).toMatchObject({ aggregation: { kind: 'rate' }, op: '<', limit: 0.01, source: 'rate<0.01' });
    expect(parseThreshold('p(99.9)<=250')).toMatchObject({ aggregation: { kind: 'p', pct: 99.9 }, op: '<=' });
    expect(parseThreshold('count>=0')).toMatchObject({ aggregation: { kind: 'count' }, op: '>=', limit: 0 });
  });

  it('rejects what it cannot evaluate', () => {
    expect(() => parseThreshold('p95<100')).toThrow(/k6 syntax/);
    expect(() => parseThreshold('p(150)<1')).toThrow(/0-100/);
    expect(() => validateThresholds({ http_req_duration: ['rate<1'] })).toThrow(/does not apply to a trend/);
    expect(() => validateThresholds({ nope: ['rate<1'] })).toThrow(/measures only/);
  });
});

describe('evaluateThresholds', () => {
  it('passes and fails with the measured value', () => {
    const results = evaluateThresholds(
      { http_req_duration: ['p(95)<100', 'p(99)<99', 'avg<=50.5', 'max<100'], http_req_failed: ['rate<0.01'], cache_hits: ['rate>0.8'], http_429: ['count<5'] },
      metrics,
    );
    expect(results.map((r) => [r.name, r.passed])).toEqual([
      ['http_req_duration p(95)<100', true],
      ['http_req_duration p(99)<99', false],
      ['http_req_duration avg<=50.5', true],
      ['http_req_duration max<100', false],
      ['http_req_failed rate<0.01', false],
      ['cache_hits rate>0.8', true],
      ['http_429 count<5', true],
    ]);
    expect(results[0]).toMatchObject({ metric: 'http_req_duration', expression: 'p(95)<100', limit: 100 });
    expect(results[0]?.value).toBeCloseTo(95.05);
    expect(results[4]?.value).toBe(0.02);
  });

  it('fails a threshold whose metric had no samples, as k6 does', () => {
    const [r] = evaluateThresholds({ cache_hits: ['rate>0.8'] }, { cache_hits: { type: 'rate', passes: 0, total: 0 } });
    expect(r).toMatchObject({ value: null, passed: false });
    const [missing] = evaluateThresholds({ checks: ['rate>0.99'] }, {});
    expect(missing?.passed).toBe(false);
  });

  it('evaluates a counter rate per second', () => {
    const [r] = evaluateThresholds({ http_429: ['rate<1'] }, metrics);
    expect(r).toMatchObject({ value: 0.3, passed: true });
  });
});
