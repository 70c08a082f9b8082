import postgres, { type Sql } from 'postgres';

export interface TPoolRow {
  database: string;
  user: string;
  clActive: number;
  clWaiting: number;
  svActive: number;
  svIdle: number;
  svUsed: number;
  maxWaitSeconds: number;
  poolMode: string;
}

export interface TStatsRow {
  database: string;
  totalXactCount: number;
  totalQueryCount: number;
  avgXactTimeUs: number;
  avgQueryTimeUs: number;
  avgWaitTimeUs: number;
  totalWaitTimeUs: number;
}

export interface TPgbouncerAdmin {
  pools: () => Promise<TPoolRow[]>;
  stats: () => Promise<TStatsRow[]>;
  close: () => Promise<void>;
}

const num = (v: unknown) => (v === null || v === undefined || v === '' ? 0 : Number(v));

/**
 * Reads PgBouncer's admin console. It speaks only the simple query protocol and has no pg_type, so: no type
 * fetch, no prepared statements, `unsafe` for the SHOW commands (STACK.md).
 */
export function createPgbouncerAdmin(url: string): TPgbouncerAdmin {
  const sql: Sql = postgres(url, { max: 1, fetch_types: false, prepare: false, idle_timeout: 60, connect_timeout: 3, onnotice: () => {} });
  return {
    async pools() {
      const rows = await sql.unsafe('SHOW POOLS');
      return rows
        .filter((r) => r.database !== 'pgbouncer')
        .map((r) => ({
          database: String(r.database),
          user: String(r.user),
          clActive: num(r.cl_active),
          clWaiting: num(r.cl_waiting),
          svActive: num(r.sv_active),
          svIdle: num(r.sv_idle),
          svUsed: num(r.sv_used),
          maxWaitSeconds: num(r.maxwait) + num(r.maxwait_us) / 1e6,
          poolMode: String(r.pool_mode ?? ''),
        }));
    },
    async stats() {
      const rows = await sql.unsafe('SHOW STATS');
      return rows
        .filter((r) => r.database !== 'pgbouncer')
        .map((r) => ({
          database: String(r.database),
          totalXactCount: num(r.total_xact_count),
          totalQueryCount: num(r.total_query_count),
          avgXactTimeUs: num(r.avg_xact_time),
          avgQueryTimeUs: num(r.avg_query_time),
          avgWaitTimeUs: num(r.avg_wait_time),
          totalWaitTimeUs: num(r.total_wait_time),
        }));
    },
    close: () => sql.end({ timeout: 2 }),
  };
}
