import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { bootstrapDatabase } from '@dharma/db/bootstrap';
import { createDb } from '@dharma/db/client';
import { startEmbeddedPostgres, type TEmbeddedPostgres } from '@dharma/db/embedded';
import { runMigrations } from '@dharma/db/migrate';
import { seed } from '@dharma/db/seed/seed';
import { loadDevEnv } from './env';

/**
 * `npm run dev`: the console with nothing installed. Without DATABASE_URL it starts a real embedded Postgres kept
 * in .data/, migrates and seeds it, and runs the services (in-memory cache, development sign-in) and the web app.
 * With DATABASE_URL (and DATABASE_OWNER_URL for migrations) it uses those servers instead.
 */
const root = resolve(import.meta.dirname, '..');
const log = (line: string) => console.log(`[dev] ${line}`);

let env: ReturnType<typeof loadDevEnv>;
try {
  env = loadDevEnv();
} catch (error) {
  console.error(`[dev] ${(error as Error).message}`);
  process.exit(1);
}

interface TSecrets { superuser: string; owner: string; app: string; auth: string }
function secrets(dir: string): TSecrets {
  const file = resolve(dir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as TSecrets;
  const make = () => randomBytes(24).toString('base64url');
  const s = { superuser: make(), owner: make(), app: make(), auth: randomBytes(48).toString('base64url') };
  writeFileSync(file, JSON.stringify(s, null, 2), { mode: 0o600 });
  return s;
}

const children: ChildProcess[] = [];
let embedded: TEmbeddedPostgres | null = null;
let stopping = false;

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  log('stopping…');
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
  if (embedded) await embedded.stop().catch(() => {});
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

function run(name: string, command: string, args: string[], extraEnv: Record<string, string>) {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = (chunk: Buffer) => chunk.toString().split('\n').filter(Boolean).map((l) => `[${name}] ${l}`).join('\n') + '\n';
  child.stdout?.on('data', (d: Buffer) => process.stdout.write(prefix(d)));
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(prefix(d)));
  child.on('exit', (code) => {
    if (!stopping) {
      log(`${name} exited with ${code}; stopping the rest`);
      void shutdown(code ?? 1);
    }
  });
  children.push(child);
}

const dataDir = resolve(root, env.DATA_DIR);
mkdirSync(dataDir, { recursive: true });
const s = secrets(dataDir);
let databaseUrl = env.DATABASE_URL;
let ownerUrl = env.DATABASE_OWNER_URL;

try {
  if (!databaseUrl) {
    log(`no DATABASE_URL: starting embedded PostgreSQL in ${env.DATA_DIR}/postgres on 127.0.0.1:${env.EMBEDDED_PG_PORT}`);
    embedded = await startEmbeddedPostgres({ dir: resolve(dataDir, 'postgres'), port: env.EMBEDDED_PG_PORT, password: s.superuser, log });
    await bootstrapDatabase({ adminUrl: embedded.adminUrl, database: 'dharma', ownerPassword: s.owner, appPassword: s.app });
    databaseUrl = `postgres://app_user:${s.app}@127.0.0.1:${env.EMBEDDED_PG_PORT}/dharma`;
    ownerUrl = `postgres://app_owner:${s.owner}@127.0.0.1:${env.EMBEDDED_PG_PORT}/dharma`;
  }
  if (ownerUrl) {
    await runMigrations(ownerUrl);
    log('migrations applied');
    const owner = createDb({ url: ownerUrl, max: 1, applicationName: 'dharma-seed' });
    try {
      await seed(owner.db, log);
    } finally {
      await owner.close();
    }
  } else {
    log('DATABASE_OWNER_URL not set: skipping migrations and seed (run npm run db:migrate yourself)');
  }
} catch (error) {
  console.error(`[dev] could not prepare the database: ${(error as Error).message}`);
  await shutdown(1);
}

const servicesUrl = `http://127.0.0.1:${env.SERVICES_PORT}`;
const shared = { NEXT_TELEMETRY_DISABLED: '1', TURBO_TELEMETRY_DISABLED: '1' };
run('services', resolve(root, 'node_modules/.bin/tsx'), ['apps/services/src/server.ts'], {
  ...shared,
  DATABASE_URL: databaseUrl!,
  AUTH_SECRET: env.AUTH_SECRET ?? s.auth,
  DEV_LOGIN: process.env.DEV_LOGIN ?? 'true',
  SERVICES_PORT: String(env.SERVICES_PORT),
  ...(env.REDIS_URL ? { REDIS_URL: env.REDIS_URL } : {}),
});
const webArgs = env.DEV_WEB_MODE === 'dev' ? ['run', 'dev', '-w', '@dharma/web'] : ['run', 'start', '-w', '@dharma/web'];
run('web', 'npm', webArgs, { ...shared, SERVICES_URL: servicesUrl, WEB_PORT: String(env.WEB_PORT) });
log(`console: http://localhost:${env.WEB_PORT}  (services ${servicesUrl}, cache: ${env.REDIS_URL ? 'redis' : 'in-memory'})`);
