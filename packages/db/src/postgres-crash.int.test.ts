import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv, ZPostgresUrl } from './env';
import { startTestPgBouncer, type TTestPgBouncer } from './testing-pgbouncer';

/**
 * postgres.js 3.4.9 killed the process with an uncaught `TypeError: Cannot read properties of null (reading
 * 'write')` from a setImmediate in connection.js nextWrite when connections closed under load: a transaction's
 * ROLLBACK was written to a connection whose socket was already gone (porsager/postgres#1066, #1154, #1208).
 * patches/postgres+3.4.9.patch makes that write reject with CONNECTION_CLOSED instead. This drives a workload like
 * the services' (transactions on one pool, pipelined reads on another, prepare: false) through a private PgBouncer
 * in a child process, terminates the server connections and then kills PgBouncer while transactions are in flight,
 * and checks that the process lives, that every query settles with a result or a connection error within a bound,
 * and that new queries work. Unpatched, the child dies at the first fault (either fault alone kills it).
 */

const root = fileURLToPath(new URL('../../..', import.meta.url));
const SETTLE_BOUND_MS = 30_000;
/** In-flight transactions at each fault: at least one of their connections closes cleanly, the crashing path. */
const SENTINELS = 4;
/** What a query may fail with when its connection dies under it: postgres.js's own codes, socket errors, and what
 * PgBouncer or Postgres say when a server connection goes (08P01 "server conn crashed?", 57P01 admin shutdown). */
const CONNECTION_ERRORS = new Set(['CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', '08P01', '57P01', '08006']);

/** The child: plain JavaScript, so the same code runs on postgres.js's ESM build and on its CommonJS build. */
const CHILD = `
import { createRequire } from 'node:module'
const { url, app, entry } = JSON.parse(process.env.CRASH_TEST)
const require = createRequire(process.cwd() + '/')
const postgres = entry === 'require' ? require('postgres') : (await import('postgres')).default
const loaded = entry === 'require' ? require.resolve('postgres') : import.meta.resolve('postgres')
// The services' client options (packages/db/src/client.ts): prepare false through PgBouncer, a pool for
// transactions and a small one for pipelined reads.
const options = { prepare: false, idle_timeout: 30, connect_timeout: 10, onnotice: () => {}, connection: { application_name: app } }
const sql = postgres(url, { ...options, max: 6 })
const reads = postgres(url, { ...options, max: 2 })

const stats = { resolved: 0, rejected: {}, samples: {} }
const pending = new Set()
function track(promise) {
  const settled = promise.then(
    () => { stats.resolved++ },
    (e) => {
      const code = String(e.code ?? e.name)
      stats.rejected[code] = (stats.rejected[code] ?? 0) + 1
      stats.samples[code] ??= String(e.message)
      return code
    },
  ).finally(() => pending.delete(settled))
  pending.add(settled)
  return settled
}

function within(promise, ms) {
  let timer
  const late = new Promise((_, reject) => { timer = setTimeout(reject, ms, new Error('no answer within ' + ms + ' ms')) })
  return Promise.race([promise, late]).finally(() => clearTimeout(timer))
}

let running = true
// Over postgres.js's 1 KB threshold, so some statements are written at once and some on the next tick.
const big = 'x'.repeat(2000)
async function transactions(i) {
  while (running) {
    await track(sql.begin(async (t) => {
      await t.unsafe("select set_config('app.tenant_id', $1, true)", ['00000000-0000-4000-8000-00000000000' + (i % 10)])
      await t.unsafe('select $1::text as v, pg_sleep(0.02)', [i % 2 ? big : 'small'])
    }))
  }
}
async function pipelinedReads(i) {
  while (running) await Promise.all(Array.from({ length: 20 }, (_, j) => track(reads.unsafe('select $1::int as n', [i * 100 + j]))))
}
const sentinels = []
function startSentinels(n, phase) {
  for (let i = 0; i < n; i++) {
    sentinels.push(track(sql.begin(async (t) => {
      await t.unsafe("select set_config('app.tenant_id', '00000000-0000-4000-8000-000000000000', true)")
      await t.unsafe('select pg_sleep(30) as sentinel_' + Number(phase))
    })))
  }
}

await sql.unsafe('select 1')
await reads.unsafe('select 1')
const workers = [...Array.from({ length: 12 }, (_, i) => transactions(i)), ...Array.from({ length: 4 }, (_, i) => pipelinedReads(i))]
process.send({ type: 'ready', loaded })

process.on('message', async (m) => {
  if (m.type === 'sentinels') return startSentinels(m.count, m.phase)
  if (m.type !== 'finish') return
  running = false
  const started = Date.now()
  while (pending.size > 0 && Date.now() - started < m.boundMs) await new Promise((r) => setTimeout(r, 50))
  const settleMs = Date.now() - started
  const unsettled = pending.size
  await within(Promise.all(workers), 1000).catch(() => {})
  const after = await Promise.allSettled([sql, reads].flatMap((db) => Array.from({ length: 10 }, (_, i) => within(db.unsafe('select $1::int as n', [i]), m.boundMs))))
  const sentinelCodes = await Promise.all(sentinels)
  process.send({
    type: 'report', stats, unsettled, settleMs, sentinelCodes,
    after: after.map((r) => (r.status === 'fulfilled' ? 'ok' : String(r.reason.code ?? r.reason.message))),
  })
  await Promise.all([sql.end({ timeout: 2 }), reads.end({ timeout: 2 })])
  process.disconnect()
})
`;

