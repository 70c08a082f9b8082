import type { TSystemStats } from '../../lib/api-types';
import { formatBytes, formatNumber, formatPercent } from '../../lib/format';

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="stat">
      <div className="stat-label">{label}</div>
      <div className="stat-value" data-testid={testId}>
        {value}
      </div>
    </div>
  );
}

const us = (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(1)} ms` : `${formatNumber(Math.round(n))} µs`);

export function DatabasePanel({ db }: { db: TSystemStats['database'] }) {
  return (
    <section className="card" data-testid="panel-database">
      <div className="card-header">
        <h2>Database</h2>
        <span className={`badge ${db.ok ? 'badge-ok' : 'badge-bad'}`} data-testid="db-ok">
          {db.ok ? 'ok' : 'down'}
        </span>
      </div>
      <div className="card-body flush">
        <div className="stats">
          <Stat label="Latency" value={db.latencyMs === null ? '—' : `${db.latencyMs.toFixed(2)} ms`} testId="db-latency" />
          <Stat label="In-flight transactions" value={formatNumber(db.transactionsInFlight)} testId="db-inflight" />
          <Stat label="Pool max" value={formatNumber(db.poolMax)} testId="db-pool-max" />
          <Stat label="Pool in use" value={formatPercent(db.poolMax > 0 ? db.transactionsInFlight / db.poolMax : null)} testId="db-pool-use" />
        </div>
        {db.error && <div className="alert alert-error" style={{ margin: 12 }}>{db.error}</div>}
      </div>
    </section>
  );
}

export function CachePanel({ cache }: { cache: TSystemStats['cache'] }) {
  const redis = cache.kind === 'redis';
  return (
    <section className="card" data-testid="panel-cache">
      <div className="card-header">
        <h2>{redis ? 'Redis cache' : 'Cache'}</h2>
        <span className="row">
          <span className="badge" data-testid="cache-kind">{cache.kind}</span>
          <span className={`badge ${cache.connected ? 'badge-ok' : 'badge-bad'}`} data-testid="cache-connected">
            {cache.connected ? 'connected' : 'disconnected'}
          </span>
        </span>
      </div>
      <div className="card-body flush">
        {!redis && (
          <div className="alert alert-info" style={{ margin: 12 }} data-testid="cache-memory">
            In-memory cache: no Redis is configured (REDIS_URL unset), so each services process caches on its own.
          </div>
        )}
        <div className="stats">
          <Stat label="Hit rate" value={formatPercent(cache.hitRate)} testId="cache-hit-rate" />
          <Stat label="Hits" value={formatNumber(cache.hits)} testId="cache-hits" />
          <Stat label="Misses" value={formatNumber(cache.misses)} testId="cache-misses" />
          <Stat label="Lookups" value={formatNumber(cache.hits + cache.misses)} testId="cache-lookups" />
          <Stat label="Errors" value={formatNumber(cache.errors)} testId="cache-errors" />
          <Stat label="Keys" value={formatNumber(cache.keys)} testId="cache-keys" />
          <Stat label="Memory" value={formatBytes(cache.usedMemoryBytes)} testId="cache-memory-bytes" />
          <Stat label="Ops/s" value={formatNumber(cache.opsPerSec)} testId="cache-ops" />
        </div>
        {cache.near && <NearCacheStats near={cache.near} />}
      </div>
    </section>
  );
}

export function PgBouncerPanel({ pgbouncer }: { pgbouncer: TSystemStats['pgbouncer'] }) {
  if (!pgbouncer.configured) {
    return (
      <section className="card" data-testid="panel-pgbouncer">
        <div className="card-header">
          <h2>PgBouncer</h2>
        </div>
        <div className="card-body">
          <div className="alert alert-info" data-testid="pgbouncer-off">
            PgBouncer not in use in embedded mode: the services connect to Postgres directly (PGBOUNCER_ADMIN_URL unset).
          </div>
        </div>
      </section>
    );
  }
  return (
    <section className="card" data-testid="panel-pgbouncer">
      <div className="card-header">
        <h2>PgBouncer pools</h2>
        <span className="muted small">{pgbouncer.pools[0]?.poolMode ? `${pgbouncer.pools[0].poolMode} mode` : ''}</span>
      </div>
      {pgbouncer.error && (
        <div className="card-body">
          <div className="alert alert-error" data-testid="pgbouncer-error">
            Could not read the PgBouncer admin console: {pgbouncer.error}
          </div>
        </div>
      )}
      <div className="table-wrap">
        <table className="table" data-testid="pools-table">
          <thead>
            <tr>
              <th>Database</th>
              <th>User</th>
              <th className="num">Clients active</th>
              <th className="num">Clients waiting</th>
              <th className="num">Servers active</th>
              <th className="num">Servers idle</th>
              <th className="num">Servers used</th>
              <th className="num">Max wait</th>
            </tr>
          </thead>
          <tbody>
            {pgbouncer.pools.length === 0 ? (
              <tr>
                <td colSpan={8} className="muted">No pools yet.</td>
              </tr>
            ) : (
              pgbouncer.pools.map((p) => (
                <tr key={`${p.database}/${p.user}`} data-testid={`pool-${p.database}`}>
                  <td><code>{p.database}</code></td>
                  <td><code>{p.user}</code></td>
                  <td className="num">{p.clActive}</td>
                  <td className="num" style={p.clWaiting > 0 ? { color: 'var(--danger)', fontWeight: 600 } : undefined}>{p.clWaiting}</td>
                  <td className="num">{p.svActive}</td>
                  <td className="num">{p.svIdle}</td>
                  <td className="num">{p.svUsed}</td>
                  <td className="num">{p.maxWaitSeconds} s</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <div className="card-header" style={{ borderTop: '1px solid var(--border)' }}>
        <h2>PgBouncer stats</h2>
      </div>
      <div className="table-wrap">
        <table className="table" data-testid="pgbouncer-stats">
          <thead>
            <tr>
              <th>Database</th>
              <th className="num">Transactions</th>
              <th className="num">Queries</th>
              <th className="num">Avg transaction</th>
              <th className="num">Avg query</th>
              <th className="num">Avg wait</th>
            </tr>
          </thead>
          <tbody>
            {pgbouncer.stats.map((s) => (
              <tr key={s.database} data-testid={`stats-${s.database}`}>
                <td><code>{s.database}</code></td>
                <td className="num" data-testid={`stats-${s.database}-xacts`}>{formatNumber(s.totalXactCount)}</td>
                <td className="num">{formatNumber(s.totalQueryCount)}</td>
                <td className="num">{us(s.avgXactTimeUs)}</td>
                <td className="num">{us(s.avgQueryTimeUs)}</td>
                <td className="num">{us(s.avgWaitTimeUs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** This services process's near cache: copies of entries kept current by Redis client tracking. */
function NearCacheStats({ near }: { near: NonNullable<TSystemStats['cache']['near']> }) {
  const reads = near.hits + near.misses;
  return (
    <div data-testid="panel-near-cache">
      <div className="card-header">
        <h3 title="Copies of cache entries in the services process, kept current by Redis client tracking: a hit on one needs no Redis round trip">
          Near cache (this process)
        </h3>
        <span className={`badge ${near.tracking ? 'badge-ok' : 'badge-bad'}`} data-testid="near-tracking">
          {near.tracking ? 'tracking' : 'off'}
        </span>
      </div>
      <div className="stats">
        <Stat label="Answered in-process" value={formatPercent(reads > 0 ? near.hits / reads : null)} testId="near-hit-rate" />
        <Stat label="Copies" value={formatNumber(near.entries)} testId="near-entries" />
        <Stat label="Memory" value={formatBytes(near.bytes)} testId="near-bytes" />
        <Stat label="Sent to Redis" value={formatNumber(near.misses)} testId="near-misses" />
      </div>
    </div>
  );
}
