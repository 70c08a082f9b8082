import { createPgbouncerAdmin, type TPoolRow, type TStatsRow } from '@dharma/services/domain/monitoring/pgbouncer';

export interface TGauge {
  max: number;
  avg: number;
}

export interface TPoolSummary {
  database: string;
  samples: number;
  clActive: TGauge;
  clWaiting: TGauge;
  svActive: TGauge;
  svIdle: TGauge;
  /** SHOW STATS deltas over the run: every client of the database counts, not only this run's services. */
  transactions: number;
  queries: number;
  /** Microseconds a client waited for a server connection, per transaction (total_wait_time / transactions). */
  avgWaitUsPerTransaction: number | null;
  /** Peak cl_active / peak sv_active: how many client connections each server connection carried. */
  clientsPerServer: number | null;
}

export type TPoolResult = { ok: true; summary: TPoolSummary } | { ok: false; reason: string };

export interface TPgbouncerSampler {
  stop(): Promise<TPoolResult>;
}

type TPoolSample = Pick<TPoolRow, 'clActive' | 'clWaiting' | 'svActive' | 'svIdle'>;

const gauge = (values: number[]): TGauge => ({
  max: values.length ? Math.max(...values) : 0,
  avg: values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0,
});

/** Sums the pool rows of one database (a pool per user) into one sample. */
export function poolSample(rows: readonly TPoolRow[], database: string): TPoolSample {
  const mine = rows.filter((r) => r.database === database);
  const sum = (k: keyof TPoolSample) => mine.reduce((acc, r) => acc + r[k], 0);
  return { clActive: sum('clActive'), clWaiting: sum('clWaiting'), svActive: sum('svActive'), svIdle: sum('svIdle') };
}

export function summarizePools(database: string, samples: readonly TPoolSample[], before: TStatsRow | undefined, after: TStatsRow | undefined): TPoolSummary {
  const transactions = before && after ? after.totalXactCount - before.totalXactCount : 0;
  const queries = before && after ? after.totalQueryCount - before.totalQueryCount : 0;
  const waitUs = before && after ? after.totalWaitTimeUs - before.totalWaitTimeUs : 0;
  const clActive = gauge(samples.map((s) => s.clActive));
  const svActive = gauge(samples.map((s) => s.svActive));
  return {
    database,
    samples: samples.length,
    clActive,
    clWaiting: gauge(samples.map((s) => s.clWaiting)),
    svActive,
    svIdle: gauge(samples.map((s) => s.svIdle)),
    transactions,
    queries,
    avgWaitUsPerTransaction: transactions > 0 ? waitUs / transactions : null,
    clientsPerServer: svActive.max > 0 ? clActive.max / svActive.max : null,
  };
}

/**
 * Samples PgBouncer's admin console every second while the run lasts (SHOW POOLS) and diffs SHOW STATS between
 * start and stop. The admin console speaks only the simple protocol: the services' admin client already uses
 * postgres.js with max 1, no type fetch and no prepared statements (STACK.md).
 */
export async function startPgbouncerSampler(url: string | undefined, database = 'dharma', intervalMs = 1000): Promise<TPgbouncerSampler> {
  if (!url) return { stop: async () => ({ ok: false, reason: 'PGBOUNCER_ADMIN_URL is not set' }) };
  const admin = createPgbouncerAdmin(url);
  const statsOf = async () => (await admin.stats()).find((r) => r.database === database);
  let before: TStatsRow | undefined;
  try {
    before = await statsOf();
  } catch (error) {
    await admin.close().catch(() => {});
    return { stop: async () => ({ ok: false, reason: `admin console unreachable: ${(error as Error).message}` }) };
  }
  const samples: TPoolSample[] = [];
  let lastError: string | undefined;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    admin
      .pools()
      .then((rows) => samples.push(poolSample(rows, database)))
      .catch((error: unknown) => (lastError = (error as Error).message))
      .finally(() => (busy = false));
  }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      try {
        const after = await statsOf();
        if (samples.length === 0) return { ok: false, reason: `no SHOW POOLS sample${lastError ? `: ${lastError}` : ''}` };
        return { ok: true, summary: summarizePools(database, samples, before, after) };
      } catch (error) {
        return { ok: false, reason: `SHOW STATS failed: ${(error as Error).message}` };
      } finally {
        await admin.close().catch(() => {});
      }
    },
  };
}
