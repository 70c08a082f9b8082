import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SHARED_ROOT } from '../packages/db/src/embedded-access';
import { trackSharedRoot } from '../packages/db/src/testing-embedded';

/**
 * The README's first command, `npm run dev`, as a newcomer runs it: a fresh clone in a folder no other user may
 * enter (a root user's clone under /root, mode 0700), with its own node_modules, and nothing exported but the
 * ports. As root, embedded Postgres runs as the `postgres` user, which cannot reach that clone.
 *
 * The clone is this working tree's files (tracked and untracked, not ignored: what `git clone` gives, plus the
 * changes under test) and a hard-linked copy of node_modules (`cp -al`: the binaries really sit inside the closed
 * folder, as after `npm install`, in about 2 s instead of a 30 s+ install). Its folder is mode 0700 whatever its
 * parents are, so the clone is closed to the postgres user even where the repository itself is open.
 */
const root = resolve(import.meta.dirname, '..');
const asRoot = process.getuid?.() === 0;
// Beside node_modules' filesystem, so `cp -al` can link: /tmp may be another one (a tmpfs would hold 700 MB in RAM).
const base = statSync(tmpdir()).dev === statSync(join(root, 'node_modules')).dev ? tmpdir() : join(root, '.data');
mkdirSync(base, { recursive: true });
const closed = mkdtempSync(join(base, 'dharma-root-clone-'));
chmodSync(closed, 0o700);
const clone = join(closed, 'clone');
const shared = trackSharedRoot();
let launcher: ChildProcess | null = null;

/** Processes still alive (not zombies) in a process group, read from /proc so an init that never reaps cannot fool us. */
function livingInGroup(pgid: number): number[] {
  const alive: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') alive.push(Number(entry));
  }
  return alive;
}

async function stopGroup(child: ChildProcess, signal: NodeJS.Signals, withinMs: number): Promise<boolean> {
  const pgid = child.pid!;
  try {
    process.kill(-pgid, signal);
  } catch {
    return true;
  }
  for (const deadline = Date.now() + withinMs; Date.now() < deadline; ) {
    if (livingInGroup(pgid).length === 0) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return livingInGroup(pgid).length === 0;
}

afterAll(async () => {
  if (launcher && livingInGroup(launcher.pid!).length > 0) await stopGroup(launcher, 'SIGKILL', 10_000);
  shared.cleanup([join(clone, '.data', 'postgres')]);
  rmSync(closed, { recursive: true, force: true });
}, 30_000);

/** Free ports from the kernel's ephemeral range, which lies outside the ranges reserved on our shared machines. */
async function freePorts(count: number): Promise<number[]> {
  const reserved = (p: number) => (p >= 3000 && p <= 3200) || (p >= 4000 && p <= 4500) || [54329, 55432, 56432, 56379].includes(p);
  const ports = new Set<number>();
  while (ports.size < count) {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    await new Promise((r) => server.close(r));
    if (!reserved(port)) ports.add(port);
  }
  return [...ports];
}

function copyWorkingTree(to: string) {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    const from = join(root, file);
    if (!existsSync(from) || lstatSync(from).isDirectory()) continue;
    mkdirSync(dirname(join(to, file)), { recursive: true });
    copyFileSync(from, join(to, file));
  }
  const linked = spawnSync('cp', ['-al', join(root, 'node_modules'), join(to, 'node_modules')]);
  if (linked.status !== 0) execFileSync('cp', ['-a', join(root, 'node_modules'), join(to, 'node_modules')]);
}

/** Addresses listening on a TCP port, from /proc/net/tcp{,6}, for example ['127.0.0.1']. */
function listeningAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const found: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (!local || state !== '0A' || !local.endsWith(`:${hexPort}`)) continue;
      const hex = local.split(':')[0]!;
      found.push(hex.length === 8 ? (hex.match(/../g) ?? []).reverse().map((b) => Number.parseInt(b, 16)).join('.') : hex === '0'.repeat(32) ? '::' : `ipv6:${hex}`);
    }
  }
  return found;
}

