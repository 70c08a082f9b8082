import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { Sql } from 'postgres';
import type { TDb, TExecutor } from './client';
import type { TAuditActor } from './audit-context';
import { DatabaseTimeout, isDatabaseUnavailable } from './errors';
import * as schema from './schema/index';

export type TTenantTx = Parameters<Parameters<TDb['transaction']>[0]>[0];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function assertTenantId(tenantId: string) {
  if (!UUID.test(tenantId)) throw new Error(`tenant transaction: tenantId must be a uuid, got "${tenantId}"`);
}

/** The schema of an enterprise tenant's design data (`tenant_schema_name` in migration 0017). */
export function tenantSchemaName(tenantId: string): string {
  assertTenantId(tenantId);
  return `tenant_${tenantId.replaceAll('-', '').toLowerCase()}`;
}

/**
 * The statement that opens every tenant transaction: `app.tenant_id` for row-level security, and the search_path
 * that picks the tenant's schema, both transaction-local (nothing reaches the next PgBouncer client). An enterprise
 * tenant's schema comes first, so its tables are the ones unqualified names find; a standard tenant has no such
 * schema, PostgreSQL skips it, and the shared tables are found (migration 0017). pg_temp last: no temporary table
 * can stand in for a tenant table.
 */
export function tenantSettings(tenantId: string): string {
  const schema = tenantSchemaName(tenantId);
  return `select set_config('app.tenant_id', ${literal(tenantId)}, true), set_config('search_path', '${schema}, public, pg_temp', true)`;
}

/**
 * Runs `fn` in one transaction whose `app.tenant_id` (and search_path, `tenantSettings`) is set transaction-locally (set_config(..., true)), so the
 * row-level-security policies see exactly this tenant and nothing leaks to the next PgBouncer client.
 */
export async function withTenant<T>(
  db: TDb,
  tenantId: string,
  fn: (tx: TTenantTx) => Promise<T>,
  options: { readOnly?: boolean; audit?: TAuditActor } = {},
): Promise<T> {
  assertTenantId(tenantId);
  return db.transaction(
    async (tx) => {
      await tx.execute(sql.raw(tenantSettings(tenantId)));
      if (options.audit) await tx.execute(sql.raw(auditActorStatement(options.audit)));
      return fn(tx);
    },
    options.readOnly ? { accessMode: 'read only' } : undefined,
  );
}

/**
 * A SQL literal for a parameter of a pipelined read. postgres.js sends a statement with parameters in two round
 * trips (it asks the server for the parameter types first, and stops pipelining until they arrive); a statement
 * without parameters goes out at once. Strings are quoted with `'` doubled, which is the whole escaping rule while
 * `standard_conforming_strings` is on (the default since PostgreSQL 9.1; PgBouncer restores it per client).
 * Anything but strings, finite numbers, booleans and null is refused rather than guessed.
 */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  // Negative numbers in parentheses: `5-${-1}` must not become `5--1`, a comment that would swallow the rest.
  if (typeof value === 'number' && Number.isFinite(value)) return value < 0 ? `(${value})` : String(value);
  if (typeof value === 'bigint') return value < 0n ? `(${value})` : value.toString();
  if (typeof value === 'string') {
    if (value.includes('\0')) throw new Error('readInTenant: a string parameter contains a NUL character');
    return `'${value.replaceAll("'", "''")}'`;
  }
  throw new Error(`readInTenant: cannot send a parameter of type ${typeof value} inline`);
}

/** The statement that sets a transaction's audit actor (`app.audit`, read by `audit_record`), transaction-locally. */
export function auditActorStatement(actor: TAuditActor): string {
  return `select set_config('app.audit', ${literal(JSON.stringify(actor))}, true)`;
}

/**
 * Replaces `$1`, `$2`, ... in a Drizzle-built statement by literals. Drizzle's builders put no quoted text of their
 * own in a statement; a hand-written `sql` template could, and a `$1` inside quoted text is not a parameter, so a
 * statement with quoted text (`'` or `$$`) and parameters is refused instead of guessed at.
 */
export function inlineParams(query: string, params: readonly unknown[]): string {
  if (params.length === 0) return query;
  if (query.includes("'") || query.includes('$$')) throw new Error('readInTenant: a statement with quoted text cannot take its parameters inline');
  return query.replace(/\$(\d+)\b/g, (token, n: string) => {
    const i = Number(n) - 1;
    if (i < 0 || i >= params.length) throw new Error(`readInTenant: ${token} has no parameter`);
    return literal(params[i]);
  });
}

