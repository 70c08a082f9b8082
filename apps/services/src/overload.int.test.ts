import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { resolve } from 'node:path';
import { freePort } from '@dharma/cache/testing-redis';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDeps, scratchTenant, startHttp, tokenFor } from './testing/harness';

const repoRoot = resolve(import.meta.dirname, '../../..');

describe('load shedding over HTTP', () => {
  const deps = makeDeps({ MAX_INFLIGHT_REQUESTS: '2', RETRY_AFTER_SECONDS: '3' });
  let server: Awaited<ReturnType<typeof startHttp>>;
  afterAll(async () => {
    await server?.close();
    await deps.close();
  });

  it('refuses past the in-flight limit with 503, Retry-After and tRPC error shapes (single and batch), probes still answer', async () => {
    server = await startHttp(deps);
    deps.shedder.started();
    deps.shedder.started();
    try {
      const single = await fetch(`${server.url}/trpc/health.ping`);
      expect(single.status).toBe(503);
      expect(single.headers.get('retry-after')).toBe('3');
      expect(await single.json()).toEqual({ error: { message: expect.stringContaining('overloaded'), code: -32603, data: { code: 'SERVICE_UNAVAILABLE', httpStatus: 503, path: 'health.ping' } } });
      const batch = await fetch(`${server.url}/trpc/health.ping,identity.whoami?batch=1&input=%7B%7D`);
      expect(batch.status).toBe(503);
      const body = (await batch.json()) as { error: { data: { path: string } } }[];
      expect(body.map((e) => e.error.data.path)).toEqual(['health.ping', 'identity.whoami']);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(/dharma_requests_shed_total\{reason="inflight"\} 2/);
    } finally {
      deps.shedder.finished();
      deps.shedder.finished();
    }
    expect((await fetch(`${server.url}/trpc/health.ping`)).status).toBe(200);
  });
});

describe('database calls beyond DB_MAX_INFLIGHT', () => {
  const deps = makeDeps({ DB_MAX_INFLIGHT: '1', CACHE_ENABLED: 'false' });
  let server: Awaited<ReturnType<typeof startHttp>>;
  afterAll(async () => {
    await server?.close();
    await deps.close();
  });

  it('are refused at once with 503 and Retry-After (nothing was done), the others served', async () => {
    server = await startHttp(deps);
    const scratch = await scratchTenant('db-gate');
    const token = await tokenFor(scratch.admin, deps.env.AUTH_SECRET);
    const answers = await Promise.all(
      Array.from({ length: 12 }, async () => {
        const res = await fetch(`${server.url}/trpc/blueprints.list?input=${encodeURIComponent('{}')}`, { headers: { authorization: `Bearer ${token}` } });
        return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.text() };
      }),
    );
    const refused = answers.filter((a) => a.status === 503);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    expect(answers.filter((a) => a.status !== 200 && a.status !== 503)).toEqual([]);
    for (const a of refused) {
      expect(a.retryAfter).toBe('1');
      expect(a.body).toContain('too many database calls waiting');
    }
  });
});

/** The pids of `root`'s descendants whose command line mentions the services entry point. */
function serviceProcesses(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone
    }
  }
  const descends = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) if (p === root) return true;
    return false;
  };
  return [...parents.keys()].filter((pid) => {
    if (!descends(pid)) return false;
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('server.ts');
    } catch {
      return false;
    }
  });
}

/** GET on a connection of its own (no keep-alive): its status, 0 when it failed. */
function freshGet(url: string): Promise<number> {
  return new Promise((resolveGet) => {
    const req = get(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolveGet(res.statusCode ?? 0));
      res.on('error', () => resolveGet(0));
    });
    req.setTimeout(5000, () => req.destroy());
    req.on('error', () => resolveGet(0));
  });
}

describe('worker processes (WORKERS=2)', () => {
  let child: ChildProcess | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child!.once('exit', r));
    }
  });

  it('a worker killed under load costs only its own requests; the port keeps answering and a new worker takes its place', async () => {
    const port = await freePort();
    child = spawn(resolve(repoRoot, 'node_modules/.bin/tsx'), ['apps/services/src/server.ts'], {
      cwd: repoRoot,
      env: { ...process.env, WORKERS: '2', SERVICES_PORT: String(port), DEV_LOGIN: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    while (!/with 2 worker process/.test(output) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(output).toMatch(/listening on .* with 2 worker process\(es\)/);

    // Workers are the primary's children running the same entry point (tsx runs the primary under a loader).
    const workersOf = () => serviceProcesses(child!.pid!).filter((pid) => serviceProcesses(pid).length === 0);
    const before = workersOf();
    expect(before).toHaveLength(2);

    // /metrics reached through any worker counts every worker's requests (the primary aggregates them).
    for (let i = 0; i < 40; i++) expect(await freshGet(`${url}/trpc/health.ping`)).toBe(200);
    const pings = async () => {
      const text = await new Promise<string>((resolveText) => {
        get(`${url}/metrics`, { agent: false }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolveText(body));
        });
      });
      return [...text.matchAll(/^dharma_trpc_requests_total\{procedure="health\.ping"[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
    };
    const counts = [await pings(), await pings(), await pings(), await pings()];
    expect(new Set(counts).size).toBe(1);
    expect(counts[0]).toBe(40);

    let stop = false;
    const results: number[] = [];
    const load = Promise.all(
      Array.from({ length: 8 }, async () => {
        while (!stop) {
          // A new connection each time: cluster hands it to a live worker.
          results.push(await freshGet(`${url}/trpc/health.ping`));
        }
      }),
    );
    await new Promise((r) => setTimeout(r, 500));
    process.kill(before[0]!, 'SIGKILL');
    const killedAt = results.length;
    await new Promise((r) => setTimeout(r, 3000));
    stop = true;
    await load;

    const after = results.slice(killedAt);
    // In flight on the killed worker at most: one request per client.
    expect(after.filter((s) => s !== 200).length).toBeLessThanOrEqual(8);
    expect(after.filter((s) => s === 200).length).toBeGreaterThan(50);
    const deadlineRestart = Date.now() + 15_000;
    let now = workersOf();
    while ((now.length !== 2 || now.includes(before[0]!)) && Date.now() < deadlineRestart) {
      await new Promise((r) => setTimeout(r, 200));
      now = workersOf();
    }
    expect(now).toHaveLength(2);
    expect(now).not.toContain(before[0]);
    expect(output).toMatch(new RegExp(`worker ${before[0]} exited \\(SIGKILL\\)`));
  });
});