async function status(url: string, timeoutMs: number): Promise<{ code: number; body: string }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    return { code: res.status, body: await res.text() };
  } catch {
    return { code: 0, body: '' };
  }
}

const STACK_TRACE = /^\s+at .+[:(]/m;

describe('npm run dev in a fresh clone that other users cannot enter', () => {
  it('serves the console with embedded defaults, on 127.0.0.1 only, and stops everything on SIGTERM', async () => {
    const t0 = Date.now();
    copyWorkingTree(clone);
    if (asRoot) {
      const entered = spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-x', clone]).status;
      expect(entered, 'the postgres user can enter the clone: the test would prove nothing').not.toBe(0);
    }
    const [pgPort, servicesPort, webPort] = (await freePorts(3)) as [number, number, number];
    let output = '';
    launcher = spawn('npm', ['run', 'dev'], {
      cwd: clone,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
        HOME: process.env.HOME ?? closed,
        LANG: 'C.UTF-8',
        ...(process.env.CI ? { CI: process.env.CI } : {}),
        NEXT_TELEMETRY_DISABLED: '1',
        TURBO_TELEMETRY_DISABLED: '1',
        npm_config_update_notifier: 'false',
        EMBEDDED_PG_PORT: String(pgPort),
        SERVICES_PORT: String(servicesPort),
        WEB_PORT: String(webPort),
      },
    });
    launcher.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    launcher.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    let exitCode: number | null | undefined;
    launcher.once('exit', (code) => (exitCode = code ?? -1));

    let ready = { services: 0, web: 0, body: '' };
    for (const deadline = Date.now() + 150_000; Date.now() < deadline && exitCode === undefined; ) {
      const services = await status(`http://127.0.0.1:${servicesPort}/readyz`, 5_000);
      // next dev compiles /signin on the first request: give it time rather than hammering it.
      const web = services.code === 200 ? await status(`http://127.0.0.1:${webPort}/signin`, 90_000) : { code: 0, body: '' };
      ready = { services: services.code, web: web.code, body: web.body };
      if (services.code === 200 && web.code === 200) break;
      await new Promise((r) => setTimeout(r, 1_000));
    }
    const context = `after ${Math.round((Date.now() - t0) / 1000)} s, launcher exit ${exitCode}; its output:\n${output}`;
    expect(exitCode, context).toBeUndefined();
    expect(ready.services, context).toBe(200);
    expect(ready.web, context).toBe(200);
    expect(ready.body, 'the sign-in page lists the seeded sample users').toContain('Ada Admin');
    expect(output).not.toMatch(STACK_TRACE);
    expect(output).not.toContain('EACCES');

    expect(listeningAddresses(webPort), 'web listens on loopback only').toEqual(['127.0.0.1']);
    expect(listeningAddresses(servicesPort), 'services listen on loopback only').toEqual(['127.0.0.1']);
    expect(listeningAddresses(pgPort), 'embedded postgres listens on loopback only').toEqual(['127.0.0.1']);
    if (asRoot) {
      const link = join(clone, '.data', 'postgres');
      expect(lstatSync(link).isSymbolicLink(), 'the cluster lives outside the closed clone, linked from .data/postgres').toBe(true);
      expect(output).toContain(`the cluster lives in ${SHARED_ROOT}/clusters/`);
    }

    const stopped = await stopGroup(launcher, 'SIGTERM', 30_000);
    expect(stopped, `processes left after SIGTERM: ${livingInGroup(launcher.pid!).join(', ')}\n${output}`).toBe(true);
    expect(output).toContain('[dev] stopping…');
    expect(listeningAddresses(pgPort)).toEqual([]);
    console.log(`npm run dev in a closed clone: console ready and stopped in ${Math.round((Date.now() - t0) / 1000)} s`);
  }, 240_000);
});