type TReport = {
  stats: { resolved: number; rejected: Record<string, number>; samples: Record<string, string> };
  unsettled: number;
  settleMs: number;
  sentinelCodes: (string | undefined)[];
  after: string[];
};
type TChildControl = { send: (message: object) => void; alive: () => boolean };
type TRun = { code: number | null; signal: string | null; stderr: string; loaded: string; report: TReport | undefined };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let bouncer: TTestPgBouncer;
let admin: postgres.Sql;

beforeAll(async () => {
  const { DATABASE_ADMIN_URL } = parseEnv({ DATABASE_ADMIN_URL: ZPostgresUrl });
  admin = postgres(DATABASE_ADMIN_URL, { max: 1, onnotice: () => {} });
  bouncer = await startTestPgBouncer();
});
afterAll(async () => {
  await bouncer?.dispose();
  await admin?.end({ timeout: 2 });
});

/**
 * Starts `SENTINELS` transactions in the child and waits until Postgres runs their sleeps: they are in flight.
 * Each phase has its own label, as the backends of the last phase's sentinels may outlive their PgBouncer.
 */
async function sentinelsInFlight(app: string, child: TChildControl, phase: number): Promise<void> {
  child.send({ type: 'sentinels', count: SENTINELS, phase });
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    // A child that died is the failure to report, not the missing sentinels.
    if (!child.alive()) return;
    const [row] = await admin<{ n: number }[]>`select count(*)::int as n from pg_stat_activity
      where application_name = ${app} and state = 'active' and query = ${`select pg_sleep(30) as sentinel_${phase}`}`;
    if (row?.n === SENTINELS) return;
    await sleep(20);
  }
  throw new Error(`${SENTINELS} sentinel transactions were not seen running within 10 s; pgbouncer log:\n${bouncer.logTail(10)}`);
}

async function runFaults(entry: 'import' | 'require'): Promise<TRun> {
  // Our own label: pg_terminate_backend below touches only the server connections this run opened.
  const app = `dharma-crash-test-${randomUUID().slice(0, 8)}`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], {
    cwd: root,
    env: { ...process.env, CRASH_TEST: JSON.stringify({ url: bouncer.url, app, entry }) },
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<[number | null, string | null]>((resolve) => child.once('exit', (code, signal) => resolve([code, signal])));
  let loaded = '';
  let report: TReport | undefined;
  const ready = new Promise<void>((resolve) =>
    child.on('message', (m: { type: string; loaded?: string } & Partial<TReport>) => {
      if (m.type === 'ready') {
        loaded = m.loaded ?? '';
        resolve();
      }
      if (m.type === 'report') report = m as TReport;
    }),
  );
  const alive = () => child.exitCode === null && child.signalCode === null;
  const control: TChildControl = { alive, send: (message) => alive() && child.send(message) };

  try {
    await Promise.race([ready, exited]);
    await sleep(500);
    // Fault 1: the server connections die under PgBouncer, which then drops the clients they were serving.
    await sentinelsInFlight(app, control, 1);
    await admin`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${app}`;
    await sleep(1000);
    // Fault 2: PgBouncer dies (every client socket closes), stays down a moment, comes back on the same port.
    // Second, because the reconnects refused meanwhile push postgres.js's backoff up to 20 s.
    await sentinelsInFlight(app, control, 2);
    await bouncer.stop('SIGKILL');
    await sleep(300);
    await bouncer.start();
    await sleep(1000);
    control.send({ type: 'finish', boundMs: SETTLE_BOUND_MS });
    const [code, signal] = await exited;
    return { code, signal, stderr, loaded, report };
  } finally {
    if (alive()) child.kill('SIGKILL');
    // Sleeps whose PgBouncer died keep their backends busy until they end: ours only, by label.
    await admin`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${app}`;
  }
}

describe('postgres.js through a PgBouncer that dies under load (patches/postgres+3.4.9.patch)', () => {
  for (const entry of ['import', 'require'] as const) {
    it(`keeps the process alive and settles every query (${entry}: ${entry === 'import' ? 'src' : 'cjs/src'})`, async () => {
      const run = await runFaults(entry);
      const context = `child stderr:\n${run.stderr}\nreport: ${JSON.stringify(run.report)}\npgbouncer log:\n${bouncer.logTail(5)}`;

      expect(run.stderr, context).not.toMatch(/TypeError|Uncaught|unhandled/i);
      expect({ code: run.code, signal: run.signal }, context).toEqual({ code: 0, signal: null });
      expect(run.loaded).toContain(entry === 'import' ? 'node_modules/postgres/src/index.js' : 'node_modules/postgres/cjs/src/index.js');
      const { report } = run;
      if (report === undefined) throw new Error(`the child sent no report\n${context}`);
      expect(report.unsettled, `queries still pending ${SETTLE_BOUND_MS / 1000} s after the load stopped`).toBe(0);
      // Both faults hit transactions in flight, and nothing failed with anything but a connection error.
      expect(report.sentinelCodes).toHaveLength(2 * SENTINELS);
      for (const code of report.sentinelCodes) expect(CONNECTION_ERRORS, context).toContain(code);
      for (const code of Object.keys(report.stats.rejected)) expect(CONNECTION_ERRORS, context).toContain(code);
      expect(report.stats.resolved).toBeGreaterThan(100);
      // Once PgBouncer is back, both pools serve queries again.
      expect(report.after).toEqual(Array(20).fill('ok'));
      console.log(`postgres-crash (${entry}): resolved ${report.stats.resolved}, rejected ${JSON.stringify(report.stats.rejected)}, settled in ${report.settleMs} ms`);
    }, 90_000);
  }
});
