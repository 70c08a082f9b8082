import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TTestRedis } from '@dharma/cache/testing-redis';
import { createDb } from '@dharma/db/client';
import { startTestPgBouncer, type TTestPgBouncer } from '@dharma/db/testing-pgbouncer';
import { makeDeps, scratchTenant, startHttp, testEnv, tokenFor } from './testing/harness';
import { smallGraph } from './testing/graphs';
import type { TDeps } from './deps';

/**
 * Real outages under concurrent writes: the services run against a PgBouncer and a Redis of this test's own, which
 * it kills and brings back while twenty clients keep creating blueprints. What a client must be able to rely on:
 * an answer within the bound (never a hang, never a 500), a 503 with Retry-After when the answer is "not now",
 * every acknowledged write in Postgres, a retry with the same Idempotency-Key applied exactly once, and normal
 * service within 5 s of the dependency's return.
 */
const DB_TIMEOUT_MS = 2000;
/** The longest any answer may take: the database budget, plus scheduling slack on a busy 2-core machine. */
const ANSWER_BOUND_MS = DB_TIMEOUT_MS + 2500;
const CLIENT_TIMEOUT_MS = 10_000;
const WRITERS = 20;

let bouncer: TTestPgBouncer;
let redis: TTestRedis;
let deps: TDeps;
let server: Awaited<ReturnType<typeof startHttp>>;
let scratch: Awaited<ReturnType<typeof scratchTenant>>;
let token: string;
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);

interface TAttempt {
  name: string;
  key: string;
  status: number;
  ms: number;
  retryAfter: string | null;
  body: string;
  at: number;
}

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  [bouncer, redis] = await Promise.all([startTestPgBouncer({ poolSize: 10 }), startTestRedis()]);
  deps = makeDeps({ DATABASE_URL: bouncer.url, REDIS_URL: redis.url, DB_TIMEOUT_MS: String(DB_TIMEOUT_MS), DB_POOL_MAX: '10' });
  server = await startHttp(deps);
  scratch = await scratchTenant('faults');
  token = await tokenFor(scratch.admin, deps.env.AUTH_SECRET);
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await server?.close();
  await deps?.close();
  await Promise.all([bouncer?.dispose(), redis?.dispose()]);
});

