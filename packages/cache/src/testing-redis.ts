import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * For tests: a real redis-server of their own, on a free port in a temp folder, so nothing collides with a system
 * Redis or the dev stack, and a test can kill and restart it on the same port.
 */
export type TTestRedis = {
  readonly port: number;
  readonly url: string;
  /** Starts the server (again, on the same port) and waits until it answers PING. */
  start(): Promise<void>;
  /** Kills it (SIGKILL by default: an outage, not a shutdown) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Sends a signal without waiting (SIGSTOP / SIGCONT: a server that hangs, then resumes). */
  signal(signal: NodeJS.Signals): void;
  /** Stops it and removes its folder. */
  dispose(): Promise<void>;
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function pingOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(200, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/** A started test Redis. `args` are extra redis-server arguments. */
export async function startTestRedis(args: string[] = []): Promise<TTestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'dharma-test-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;

  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;
  const redis: TTestRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      if (running()) return;
      const started = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...args], { stdio: 'ignore' });
      child = started;
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline) {
        if (started.exitCode !== null) throw new Error(`redis-server exited with ${started.exitCode}`);
        if (await pingOnce(port)) return;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error('redis-server did not answer PING within 5 s');
    },
    async stop(signal = 'SIGKILL') {
      const current = child;
      if (current === undefined || !running()) return;
      const exited = new Promise((resolve) => current.once('exit', resolve));
      current.kill(signal);
      await exited;
    },
    signal(signal) {
      if (running()) child?.kill(signal);
    },
    async dispose() {
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await redis.start();
  return redis;
}
