import { describe, expect, it } from 'vitest';
import { metricNames, metricSelectors } from './promql';

describe('metricSelectors', () => {
  it('finds metrics and their matcher labels, skipping functions, aggregations and label lists', () => {
    const expr = 'histogram_quantile(0.95, sum by (le, procedure) (rate(dharma_trpc_request_duration_seconds_bucket{type="query", status!~"OK|BAD_REQUEST"}[$__rate_interval])))';
    expect(metricSelectors(expr)).toEqual([{ metric: 'dharma_trpc_request_duration_seconds_bucket', labels: ['type', 'status'] }]);
  });

  it('handles binary operators, on/ignoring/group_left and keywords', () => {
    const expr = `max by (database) (sum by (instance, database) (dharma_pgbouncer_server_active)) >= 23
      and on (database) group_left (user) sum without (instance) (rate(dharma_pgbouncer_transactions[5m] offset 1d)) > bool 0
      or pg_up == 0 unless absent(up{job="dharma-services"} == 1)`;
    expect(metricNames(expr)).toEqual(['dharma_pgbouncer_server_active', 'dharma_pgbouncer_transactions', 'pg_up', 'up']);
  });

  it('ignores numbers, durations, strings with braces, subqueries and Grafana variables', () => {
    const expr = 'label_replace(max_over_time(redis_up{instance=~"$instance"}[1h:5m]), "dst", "{x} $1", "src", "(.*)") * 1e3 + 0.5 - Inf / ${factor}';
    expect(metricSelectors(expr)).toEqual([{ metric: 'redis_up', labels: ['instance'] }]);
  });

  it('reports a bare selector with no metric name', () => {
    expect(metricSelectors('{__name__=~"dharma_.*", job="x"}')).toEqual([{ metric: '', labels: ['__name__', 'job'] }]);
  });
});
