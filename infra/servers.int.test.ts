import { spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgbouncerAdmin } from '../apps/services/src/domain/monitoring/pgbouncer';
import { parseEnv, ZPostgresUrl } from '../packages/db/src/env';
import { infraPath, readInfra } from './testing/files';
import { parseIni } from './testing/ini';
import { freePort, startProcess, stopProcess, waitFor } from './testing/processes';

/* The production configs, run by the real servers installed here (Redis 7, PgBouncer 1.18) on a free port: only
 * the listen address, the port and file paths are changed. Docker images ship newer patch releases of both. */

const stack = parseEnv({ DATABASE_URL: ZPostgresUrl, DATABASE_DIRECT_URL: ZPostgresUrl });
const secret = () => `s${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;

describe('infra/redis/redis.conf on a real redis-server', () => {
  const password = secret();
  let port = 0;
  let dir = '';
  let server: ReturnType<typeof startProcess> | null = null;
  const cli = (...args: string[]) => {
    const r = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8', env: { ...process.env, REDISCLI_AUTH: password } });
    if (r.status !== 0 || r.stdout.startsWith('NOAUTH') || r.stdout.startsWith('ERR')) throw new Error(`redis-cli ${args.join(' ')}: ${r.stdout}${r.stderr}`);
    return r.stdout.trim();
  };

  beforeAll(async () => {
    port = await freePort();
    dir = mkdtempSync(join(tmpdir(), 'dharma-redis-'));
    server = startProcess('redis-server', [infraPath('redis/redis.conf'), '--port', String(port), '--bind', '127.0.0.1', '--requirepass', password], dir);
    await waitFor(`redis-server (${server.output()})`, async () => {
      if (server?.child.exitCode !== null) throw new Error(`exited: ${server?.output()}`);
      if (cli('PING') !== 'PONG') throw new Error('no PONG');
    });
  });
  afterAll(async () => {
    await stopProcess(server?.child.pid, server?.child);
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts with it and applies the cache settings', () => {
    const get = (key: string) => cli('CONFIG', 'GET', key).split('\n')[1] ?? '';
    expect({
      maxmemory: get('maxmemory'),
      'maxmemory-policy': get('maxmemory-policy'),
      save: get('save'),
      appendonly: get('appendonly'),
      'protected-mode': get('protected-mode'),
      timeout: get('timeout'),
      'tcp-keepalive': get('tcp-keepalive'),
      'latency-monitor-threshold': get('latency-monitor-threshold'),
      'lazyfree-lazy-eviction': get('lazyfree-lazy-eviction'),
    }).toEqual({
      maxmemory: String(512 * 1024 * 1024),
      'maxmemory-policy': 'allkeys-lru',
      save: '',
      appendonly: 'no',
      'protected-mode': 'yes',
      timeout: '0',
      'tcp-keepalive': '60',
      'latency-monitor-threshold': '25',
      'lazyfree-lazy-eviction': 'yes',
    });
  });

  it('requires the password', () => {
    const r = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'GET', 'x'], { encoding: 'utf8', env: { ...process.env, REDISCLI_AUTH: '' } });
    expect(`${r.stdout}${r.stderr}`).toMatch(/NOAUTH/);
  });
});

describe('infra/pgbouncer/pgbouncer.ini on a real PgBouncer in front of the local Postgres', () => {
  const monitorPassword = secret();
  const adminPassword = secret();
  const direct = new URL(stack.DATABASE_DIRECT_URL);
  const app = new URL(stack.DATABASE_URL);
  const asRoot = process.getuid?.() === 0;
  let port = 0;
  let dir = '';
  let server: ReturnType<typeof startProcess> | null = null;
  const url = (user: string, password: string, db: string) => `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${db}`;
  const ini = parseIni(readInfra('pgbouncer/pgbouncer.ini'));

  beforeAll(async () => {
    port = await freePort();
    dir = mkdtempSync(join(tmpdir(), 'dharma-pgbouncer-'));
    const config = readInfra('pgbouncer/pgbouncer.ini')
      .replace(/^dharma = host=postgres port=5432 /m, `dharma = host=${direct.hostname} port=${direct.port} `)
      .replace(/^listen_addr = .*$/m, 'listen_addr = 127.0.0.1')
      .replace(/^listen_port = .*$/m, `listen_port = ${port}`)
      .replace(/^auth_file = .*$/m, `auth_file = ${join(dir, 'userlist.txt')}\npidfile = ${join(dir, 'pgbouncer.pid')}`);
    writeFileSync(join(dir, 'pgbouncer.ini'), config);
    const users: [string, string][] = [['app_user', decodeURIComponent(app.password)], ['dharma_admin', adminPassword], ['dharma_monitor', monitorPassword]];
    writeFileSync(join(dir, 'userlist.txt'), users.map(([u, p]) => `"${u}" "${p}"\n`).join(''), { mode: 0o600 });
    if (asRoot) {
      // PgBouncer refuses to run as root; it runs as the postgres user like the local stack's.
      const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
      for (const f of ['', 'pgbouncer.ini', 'userlist.txt']) chownSync(join(dir, f), id('-u'), id('-g'));
    }
    server = asRoot ? startProcess('runuser', ['-u', 'postgres', '--', 'pgbouncer', join(dir, 'pgbouncer.ini')]) : startProcess('pgbouncer', [join(dir, 'pgbouncer.ini')]);
    await waitFor('pgbouncer', async () => {
      if (server?.child.exitCode !== null) throw new Error(`exited: ${server?.output()}`);
      const sql = postgres(url('dharma_monitor', monitorPassword, 'pgbouncer'), { max: 1, fetch_types: false, prepare: false, connect_timeout: 2, onnotice: () => {} });
      try {
        await sql.unsafe('SHOW VERSION');
      } finally {
        await sql.end({ timeout: 1 });
      }
    });
  });
  afterAll(async () => {
    const pid = Number(readFileSync(join(dir, 'pgbouncer.pid'), 'utf8').trim());
    await stopProcess(Number.isFinite(pid) ? pid : server?.child.pid, server?.child);
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs every [pgbouncer] setting as written (SHOW CONFIG)', async () => {
    const sql = postgres(url('dharma_monitor', monitorPassword, 'pgbouncer'), { max: 1, fetch_types: false, prepare: false, onnotice: () => {} });
    try {
      const rows = await sql.unsafe('SHOW CONFIG');
      const live = Object.fromEntries(rows.map((r) => [String(r.key), String(r.value ?? '')]));
      const rewritten = new Set(['listen_addr', 'listen_port', 'auth_file']);
      const expected = Object.fromEntries(Object.entries(ini.pgbouncer ?? {}).filter(([k]) => !rewritten.has(k)));
      const actual = Object.fromEntries(Object.keys(expected).map((k) => [k, live[k]]));
      expect(actual).toEqual(expected);
      expect(expected).toMatchObject({ pool_mode: 'transaction', max_client_conn: '2000', default_pool_size: '20', max_db_connections: '25', reserve_pool_size: '5', auth_type: 'scram-sha-256' });
    } finally {
      await sql.end({ timeout: 1 });
    }
  });

  it('lets app_user run tenant transactions through it with SCRAM and prepare: false', async () => {
    const sql = postgres(url('app_user', decodeURIComponent(app.password), 'dharma'), { max: 2, prepare: false, onnotice: () => {} });
    try {
      const [row] = await sql.begin(async (tx) => {
        await tx`select set_config('app.tenant_id', ${'00000000-0000-4000-8000-000000000000'}, true)`;
        return tx`select current_user as user, current_setting('app.tenant_id', true) as tenant`;
      });
      expect(row).toEqual({ user: 'app_user', tenant: '00000000-0000-4000-8000-000000000000' });
    } finally {
      await sql.end({ timeout: 1 });
    }
  });

  it('gives dharma_monitor what the services need (SHOW POOLS/STATS) and nothing more', async () => {
    const admin = createPgbouncerAdmin(url('dharma_monitor', monitorPassword, 'pgbouncer'));
    const sql = postgres(url('dharma_monitor', monitorPassword, 'pgbouncer'), { max: 1, fetch_types: false, prepare: false, onnotice: () => {} });
    try {
      const pools = await admin.pools();
      expect(pools.find((p) => p.database === 'dharma' && p.user === 'app_user')?.poolMode).toBe('transaction');
      expect(Array.isArray(await admin.stats())).toBe(true);
      await expect(sql.unsafe('PAUSE dharma')).rejects.toThrow(/admin access needed/);
    } finally {
      await admin.close();
      await sql.end({ timeout: 1 });
    }
  });
});
