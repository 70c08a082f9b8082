import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres, { type Sql } from 'postgres';
import * as schema from './schema/index';

export type TDb = PostgresJsDatabase<typeof schema>;
/** A transaction or the database itself: queries take this first so they run in either. */
export type TExecutor = TDb | Parameters<Parameters<TDb['transaction']>[0]>[0];

export interface TDbHandle {
  db: TDb;
  sql: Sql;
  close: () => Promise<void>;
}

export interface TCreateDbOptions {
  url: string;
  max?: number;
  /** Connection label shown in pg_stat_activity. */
  applicationName?: string;
  /** Called with every statement Drizzle sends (query logging, plan checks). */
  logQuery?: (query: string, params: unknown[]) => void;
}

/**
 * `prepare: false` always: through PgBouncer in transaction mode, named prepared statements land on other
 * clients' server connections and committed writes silently go missing (STACK.md). Direct connections lose little.
 */
export function createDb({ url, max = 10, applicationName = 'dharma', logQuery }: TCreateDbOptions): TDbHandle {
  const sql = postgres(url, {
    max,
    prepare: false,
    idle_timeout: 30,
    connect_timeout: 10,
    // After a failed connection postgres.js waits before the next attempt, by default up to 20 s (3^n / 100 s, with
    // n the failures since the last success, shared by the pool): a few seconds of PgBouncer down left a pool
    // refusing for 20 s after it was back. At most a second instead, so service resumes within one.
    backoff: (attempts: number) => Math.min(0.1 * attempts, 1),
    onnotice: () => {},
    connection: { application_name: applicationName },
  });
  const db = drizzle(sql, { schema, ...(logQuery ? { logger: { logQuery } } : {}) });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}