async function create(name: string, key: string): Promise<TAttempt> {
  const started = performance.now();
  const at = Date.now();
  try {
    const res = await fetch(`${server.url}/trpc/blueprints.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
      body: JSON.stringify({ projectId: scratch.projectId, name, cloud: 'aws', graph: smallGraph() }),
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
    return { name, key, status: res.status, ms: performance.now() - started, retryAfter: res.headers.get('retry-after'), body: await res.text(), at };
  } catch (error) {
    return { name, key, status: 0, ms: performance.now() - started, retryAfter: null, body: String(error), at };
  }
}

/** WRITERS clients creating blueprints back to back until `stop` resolves; every attempt is kept. */
async function writeUntil(label: string, stop: Promise<void>): Promise<TAttempt[]> {
  let done = false;
  void stop.then(() => (done = true));
  const attempts: TAttempt[] = [];
  let n = 0;
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (!done) {
        const a = await create(`${label}-${n++}`, randomUUID());
        attempts.push(a);
        if (a.status !== 200) await new Promise((r) => setTimeout(r, 50));
      }
    }),
  );
  return attempts;
}

/** Names of this tenant's blueprints with this prefix, with their counts, read as the owner straight from Postgres. */
async function stored(prefix: string): Promise<Map<string, number>> {
  const owner = createDb({ url: testEnv.DATABASE_OWNER_URL, max: 1 });
  try {
    const rows = await owner.db.execute<{ name: string; n: number }>(
      sql`select name, count(*)::int as n from blueprints where tenant_id = ${scratch.tenantId} and name like ${`${prefix}-%`} group by name`,
    );
    return new Map(rows.map((r) => [r.name, r.n]));
  } finally {
    await owner.close();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Milliseconds from now until a create answers 200 (trying every 100 ms), or Infinity after `withinMs`. */
async function timeToFirstSuccess(label: string, withinMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < withinMs) {
    if ((await create(`${label}-probe-${randomUUID().slice(0, 8)}`, randomUUID())).status === 200) return Date.now() - started;
    await sleep(100);
  }
  return Infinity;
}

describe('PgBouncer killed under concurrent creates', () => {
  it('answers 503 with Retry-After within the bound, keeps every acknowledged write, applies retries once, recovers within 5 s', async () => {
    let restartedAt = 0;
    const outage = (async () => {
      await sleep(1500);
      await bouncer.stop('SIGKILL');
      await sleep(3000);
      await bouncer.start();
      restartedAt = Date.now();
      await sleep(2500);
    })();
    const attempts = await writeUntil('pgb', outage);
    const recovery = await timeToFirstSuccess('pgb', 5000);

    const byStatus = (s: number) => attempts.filter((a) => a.status === s);
    const refused = byStatus(503);
    expect(attempts.length).toBeGreaterThan(50);
    expect(byStatus(200).length).toBeGreaterThan(0);
    // The outage was seen, and answered only with 200 or 503: no 500, no hang past the client's timeout, no reset.
    expect(refused.length).toBeGreaterThan(0);
    expect(attempts.filter((a) => a.status !== 200 && a.status !== 503).map((a) => `${a.status} ${a.body.slice(0, 120)}`)).toEqual([]);
    expect(refused.every((a) => a.retryAfter === String(deps.env.RETRY_AFTER_SECONDS))).toBe(true);
    expect(refused.every((a) => /SERVICE_UNAVAILABLE/.test(a.body))).toBe(true);
    expect(Math.max(...attempts.map((a) => a.ms))).toBeLessThan(ANSWER_BOUND_MS);

    // Every acknowledged create is in Postgres, exactly once.
    const after = await stored('pgb');
    for (const a of byStatus(200)) expect(after.get(a.name), a.name).toBe(1);

    // A refused create's outcome is unknown to its client: retried with the same key, each is applied exactly once.
    const retried = await Promise.all(refused.map((a) => create(a.name, a.key)));
    expect(retried.map((r) => r.status)).toEqual(refused.map(() => 200));
    const final = await stored('pgb');
    for (const a of refused) expect(final.get(a.name), a.name).toBe(1);
    const replayed = retried.filter((r) => (JSON.parse(r.body) as { result: { data: { replayed: boolean } } }).result.data.replayed);
    // Writes that reached Postgres before the connection dropped are replayed, the rest created now; either way, once.
    expect(replayed.length).toBeLessThanOrEqual(refused.length);

    expect(restartedAt).toBeGreaterThan(0);
    expect(recovery).toBeLessThan(5000);
    expect(unhandled).toEqual([]);
  });
});

describe('Redis killed under concurrent creates', () => {
  it('costs nothing: every create succeeds, reads stay correct, hits resume within 5 s of its return', async () => {
    let restartedAt = 0;
    const outage = (async () => {
      await sleep(1000);
      await redis.stop('SIGKILL');
      await sleep(3000);
      await redis.start();
      restartedAt = Date.now();
      await sleep(1500);
    })();
    const attempts = await writeUntil('redis', outage);
    expect(attempts.length).toBeGreaterThan(50);
    expect(attempts.filter((a) => a.status !== 200).map((a) => `${a.status} ${a.body.slice(0, 120)}`)).toEqual([]);
    expect(Math.max(...attempts.map((a) => a.ms))).toBeLessThan(ANSWER_BOUND_MS);
    const after = await stored('redis');
    for (const a of attempts) expect(after.get(a.name), a.name).toBe(1);

    // Reads are served (and correct) again from the cache once Redis is back.
    const list = async () => {
      const res = await fetch(`${server.url}/trpc/blueprints.list?input=${encodeURIComponent(JSON.stringify({ search: 'redis-', pageSize: 1 }))}`, { headers: { authorization: `Bearer ${token}` } });
      return { cache: res.headers.get('x-cache'), total: ((await res.json()) as { result: { data: { total: number } } }).result.data.total };
    };
    const deadline = restartedAt + 5000;
    let hit = false;
    while (!hit && Date.now() < deadline) {
      const r = await list();
      expect(r.total).toBe(attempts.length);
      hit = r.cache === 'HIT';
      if (!hit) await sleep(100);
    }
    expect(hit).toBe(true);
    expect(unhandled).toEqual([]);
  });
});
