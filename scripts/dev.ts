import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { bootstrapDatabase } from '@dharma/db/bootstrap';
import { describeFailure, hasCode } from '@dharma/db/cli/run-cli';
import { createDb } from '@dharma/db/client';
import { EmbeddedPostgresError, startEmbeddedPostgres, type TEmbeddedPostgres } from '@dharma/db/embedded';
import { EnvError, envProblemLine } from '@dharma/db/env';
import { runMigrations } from '@dharma/db/migrate';
import { seed } from '@dharma/db/seed/seed';
import type { DevIdp } from '@dharma/dev-idp/server';
import { registerDevProviders } from './lib/dev-sso';
import { inheritedEnv, loadDevEnv, type TDevEnv } from './env';
import { exposureWarning, isLoopbackHost, isWildcardHost, localUrl } from './exposure';

/**
 * `npm run dev`: the console with nothing installed. Without DATABASE_URL it starts a real embedded Postgres kept
 * in .data/, migrates and seeds it, and runs the services (in-memory cache, development sign-in) and the web app.
 * With DATABASE_URL (and DATABASE_OWNER_URL for migrations) it uses those servers instead.
 */
const root = resolve(import.meta.dirname, '..');
const log = (line: string) => console.log(`[dev] ${line}`);

const children: ChildProcess[] = [];
let embedded: TEmbeddedPostgres | null = null;
let devIdp: DevIdp | null = null;
let stopping = false;

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  log('stopping…');
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null && c.pid !== undefined ? new Promise((r) => c.once('exit', r)) : null)));
  if (devIdp) await devIdp.close().catch(() => {});
  if (embedded) await embedded.stop().catch(() => {});
  process.exit(code);
}

/** One paragraph for any failure; a stack only for a failure that is nobody's setting (a bug worth reporting). */
function fail(error: unknown, context = '') {
  const known = error instanceof EmbeddedPostgresError || hasCode(error);
  console.error(`[dev] ${context}${error instanceof EmbeddedPostgresError ? error.message : describeFailure(error)}`);
  if (!known && error instanceof Error && error.stack) console.error(error.stack);
  void shutdown(1);
}

// A failure anywhere, a library's callbacks included, ends the launcher with a message and stops what it started.
process.on('uncaughtException', (error) => fail(error));
process.on('unhandledRejection', (error) => fail(error));
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

function readEnv(): TDevEnv {
  try {
    return loadDevEnv();
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    for (const problem of error.problems) console.error(`[dev] ${envProblemLine(problem)}`);
    process.exit(1);
  }
}

interface TSecrets { superuser: string; owner: string; app: string; auth: string; idpClient?: string }
function secrets(dir: string): TSecrets {
  const file = resolve(dir, 'secrets.json');
  const make = () => randomBytes(24).toString('base64url');
  const s: TSecrets = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as TSecrets) : { superuser: make(), owner: make(), app: make(), auth: randomBytes(48).toString('base64url') };
  if (!existsSync(file) || !s.idpClient) {
    s.idpClient ??= make();
    writeFileSync(file, JSON.stringify(s, null, 2), { mode: 0o600 });
  }
  return s;
}

function run(name: string, command: string, args: string[], extraEnv: Record<string, string>) {
  const child = spawn(command, args, { cwd: root, env: { ...inheritedEnv(), ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = (chunk: Buffer) => chunk.toString().split('\n').filter(Boolean).map((l) => `[${name}] ${l}`).join('\n') + '\n';
  child.stdout?.on('data', (d: Buffer) => process.stdout.write(prefix(d)));
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(prefix(d)));
  child.on('error', (error) => fail(error, `could not start the ${name} (${command}): `));
  child.on('exit', (code, signal) => {
    if (!stopping) {
      log(`${name} exited with ${signal ?? code}; stopping the rest`);
      void shutdown(code || 1);
    }
  });
  children.push(child);
}

async function prepareDatabase(env: TDevEnv, s: TSecrets, dataDir: string, idpUrl: string | null): Promise<string> {
  let databaseUrl = env.DATABASE_URL;
  let ownerUrl = env.DATABASE_OWNER_URL;
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
      if (idpUrl) {
        await registerDevProviders(owner.db, { idpUrl, clientSecret: s.idpClient! });
        log(`single sign-on: acme through the local OIDC provider, globex through the local SAML IdP (${idpUrl})`);
      }
    } finally {
      await owner.close();
    }
  } else {
    log('DATABASE_OWNER_URL not set: skipping migrations and seed (run npm run db:migrate yourself)');
  }
  return databaseUrl;
}

async function main() {
  const env = readEnv();
  const devLogin = env.DEV_LOGIN === 'true' || env.DEV_LOGIN === '1';
  const warning = exposureWarning({ webHost: env.WEB_HOST, webPort: env.WEB_PORT, servicesHost: env.SERVICES_HOST, servicesPort: env.SERVICES_PORT, devLogin });
  if (warning) console.warn(`[dev] ${warning}`);

  const dataDir = resolve(root, env.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const s = secrets(dataDir);
  const consoleUrl = isLoopbackHost(env.WEB_HOST) || isWildcardHost(env.WEB_HOST) ? `http://localhost:${env.WEB_PORT}` : localUrl(env.WEB_HOST, env.WEB_PORT);
  const withIdp = env.DEV_IDP === 'true' || env.DEV_IDP === '1';
  try {
    // Imported only when it starts: oidc-provider prints a runtime notice when loaded, which must not come before
    // the launcher's own messages (a bad variable is reported alone).
    if (withIdp) devIdp = await (await import('@dharma/dev-idp/server')).startDevIdp({ host: '127.0.0.1', port: env.DEV_IDP_PORT, webOrigins: [consoleUrl], clientSecret: s.idpClient! });
  } catch (error) {
    fail(error, `could not start the local identity provider on port ${env.DEV_IDP_PORT} (set DEV_IDP_PORT, or DEV_IDP=false): `);
    return;
  }
  let databaseUrl: string;
  try {
    databaseUrl = await prepareDatabase(env, s, dataDir, devIdp?.url ?? null);
  } catch (error) {
    fail(error, 'could not prepare the database: ');
    return;
  }
  if (stopping) return;

  const servicesUrl = localUrl(env.SERVICES_HOST, env.SERVICES_PORT);
  const shared = { NEXT_TELEMETRY_DISABLED: '1', TURBO_TELEMETRY_DISABLED: '1' };
  run('services', resolve(root, 'node_modules/.bin/tsx'), ['apps/services/src/server.ts'], {
    ...shared,
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: env.AUTH_SECRET ?? s.auth,
    DEV_LOGIN: String(devLogin),
    CONSOLE_URL: consoleUrl,
    SERVICES_HOST: env.SERVICES_HOST,
    SERVICES_PORT: String(env.SERVICES_PORT),
    ...(env.REDIS_URL ? { REDIS_URL: env.REDIS_URL } : {}),
  });
  const webArgs = env.DEV_WEB_MODE === 'dev' ? ['run', 'dev', '-w', '@dharma/web'] : ['run', 'start', '-w', '@dharma/web'];
  run('web', 'npm', webArgs, { ...shared, SERVICES_URL: servicesUrl, WEB_HOST: env.WEB_HOST, WEB_PORT: String(env.WEB_PORT), AUTH_SECRET: env.AUTH_SECRET ?? s.auth });
  log(`console: ${consoleUrl}  (listening on ${env.WEB_HOST}; services ${servicesUrl}, cache: ${env.REDIS_URL ? 'redis' : 'in-memory'})`);
  if (warning) console.warn(`[dev] ${warning}`);
}

main().catch((error: unknown) => fail(error));
