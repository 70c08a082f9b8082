'use client';
import { useState } from 'react';
import type { TSystemStats } from '../../lib/api-types';
import { formatTime } from '../../lib/format';
import { ChartCard } from './chart-card';
import { CachePanel, DatabasePanel, PgBouncerPanel } from './panels';
import { formatMs, formatPct, Sparkline, type TSeries } from './sparkline';

const KEEP = 60;

export interface TSample {
  at: string;
  time: string;
  hitRate: number | null;
  /** Share of cache reads this process answered from its near cache (no Redis round trip), %. */
  nearHitRate: number | null;
  opsPerSec: number | null;
  /** PgBouncer's clients; null when PgBouncer is not in use (not zero: nothing was measured). */
  clientsActive: number | null;
  clientsWaiting: number | null;
  latencyMs: number | null;
  perSecond: number;
  p95Ms: number | null;
  serverErrorPct: number | null;
  clientErrorPct: number | null;
}

const pct = (rate: number | null) => (rate === null ? null : Math.round(rate * 1000) / 10);
const sum = (s: TSystemStats, pick: (p: TSystemStats['pgbouncer']['pools'][number]) => number) =>
  s.pgbouncer.configured ? s.pgbouncer.pools.reduce((n, p) => n + pick(p), 0) : null;

function toSample(s: TSystemStats): TSample {
  return {
    at: s.at,
    time: formatTime(s.at),
    hitRate: pct(s.cache.hitRate),
    nearHitRate: s.cache.near && s.cache.near.hits + s.cache.near.misses > 0 ? pct(s.cache.near.hits / (s.cache.near.hits + s.cache.near.misses)) : null,
    opsPerSec: s.cache.opsPerSec,
    clientsActive: sum(s, (p) => p.clActive),
    clientsWaiting: sum(s, (p) => p.clWaiting),
    latencyMs: s.database.latencyMs,
    perSecond: Math.round(s.requests.perSecond * 10) / 10,
    p95Ms: s.requests.p95Ms,
    serverErrorPct: pct(s.requests.serverErrorRate),
    clientErrorPct: pct(s.requests.clientErrorRate),
  };
}

/**
 * The platform as this services process sees it: request rate, p95 and errors over the last 10 s, database,
 * cache and PgBouncer. A part that is not in use (no PgBouncer admin URL, no Redis, no near cache) gets no chart
 * and no series, rather than a flat line at zero that reads like a measurement.
 */
export function PlatformFigures({ data }: { data: TSystemStats }) {
  const [samples, setSamples] = useState<TSample[]>([]);
  // Each new reading is appended once, during render (React's pattern for state derived from changing input).
  if (samples[samples.length - 1]?.at !== data.at) setSamples([...samples, toSample(data)].slice(-KEEP));

  const redis = data.cache.kind === 'redis';
  const hitSeries: TSeries[] = [
    { key: 'hitRate', label: 'hit rate %', color: '#16a34a' },
    ...(data.cache.near ? [{ key: 'nearHitRate', label: 'answered in-process %', color: '#0ea5e9' }] : []),
  ];
  return (
    <>
      <div className="grid-3">
        <ChartCard title={`Requests/s · ${data.requests.perSecond.toFixed(1)}`} testId="requests-title">
          <Sparkline testId="chart-rps" data={samples} series={[{ key: 'perSecond', label: 'req/s', color: '#0891b2' }]} />
        </ChartCard>
        <ChartCard title={`p95 latency · ${data.requests.p95Ms === null ? '–' : `≤ ${formatMs(data.requests.p95Ms)}`}`}>
          <Sparkline testId="chart-p95" data={samples} format={formatMs} series={[{ key: 'p95Ms', label: 'p95', color: '#ea580c' }]} />
        </ChartCard>
        <ChartCard title={`Errors · ${data.requests.serverErrorRate === null ? '–' : `${pct(data.requests.serverErrorRate)}% server`}`}>
          <Sparkline
            testId="chart-errors"
            data={samples}
            format={formatPct}
            series={[
              { key: 'serverErrorPct', label: 'server %', color: '#dc2626' },
              { key: 'clientErrorPct', label: 'client %', color: '#ca8a04' },
            ]}
          />
        </ChartCard>
      </div>
      <div className="grid-2">
        <DatabasePanel db={data.database} />
        <CachePanel cache={data.cache} />
      </div>
      <div className="grid-3">
        <ChartCard title={data.cache.near ? 'Cache hit rate and near cache' : 'Cache hit rate'}>
          <Sparkline testId="chart-hit-rate" data={samples} format={formatPct} series={hitSeries} />
        </ChartCard>
        {data.pgbouncer.configured && (
          <ChartCard title="PgBouncer clients">
            <Sparkline
              testId="chart-clients"
              data={samples}
              series={[
                { key: 'clientsActive', label: 'active', color: '#2563eb' },
                { key: 'clientsWaiting', label: 'waiting', color: '#dc2626' },
              ]}
            />
          </ChartCard>
        )}
        {redis && (
          <ChartCard title="Redis ops/s">
            <Sparkline testId="chart-ops" data={samples} series={[{ key: 'opsPerSec', label: 'ops/s', color: '#7c3aed' }]} />
          </ChartCard>
        )}
      </div>
      <PgBouncerPanel pgbouncer={data.pgbouncer} />
    </>
  );
}
