'use client';
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import type { TSystemStats } from '../../lib/api-types';
import { errorCode } from '../../lib/errors';
import { formatTime } from '../../lib/format';
import { useTRPC } from '../../lib/trpc/client';
import { ErrorState, SkeletonBlock } from '../ui/states';
import { CachePanel, DatabasePanel, PgBouncerPanel } from './panels';
import { Sparkline } from './sparkline';

const REFRESH_MS = 2000;
const KEEP = 60;

export interface TSample {
  at: string;
  time: string;
  hitRate: number | null;
  /** Share of cache reads this process answered from its near cache (no Redis round trip), %. */
  nearHitRate: number | null;
  opsPerSec: number | null;
  clientsActive: number;
  clientsWaiting: number;
  latencyMs: number | null;
  perSecond: number;
  p95Ms: number | null;
  serverErrorPct: number | null;
  clientErrorPct: number | null;
}

const pct = (rate: number | null) => (rate === null ? null : Math.round(rate * 1000) / 10);

function toSample(s: TSystemStats): TSample {
  return {
    at: s.at,
    time: formatTime(s.at),
    hitRate: s.cache.hitRate === null ? null : Math.round(s.cache.hitRate * 1000) / 10,
    nearHitRate: s.cache.near && s.cache.near.hits + s.cache.near.misses > 0 ? pct(s.cache.near.hits / (s.cache.near.hits + s.cache.near.misses)) : null,
    opsPerSec: s.cache.opsPerSec,
    clientsActive: s.pgbouncer.pools.reduce((n, p) => n + p.clActive, 0),
    clientsWaiting: s.pgbouncer.pools.reduce((n, p) => n + p.clWaiting, 0),
    latencyMs: s.database.latencyMs,
    perSecond: Math.round(s.requests.perSecond * 10) / 10,
    p95Ms: s.requests.p95Ms,
    serverErrorPct: pct(s.requests.serverErrorRate),
    clientErrorPct: pct(s.requests.clientErrorRate),
  };
}

/** Live infrastructure figures, refreshed every 2 s; the last 60 samples feed the charts. */
export function SystemPanels() {
  const trpc = useTRPC();
  const system = useQuery(
    trpc.monitoring.system.queryOptions(undefined, {
      staleTime: 0,
      refetchInterval: (query) => (errorCode(query.state.error) === 'FORBIDDEN' ? false : REFRESH_MS),
      retry: false,
    }),
  );
  const [samples, setSamples] = useState<TSample[]>([]);
  const data = system.data;
  // Each new reading is appended once, during render (React's pattern for state derived from changing input).
  if (data && samples[samples.length - 1]?.at !== data.at) setSamples([...samples, toSample(data)].slice(-KEEP));

  if (system.isError && errorCode(system.error) === 'FORBIDDEN') {
    return (
      <div className="stack">
        <Header />
        <div className="alert alert-warning" data-testid="system-forbidden">
          <strong>You need the admin role to see system figures.</strong>
          <div>{system.error.message}</div>
        </div>
      </div>
    );
  }

  return (
    <div className="stack">
      <Header at={data?.at} live={!system.isError} fetching={system.isFetching} />
      {system.isError && <ErrorState error={system.error} title={data ? 'Refresh failed; showing the last figures' : 'Could not load system figures'} />}
      {!data ? (
        <div className="card card-body">
          <SkeletonBlock lines={6} />
        </div>
      ) : (
        <>
          <div className="grid-3">
            <ChartCard title={`Requests/s · ${data.requests.perSecond.toFixed(1)}`} testId="requests-title">
              <Sparkline testId="chart-rps" data={samples} series={[{ key: 'perSecond', label: 'req/s', color: '#0891b2' }]} />
            </ChartCard>
            <ChartCard title={`p95 latency · ${data.requests.p95Ms === null ? '–' : `≤ ${data.requests.p95Ms} ms`}`}>
              <Sparkline testId="chart-p95" data={samples} unit=" ms" series={[{ key: 'p95Ms', label: 'p95 ms', color: '#ea580c' }]} />
            </ChartCard>
            <ChartCard title={`Errors · ${data.requests.serverErrorRate === null ? '–' : `${pct(data.requests.serverErrorRate)}% server`}`}>
              <Sparkline
                testId="chart-errors"
                data={samples}
                unit="%"
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
            <ChartCard title="Cache hit rate">
              <Sparkline
                testId="chart-hit-rate"
                data={samples}
                unit="%"
                series={[
                  { key: 'hitRate', label: 'hit rate %', color: '#16a34a' },
                  ...(data.cache.near ? [{ key: 'nearHitRate', label: 'answered in-process %', color: '#0ea5e9' }] : []),
                ]}
              />
            </ChartCard>
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
            <ChartCard title="Redis ops/s">
              <Sparkline testId="chart-ops" data={samples} series={[{ key: 'opsPerSec', label: 'ops/s', color: '#7c3aed' }]} />
            </ChartCard>
          </div>
          <PgBouncerPanel pgbouncer={data.pgbouncer} />
        </>
      )}
    </div>
  );
}

function Header({ at, live, fetching }: { at?: string; live?: boolean; fetching?: boolean }) {
  return (
    <div className="page-header">
      <div>
        <h1>System</h1>
        <div className="subtitle">Requests over the last 10 s, PgBouncer pools, database and cache, as this services process sees them. Refreshes every {REFRESH_MS / 1000} s.</div>
      </div>
      {at && (
        <div className="row small muted">
          <span className={`badge ${live ? 'badge-ok' : 'badge-bad'}`}>{live ? (fetching ? '● refreshing' : '● live') : '● stale'}</span>
          Last updated <strong data-testid="last-updated">{formatTime(at)}</strong> UTC
        </div>
      )}
    </div>
  );
}

function ChartCard({ title, testId, children }: { title: string; testId?: string; children: ReactNode }) {
  return (
    <div className="card">
      <div className="card-header">
        <h3 data-testid={testId}>{title}</h3>
      </div>
      <div className="card-body" style={{ padding: '8px 8px 4px' }}>
        {children}
      </div>
    </div>
  );
}
