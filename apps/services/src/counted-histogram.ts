import type { Registry } from 'prom-client';

/** What the registry calls on a metric: a name and `get()` in prom-client's export shape. */
type TRegistered = Parameters<Registry['registerMetric']>[0];

type TSeries = { labels: Record<string, string>; buckets: number[]; count: number; sum: number };

/**
 * A histogram and the counter of its observations (`<counter>_total` = the histogram's `_count`), for the paths
 * that run on every request. prom-client hashes and validates the label object on every `inc` and `observe`, even
 * through `labels()` children, which cost about 5% of a cached read; here the label values are looked up once per
 * label set, and an observation is a bucket search and three additions. Both metrics are registered with
 * prom-client's registry and exposed by it unchanged, in the same format as its own Counter and Histogram.
 *
 * Label sets must stay bounded (procedure paths, namespaces, outcomes), as for any metric.
 */
export function countedHistogram<L extends string>(
  registry: Registry,
  opts: { name: string; help: string; counterName: string; counterHelp: string; labelNames: readonly L[]; buckets: readonly number[] },
) {
  const bounds = [...opts.buckets].sort((a, b) => a - b);
  const names = opts.labelNames;
  if (names.length === 0) throw new Error(`${opts.name}: countedHistogram needs at least one label`);
  // Series in a tree of maps, one level per label: a lookup allocates nothing, and label values that are the same
  // string objects each time (literals, a procedure's path kept by the caller) are not even rehashed.
  type TLevel = Map<string, TLevel | TSeries>;
  const root: TLevel = new Map();
  const series: TSeries[] = [];

  const seriesOf = (labels: Record<L, string>): TSeries => {
    let level = root;
    for (let i = 0; i < names.length - 1; i++) {
      const value = labels[names[i]!];
      let next = level.get(value) as TLevel | undefined;
      if (next === undefined) level.set(value, (next = new Map()));
      level = next;
    }
    const last = labels[names[names.length - 1]!];
    let s = level.get(last) as TSeries | undefined;
    if (s === undefined) {
      const own: Record<string, string> = {};
      for (const name of names) own[name] = labels[name];
      level.set(last, (s = { labels: own, buckets: bounds.map(() => 0), count: 0, sum: 0 }));
      series.push(s);
    }
    return s;
  };
  // A reset zeroes every series in place, so observers bound before it keep counting; like prom-client's, the
  // exposition only shows label sets observed since.
  const clear = (): void => {
    for (const s of series) {
      s.count = 0;
      s.sum = 0;
      s.buckets.fill(0);
    }
  };
  const observed = () => series.filter((s) => s.count > 0);

  const add = (s: TSeries, seconds: number): void => {
    s.count += 1;
    s.sum += seconds;
    for (let i = 0; i < bounds.length; i++) {
      if (seconds <= bounds[i]!) {
        s.buckets[i]! += 1;
        return;
      }
    }
  };

  registry.registerMetric({
    name: opts.name,
    help: opts.help,
    type: 'histogram',
    aggregator: 'sum',
    get: async () => ({
      name: opts.name,
      help: opts.help,
      type: 'histogram',
      aggregator: 'sum',
      values: observed().flatMap((s) => {
        let cumulative = 0;
        return [
          ...bounds.map((le, i) => ({ metricName: `${opts.name}_bucket`, labels: { ...s.labels, le }, value: (cumulative += s.buckets[i]!) })),
          { metricName: `${opts.name}_bucket`, labels: { ...s.labels, le: '+Inf' }, value: s.count },
          { metricName: `${opts.name}_sum`, labels: s.labels, value: s.sum },
          { metricName: `${opts.name}_count`, labels: s.labels, value: s.count },
        ];
      }),
    }),
    reset: clear,
  } as unknown as TRegistered);
  registry.registerMetric({
    name: opts.counterName,
    help: opts.counterHelp,
    type: 'counter',
    aggregator: 'sum',
    get: async () => ({
      name: opts.counterName,
      help: opts.counterHelp,
      type: 'counter',
      aggregator: 'sum',
      values: observed().map((s) => ({ labels: s.labels, value: s.count })),
    }),
    reset: clear,
  } as unknown as TRegistered);

  return {
    /** Counts one observation of `seconds` under `labels`. */
    observe(labels: Record<L, string>, seconds: number): void {
      add(seriesOf(labels), seconds);
    },
    /** An observer bound to one label set, for a caller that knows its labels ahead (a procedure's path). */
    bind(labels: Record<L, string>): (seconds: number) => void {
      const s = seriesOf(labels);
      return (seconds) => add(s, seconds);
    },
  };
}
