import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { countedHistogram } from './counted-histogram';

const opts = {
  name: 'demo_duration_seconds',
  help: 'demo duration',
  counterName: 'demo_calls_total',
  counterHelp: 'demo calls',
  labelNames: ['procedure', 'status'] as const,
  buckets: [0.001, 0.01, 0.1, 1],
};

/** Exposition lines with each sample's labels sorted, so two exporters that order labels differently compare equal. */
const normalise = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((line) => line.replace(/\{([^}]*)\}/, (_m, labels: string) => `{${labels.split(',').sort().join(',')}}`))
    .sort();

describe('countedHistogram', () => {
  it("exposes exactly what prom-client's own Counter and Histogram expose for the same observations", async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const fast = countedHistogram(ours, opts);
    const histogram = new Histogram({ name: opts.name, help: opts.help, labelNames: opts.labelNames, buckets: opts.buckets, registers: [theirs] });
    const counter = new Counter({ name: opts.counterName, help: opts.counterHelp, labelNames: opts.labelNames, registers: [theirs] });
    const bound = fast.bind({ procedure: 'a.get', status: 'OK' });
    const samples: [Record<'procedure' | 'status', string>, number][] = [
      [{ procedure: 'a.get', status: 'OK' }, 0.0004],
      [{ procedure: 'a.get', status: 'OK' }, 0.001], // on a bound: le is inclusive
      [{ procedure: 'a.get', status: 'OK' }, 0.05],
      [{ procedure: 'a.get', status: 'NOT_FOUND' }, 0.2],
      [{ procedure: 'b.list', status: 'OK' }, 7], // above every bucket: only +Inf
    ];
    for (const [labels, seconds] of samples) {
      if (labels.procedure === 'a.get' && labels.status === 'OK') bound(seconds);
      else fast.observe(labels, seconds);
      histogram.observe(labels, seconds);
      counter.inc(labels);
    }
    expect(normalise(await ours.metrics())).toEqual(normalise(await theirs.metrics()));
    expect(await ours.getSingleMetricAsString('demo_calls_total')).toContain('demo_calls_total{procedure="a.get",status="OK"} 3');
  });

  it('keeps label sets apart even when values would run together', async () => {
    const registry = new Registry();
    const fast = countedHistogram(registry, opts);
    fast.observe({ procedure: 'ab', status: 'c' }, 0.5);
    fast.observe({ procedure: 'a', status: 'bc' }, 0.5);
    const text = await registry.getSingleMetricAsString('demo_calls_total');
    expect(text).toContain('demo_calls_total{procedure="ab",status="c"} 1');
    expect(text).toContain('demo_calls_total{procedure="a",status="bc"} 1');
  });

  it('starts over on registry reset, and observers bound before it keep counting', async () => {
    const registry = new Registry();
    const fast = countedHistogram(registry, opts);
    const bound = fast.bind({ procedure: 'b', status: 'OK' });
    fast.observe({ procedure: 'a', status: 'OK' }, 0.5);
    bound(0.5);
    registry.resetMetrics();
    expect(await registry.getSingleMetricAsString('demo_calls_total')).not.toContain('procedure=');
    bound(0.5);
    const text = await registry.getSingleMetricAsString('demo_calls_total');
    expect(text).toContain('demo_calls_total{procedure="b",status="OK"} 1');
    expect(text).not.toContain('procedure="a"');
  });
});