/** Something that runs one statement when asked: a built Drizzle query (select, insert, ...), not yet awaited. */
export interface TOneStatement<T> {
  execute: () => Promise<T>;
}

type TResults<S extends readonly TOneStatement<unknown>[]> = { -readonly [K in keyof S]: S[K] extends TOneStatement<infer R> ? R : never };

export type TTenantRead = <const S extends readonly TOneStatement<unknown>[]>(tenantId: string, build: (db: TDb) => S) => Promise<TResults<S>>;

/** A tenant write in one message; `audit` is who makes it, recorded by the audit events the statements write. */
export type TTenantWrite = <const S extends readonly TOneStatement<unknown>[]>(tenantId: string, build: (db: TDb) => S, audit?: TAuditActor) => Promise<TResults<S>>;

/** A statement a Drizzle query handed to the pipelining client, waiting for the combined query's results. */
interface TPendingStatement {
  text: string;
  /** Drizzle asks select builders' rows as value arrays (`.values()`) and raw `execute` rows as objects. */
  asValues: boolean;
  resolve: (rows: unknown) => void;
  reject: (error: unknown) => void;
  /** Set when the statement could not be written (a parameter that cannot be a literal): nothing is sent. */
  error?: unknown;
}

/**
 * Tenant-scoped reads in one round trip and one statement message. `withTenant` costs a round trip per statement
 * (BEGIN, SET TRANSACTION, set_config, each query, COMMIT), and postgres.js sends a statement with parameters in two
 * (it asks the server for their types first). Here the read is one simple-protocol message:
 *
 *   SET TRANSACTION READ ONLY; <tenantSettings: app.tenant_id and search_path>; <query 1>; <query 2> ...
 *
 * PostgreSQL runs the statements of one such message as one implicit transaction, so the tenant setting is local to
 * it and row-level security sees it in every query, exactly as in `withTenant`; the transaction ends with the
 * message, and nothing carries over to the next PgBouncer client. An error in any statement rolls all back. Values
 * are sent as literals (`literal`).
 *
 * `build` receives a Drizzle database whose queries are collected instead of sent, and returns the built queries
 * (not awaited); each must send exactly one statement when run, which every Drizzle query builder does.
 */
export function createTenantReader(sql: Sql, options: TTenantStatementOptions = {}): TTenantRead {
  return createTenantStatements(sql, 'read', options);
}

export interface TTenantStatementOptions {
  /**
   * Longest wait for the answer, queueing in the pool included. Past it the call rejects with `DatabaseTimeout` and
   * the query is cancelled: removed from the pool's queue when it was not sent yet, else cancelled on the server.
   */
  timeoutMs?: number;
}

/**
 * Tenant-scoped writes in one round trip: the same single message as `createTenantReader`, without `SET TRANSACTION
 * READ ONLY`. PostgreSQL runs `SELECT set_config(...); <statement 1>; ...` as one implicit transaction that commits
 * when the message ends and rolls back entirely if any statement fails, so a write built as one call of a PL/pgSQL
 * function (migration 0005) costs one round trip and holds a PgBouncer server connection only while it runs.
 */
export function createTenantWriter(sql: Sql, options: TTenantStatementOptions = {}): TTenantWrite {
  return createTenantStatements(sql, 'write', options);
}

/** Runs a query within `timeoutMs` (none: unbounded): past it, rejects with `DatabaseTimeout` and cancels the query. */
function answerWithin<T>(query: { cancel: () => unknown }, answer: Promise<T>, timeoutMs: number | undefined): Promise<T> {
  if (timeoutMs === undefined) return answer;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new DatabaseTimeout(timeoutMs));
      // postgres.js sends a cancel request on a connection of its own, and rejects when that fails too (the
      // database being down is why we are here): nothing waits on it, so its failure must not go unhandled.
      Promise.resolve(query.cancel()).catch(() => {});
    }, timeoutMs);
  });
  return Promise.race([answer, deadline]).finally(() => clearTimeout(timer));
}

