import { mean, percentile } from './stats';

/**
 * k6 threshold expressions (`p(95)<100`, `rate<0.01`, `count>=0`), parsed and evaluated the way k6 does, so
 * scenarios.json holds one set of thresholds that k6 takes as they are and the Node runner checks itself.
 */
export type TAggregation = { kind: 'p'; pct: number } | { kind: 'avg' | 'min' | 'max' | 'med' | 'rate' | 'count' };
export type TOperator = '<' | '<=' | '>' | '>=' | '==' | '===' | '!=';

export interface TThresholdExpr {
  aggregation: TAggregation;
  op: TOperator;
  limit: number;
  source: string;
}

/** What the runner measured, by k6 metric name. Trends carry their samples sorted ascending. */
export type TMetric =
  | { type: 'trend'; sorted: ArrayLike<number> }
  | { type: 'rate'; passes: number; total: number }
  | { type: 'counter'; count: number; seconds: number };

export interface TThresholdResult {
  /** `http_req_duration p(95)<100`: one line, one test in the CI summary. */
  name: string;
  metric: string;
  expression: string;
  /** The number on the right of the operator, in the metric's unit (ms for trends, a fraction for rates). */
  limit: number;
  /** What was measured; null when the metric had no samples (which fails, as in k6). */
  value: number | null;
  passed: boolean;
}

const EXPR = /^\s*(p\(\s*(\d+(?:\.\d+)?)\s*\)|avg|min|max|med|rate|count)\s*(===|==|!=|<=|>=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/;

/** Which aggregations each kind of metric supports (k6's own rules). */
const ALLOWED: Record<TMetric['type'], readonly TAggregation['kind'][]> = {
  trend: ['p', 'avg', 'min', 'max', 'med'],
  rate: ['rate'],
  counter: ['count', 'rate'],
};

/** The metrics the runner produces, so a threshold on anything else is caught when scenarios.json is loaded. */
export const KNOWN_METRICS: Record<string, TMetric['type']> = {
  http_req_duration: 'trend',
  http_req_failed: 'rate',
  cache_hits: 'rate',
  checks: 'rate',
  http_reqs: 'counter',
  iterations: 'counter',
  http_429: 'counter',
  http_503: 'counter',
  /** Share of responses that were 429 or 503 (load shed or a dependency down, with Retry-After). */
  http_req_shed: 'rate',
  /** Latency of the responses that were not 429 or 503, and how many there were: the work the service took on. */
  served_req_duration: 'trend',
  served_reqs: 'counter',
};

export function parseThreshold(source: string): TThresholdExpr {
  const m = EXPR.exec(source);
  if (!m) throw new Error(`threshold "${source}": expected k6 syntax such as p(95)<100, rate<0.01 or count>=0`);
  const [, agg = '', pct, op = '<', limit = '0'] = m;
  const aggregation: TAggregation = pct !== undefined ? { kind: 'p', pct: Number(pct) } : { kind: agg as Exclude<TAggregation['kind'], 'p'> };
  if (aggregation.kind === 'p' && (aggregation.pct < 0 || aggregation.pct > 100)) throw new Error(`threshold "${source}": percentile must be 0-100`);
  return { aggregation, op: op as TOperator, limit: Number(limit), source: source.replace(/\s+/g, '') };
}

/** Throws when a metric is unknown to the runner or an expression does not fit the metric's type. */
export function validateThresholds(thresholds: Record<string, readonly string[]>): void {
  for (const [metric, exprs] of Object.entries(thresholds)) {
    const type = KNOWN_METRICS[metric];
    if (!type) throw new Error(`threshold on "${metric}": the runner measures only ${Object.keys(KNOWN_METRICS).join(', ')}`);
    for (const source of exprs) {
      const { aggregation } = parseThreshold(source);
      if (!ALLOWED[type].includes(aggregation.kind)) throw new Error(`threshold "${metric}: ${source}": ${aggregation.kind} does not apply to a ${type}`);
    }
  }
}

export function aggregate(metric: TMetric, aggregation: TAggregation): number | null {
  if (metric.type === 'trend') {
    const s = metric.sorted;
    if (s.length === 0) return null;
    switch (aggregation.kind) {
      case 'p':
        return percentile(s, aggregation.pct);
      case 'med':
        return percentile(s, 50);
      case 'min':
        return s[0] ?? null;
      case 'max':
        return s[s.length - 1] ?? null;
      case 'avg':
        return mean(s);
      default:
        return null;
    }
  }
  if (metric.type === 'rate') return metric.total === 0 || aggregation.kind !== 'rate' ? null : metric.passes / metric.total;
  if (aggregation.kind === 'count') return metric.count;
  if (aggregation.kind === 'rate') return metric.seconds > 0 ? metric.count / metric.seconds : null;
  return null;
}

export function compare(value: number, op: TOperator, limit: number): boolean {
  switch (op) {
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
    case '==':
    case '===':
      return value === limit;
    case '!=':
      return value !== limit;
  }
}

export function evaluateThresholds(thresholds: Record<string, readonly string[]>, metrics: Record<string, TMetric>): TThresholdResult[] {
  const results: TThresholdResult[] = [];
  for (const [metric, exprs] of Object.entries(thresholds)) {
    for (const source of exprs) {
      const expr = parseThreshold(source);
      const measured = metrics[metric];
      const value = measured ? aggregate(measured, expr.aggregation) : null;
      results.push({
        name: `${metric} ${expr.source}`,
        metric,
        expression: expr.source,
        limit: expr.limit,
        value,
        passed: value !== null && compare(value, expr.op, expr.limit),
      });
    }
  }
  return results;
}
