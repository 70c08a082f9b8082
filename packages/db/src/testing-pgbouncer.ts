import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import postgres from 'postgres';

/**
 * For tests: a real PgBouncer of their own (Debian's 1.18, transaction mode), on a free port in a temp folder, in
 * front of the local stack's Postgres, so a test can kill it, hang it and bring it back without touching the
 * shared PgBouncer other suites and engineers use.
 *
 * Guarantees:
 * - `port` and `url` never change for the life of the handle: `start()` after `stop()` listens on the same port,
 *   so clients holding the URL reconnect to the new process.
 * - `start()` resolves only once a `select 1` through it has succeeded (PgBouncer logged in to Postgres), and
 *   rejects with the tail of PgBouncer's log if it exits or does not answer within 10 s.
 * - `stop()` resolves only once the process has exited: its sockets are closed and its port refuses connections.
 * - PgBouncer is this process's direct child (run as the `postgres` user when we are root, because PgBouncer refuses
 *   root), so a signal reaches PgBouncer itself rather than a `runuser` wrapper, and it is killed if this process
 *   exits without `dispose()`.
 */
export type TTestPgBouncer = {
  readonly port: number;
  /** `postgres://<user>:<password>@127.0.0.1:<port>/<database>`: the server URL's role and database, through us. */
  readonly url: string;
  /** Its folder under /tmp (config, userlist, log); removed by `dispose()`. */
  readonly dir: string;
  /** Starts PgBouncer (again, on the same port) and waits until a query through it succeeds; no-op if running. */
  start(): Promise<void>;
  /**
   * Signals it and waits for the exit. SIGKILL (the default) is an outage: every client and server connection
   * drops at once. SIGTERM is PgBouncer's immediate shutdown, SIGINT its safe one (waits for clients to finish).
   */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** `stop()` with SIGKILL, then `start()`: a crash and a supervisor bringing it back. */
  restart(): Promise<void>;
  /** Sends a signal without waiting (SIGSTOP / SIGCONT: a pooler that hangs, then resumes). */
  signal(signal: NodeJS.Signals): void;
  /** The last lines of PgBouncer's log, for assertion messages. */
  logTail(lines?: number): string;
  /** Stops it and removes its folder. */
  dispose(): Promise<void>;
};

export type TTestPgBouncerOptions = {
  /** The Postgres to pool, with the role, password and database clients use. Default: `DATABASE_DIRECT_URL`. */
  serverUrl?: string;
  /** Server connections per user and database (`default_pool_size`). Default 10. */
  poolSize?: number;
  /** Extra `[pgbouncer]` settings, for example `{ query_wait_timeout: 5 }`. */
  settings?: Readonly<Record<string, string | number>>;
  /** Default: Debian's `/usr/sbin/pgbouncer`. */
  binary?: string;
};

const READY_TIMEOUT_MS = 10_000;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** uid/gid to run as: PgBouncer refuses to run as root, and as root we can hand its files to `postgres`. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

async function answers(url: string): Promise<boolean> {
  const probe = postgres(url, { max: 1, prepare: false, fetch_types: false, connect_timeout: 1, idle_timeout: 1, onnotice: () => {} });
  try {
    await probe`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await probe.end({ timeout: 0 });
  }
}

/** A started private PgBouncer; call `dispose()` when done. */
export async function startTestPgBouncer(options: TTestPgBouncerOptions = {}): Promise<TTestPgBouncer> {
  const serverUrl = options.serverUrl ?? process.env.DATABASE_DIRECT_URL;
  if (!serverUrl) throw new Error('startTestPgBouncer: pass serverUrl or set DATABASE_DIRECT_URL (set -a; . .stack/env)');
  const server = new URL(serverUrl);
  const user = decodeURIComponent(server.username);
  const password = decodeURIComponent(server.password);
  const database = decodeURIComponent(server.pathname.slice(1));
  const owner = runAs();
  const port = await freePort();
  // /tmp, not the repository: the postgres user must be able to reach the folder, and a clone under /root is not.
  const dir = mkdtempSync('/tmp/dharma-test-pgbouncer-');
  const logFile = join(dir, 'pgbouncer.log');
  const quote = (v: string) => `"${v.replaceAll('"', '""')}"`;
  const settings: Record<string, string | number> = {
    listen_addr: '127.0.0.1',
    listen_port: port,
    unix_socket_dir: '',
    auth_type: 'scram-sha-256',
    auth_file: join(dir, 'userlist.txt'),
    pool_mode: 'transaction',
    server_reset_query: '',
    max_client_conn: 500,
    default_pool_size: options.poolSize ?? 10,
    ignore_startup_parameters: 'extra_float_digits,options',
    logfile: logFile,
    ...options.settings,
  };
  const files: Record<string, string> = {
    'pgbouncer.ini': [
      '[databases]',
      `${database} = host=${server.hostname} port=${server.port || 5432} dbname=${database}`,
      '',
      '[pgbouncer]',
      ...Object.entries(settings).map(([k, v]) => `${k} = ${v}`),
      '',
    ].join('\n'),
    // Plaintext passwords: PgBouncer needs them to answer SCRAM and to log in to Postgres itself (STACK.md).
    'userlist.txt': `${quote(user)} ${quote(password)}\n`,
    // Created here and handed over: a root-owned log makes the daemon die without a word.
    'pgbouncer.log': '',
  };
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content, { mode: 0o600 });
  if (owner) for (const path of [dir, ...Object.keys(files).map((f) => join(dir, f))]) chownSync(path, owner.uid, owner.gid);

  const url = `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  let child: ChildProcess | undefined;
  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;
  const killOnExit = () => {
    if (running()) child?.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const bouncer: TTestPgBouncer = {
    port,
    url,
    dir,
    async start() {
      if (running()) return;
      const started = spawn(options.binary ?? '/usr/sbin/pgbouncer', [join(dir, 'pgbouncer.ini')], {
        cwd: dir,
        stdio: 'ignore',
        ...(owner ?? {}),
      });
      child = started;
      let spawnError: Error | undefined;
      started.once('error', (error) => (spawnError = error));
      const deadline = Date.now() + READY_TIMEOUT_MS;
      while (Date.now() < deadline) {
        if (spawnError) throw new Error(`pgbouncer did not start: ${spawnError.message}`);
        if (started.exitCode !== null || started.signalCode !== null) {
          throw new Error(`pgbouncer exited (${started.exitCode ?? started.signalCode}) on port ${port}:\n${bouncer.logTail()}`);
        }
        if (await answers(url)) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`pgbouncer on port ${port} did not answer a query within ${READY_TIMEOUT_MS / 1000} s:\n${bouncer.logTail()}`);
    },
    async stop(signal = 'SIGKILL') {
      const current = child;
      if (current === undefined || !running()) return;
      const exited = new Promise((resolve) => current.once('exit', resolve));
      current.kill(signal);
      // A suspended process acts on no signal but SIGKILL until it is resumed.
      if (signal !== 'SIGKILL') current.kill('SIGCONT');
      await exited;
    },
    async restart() {
      await bouncer.stop();
      await bouncer.start();
    },
    signal(signal) {
      if (running()) child?.kill(signal);
    },
    logTail(lines = 20) {
      try {
        return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '(no log)';
      }
    },
    async dispose() {
      await bouncer.stop();
      process.removeListener('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await bouncer.start();
  } catch (error) {
    await bouncer.dispose();
    throw error;
  }
  return bouncer;
}