function createTenantStatements(sql: Sql, mode: 'read' | 'write', { timeoutMs }: TTenantStatementOptions): TTenantWrite {
  const head = mode === 'read' ? ['set transaction read only'] : [];
  let collecting: TPendingStatement[] | null = null;
  // The Drizzle client of pipelined reads: `unsafe` records the statement (Drizzle calls it synchronously from
  // `execute()`) and returns a thenable settled by the combined message's result for that statement.
  const client = {
    options: sql.options,
    unsafe(query: string, params: unknown[] = []) {
      if (!collecting) throw new Error('readInTenant: a pipelined query runs only inside readInTenant');
      const pending = { text: '', asValues: false } as TPendingStatement;
      const done = new Promise((resolve, reject) => Object.assign(pending, { resolve, reject }));
      try {
        pending.text = inlineParams(query, params);
      } catch (error) {
        // Recorded, not thrown: thrown here it would reject a promise inside Drizzle that nobody awaits.
        pending.error = error;
      }
      collecting.push(pending);
      const thenable = {
        values() {
          pending.asValues = true;
          return thenable;
        },
        then: done.then.bind(done),
      };
      return thenable;
    },
  };
  const db = drizzle(client as unknown as Sql, { schema });

  /**
   * Sends the statements of one or more calls of one tenant as one message and settles each statement with its
   * result. When a message of several calls fails for a reason of one call's own (not the database being down),
   * each call is sent again alone, so one call's error never fails another.
   */
  async function send(tenantId: string, calls: TPendingStatement[][], audit?: TAuditActor): Promise<void> {
    const statements = calls.flat();
    const settings = [tenantSettings(tenantId), ...(audit ? [auditActorStatement(audit)] : [])];
    const text = [...head, ...settings, ...statements.map((c) => c.text)].join('; ');
    const first = head.length + settings.length;
    try {
      const query = sql.unsafe(text);
      const all = (await answerWithin(query, query.values(), timeoutMs)) as unknown as { columns: { name: string }[] }[] & unknown[][][];
      statements.forEach((c, i) => {
        const rows = all[i + first]!;
        c.resolve(c.asValues ? rows : rows.map((row) => Object.fromEntries(rows.columns.map((col, j) => [col.name, row[j]]))));
      });
    } catch (error) {
      if (calls.length > 1 && !isDatabaseUnavailable(error)) {
        await Promise.all(calls.map((call) => send(tenantId, [call])));
        return;
      }
      for (const c of statements) c.reject(error);
    }
  }

  // Reads of one tenant issued in the same turn of the event loop (concurrent misses, the reloads one write
  // triggers) share one message: one round trip and one write to the socket instead of one each, which on these
  // machines costs more than the queries (docs/PERFORMANCE.md). A turn adds no wait when the process is idle.
  const waitingReads = new Map<string, TPendingStatement[][]>();
  let flushScheduled = false;
  const MAX_STATEMENTS_PER_MESSAGE = 64;
  const flushReads = () => {
    flushScheduled = false;
    const batches = [...waitingReads];
    waitingReads.clear();
    for (const [tenantId, calls] of batches) void send(tenantId, calls);
  };
  function queueRead(tenantId: string, collected: TPendingStatement[]): void {
    let calls = waitingReads.get(tenantId);
    if (!calls) waitingReads.set(tenantId, (calls = []));
    calls.push(collected);
    if (calls.reduce((n, c) => n + c.length, 0) >= MAX_STATEMENTS_PER_MESSAGE) {
      waitingReads.delete(tenantId);
      void send(tenantId, calls);
      return;
    }
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flushReads);
    }
  }

  return async function readInTenant<const S extends readonly TOneStatement<unknown>[]>(tenantId: string, build: (db: TDb) => S, audit?: TAuditActor): Promise<TResults<S>> {
    assertTenantId(tenantId);
    const statements = build(db);
    const collected: TPendingStatement[] = [];
    const results: Promise<unknown>[] = [];
    collecting = collected;
    try {
      for (const statement of statements) results.push(statement.execute());
    } finally {
      collecting = null;
    }
    // From here every query's promise is awaited (or its rejection handled), whatever happens.
    const settled = Promise.allSettled(results);
    if (collected.length !== statements.length) {
      await settled;
      throw new Error(`readInTenant: each query must send one statement at once; ${statements.length} queries sent ${collected.length}`);
    }
    const unwritable = collected.find((c) => c.error !== undefined);
    if (unwritable) {
      for (const c of collected) c.reject(unwritable.error);
      const [first] = (await settled).filter((r) => r.status === 'rejected');
      throw (first as PromiseRejectedResult).reason;
    }
    if (collected.length === 0) return [] as unknown as TResults<S>;
    if (mode === 'read') queueRead(tenantId, collected);
    else void send(tenantId, [collected], audit);
    return (await Promise.all(results)) as TResults<S>;
  };
}

export type { TExecutor };
export type { TAuditActor };
