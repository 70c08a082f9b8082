import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { parseEnv, ZPostgresUrl } from './env';
import { withTenant } from './tenant';
import { createDb, type TDbHandle } from './client';
import { sql } from 'drizzle-orm';
import { createScratchTenant, stackUrls } from './testing';

/**
 * Fan-in: 1,000 application connections held open at once through PgBouncer, all working, served by the pool's
 * few server connections (max_db_connections = 25 in the stack's pgbouncer.ini).
 */
const CLIENTS = 1000;
const SERVER_LIMIT = 25;
const urls = stackUrls();
const { PGBOUNCER_ADMIN_URL } = parseEnv({ PGBOUNCER_ADMIN_URL: ZPostgresUrl });
const clients: TDbHandle[] = [];
const admin = postgres(PGBOUNCER_ADMIN_URL, { max: 1, fetch_types: false, prepare: false, onnotice: () => {} });
afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  await admin.end({ timeout: 2 });
});

interface TPoolSample { clients: number; servers: number }
async function samplePool(): Promise<TPoolSample> {
  const rows = await admin.unsafe('SHOW POOLS');
  const pool = rows.filter((r) => r.database === 'dharma');
  const n = (k: string) => pool.reduce((sum, r) => sum + Number(r[k] ?? 0), 0);
  return { clients: n('cl_active') + n('cl_waiting'), servers: n('sv_active') + n('sv_idle') + n('sv_used') + n('sv_tested') + n('sv_login') };
}

describe(`${CLIENTS.toLocaleString('en-US')} concurrent clients through PgBouncer`, () => {
  it(`are all served, with no error, on at most ${SERVER_LIMIT} server connections`, async () => {
    const t = await createScratchTenant(urls.DATABASE_OWNER_URL, 'fan-in');
    for (let i = 0; i < CLIENTS; i++) clients.push(createDb({ url: urls.DATABASE_URL, max: 1, applicationName: 'fan-in' }));
    // Open every connection first and keep it open: each client holds its own connection to PgBouncer.
    await Promise.all(clients.map((c) => c.sql`select 1`));

    const samples: TPoolSample[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        samples.push(await samplePool());
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    const results = await Promise.allSettled(
      clients.map((c) =>
        (async () => {
          for (let round = 0; round < 3; round++) {
            const [row] = await withTenant(c.db, t.tenantId, (tx) => tx.execute<{ n: number }>(sql`select count(*)::int as n from projects`));
            if (row?.n !== 1) throw new Error(`expected the tenant's one project, saw ${row?.n}`);
          }
        })(),
      ),
    );
    sampling = false;
    await sampler;

    console.log(`fan-in: peak clients ${Math.max(...samples.map((s) => s.clients))}, peak server connections ${Math.max(...samples.map((s) => s.servers))}, samples ${samples.length}`);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(samples.length).toBeGreaterThan(0);
    expect(Math.max(...samples.map((s) => s.clients))).toBeGreaterThanOrEqual(CLIENTS);
    expect(Math.max(...samples.map((s) => s.servers))).toBeLessThanOrEqual(SERVER_LIMIT);
  }, 120_000);
});
