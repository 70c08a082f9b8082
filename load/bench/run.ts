import { readFileSync, existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readDirectory } from '@dharma/auth/directory';
import { signAccessToken } from '@dharma/auth/token';
import { createDb } from '@dharma/db/client';
import { measure, type TMeasurement } from './measure';
import { repoRoot, startProcess, stopProcess } from './processes';
import { loadBenchEnv } from './env';

/**
 * `npm run bench`: in one run on this machine, the bare node:http ceiling and blueprints.byId through the real
 * stack (PgBouncer + Redis), cached and uncached, each as req/s, p50/p95/p99 and a ratio to the ceiling.
 * Writes a dated section to docs/PERFORMANCE.md. Needs `npm run stack:up` and a migrated, seeded database.
 */
const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '50' }, 'no-write': { type: 'boolean', default: false } } });
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const env = loadBenchEnv();

const ports = { bare: 4299, cached: 4201, uncached: 4202 };
const servicesEnv = (port: number, cache: boolean) => ({
  DATABASE_URL: env.DATABASE_URL,
  REDIS_URL: env.REDIS_URL,
  AUTH_SECRET: env.AUTH_SECRET,
  SERVICES_PORT: String(port),
  CACHE_ENABLED: String(cache),
  DB_POOL_MAX: '20',
});

const db = createDb({ url: env.DATABASE_URL, max: 1 });
const user = (await readDirectory(db.db)).find((u) => u.email === 'ada@acme.test');
if (!user) throw new Error('seeded user ada@acme.test not found: run npm run db:seed');
const token = await signAccessToken({ sub: user.userId, tid: user.tenantId, email: user.email, name: user.name, roles: user.roles }, env.AUTH_SECRET, 3600);
await db.close();

const procs = await Promise.all([
  startProcess('bare', 'load/bench/bare-server.ts', [String(ports.bare)], {}, `http://127.0.0.1:${ports.bare}/`),
  startProcess('services (cached)', 'apps/services/src/server.ts', [], servicesEnv(ports.cached, true), `http://127.0.0.1:${ports.cached}/readyz`),
  startProcess('services (uncached)', 'apps/services/src/server.ts', [], servicesEnv(ports.uncached, false), `http://127.0.0.1:${ports.uncached}/readyz`),
]);

const results: TMeasurement[] = [];
try {
  const headers = { authorization: `Bearer ${token}` };
  const list = await fetch(`http://127.0.0.1:${ports.cached}/trpc/blueprints.list?input=${encodeURIComponent(JSON.stringify({ search: 'Three-tier web app' }))}`, { headers });
  const id = ((await list.json()) as { result: { data: { items: { id: string }[] } } }).result.data.items[0]?.id;
  if (!id) throw new Error('seeded blueprint "Three-tier web app" not found');
  const byId = (port: number) => `http://127.0.0.1:${port}/trpc/blueprints.byId?input=${encodeURIComponent(JSON.stringify({ id }))}`;
  const opts = { connections, seconds, warmupSeconds: Math.min(3, seconds) };
  const run = async (name: string, url: string, h?: Record<string, string>) => {
    process.stdout.write(`bench: ${name}… `);
    const m = await measure(name, { ...opts, url, headers: h });
    results.push(m);
    console.log(`${Math.round(m.rps)} req/s, p50 ${m.p50} ms, p95 ${m.p95} ms, p99 ${m.p99} ms, errors ${m.errors}, non-2xx ${m.non2xx}`);
  };
  await run('bare node:http (ceiling)', `http://127.0.0.1:${ports.bare}/`);
  await run('blueprints.byId, cached (Redis)', byId(ports.cached), headers);
  await run('blueprints.byId, uncached (PgBouncer, tenant transaction)', byId(ports.uncached), headers);
} finally {
  await Promise.all(procs.map(stopProcess));
}

const ceiling = results[0]!.rps;
const rows = results.map((m) => `| ${m.name} | ${Math.round(m.rps).toLocaleString('en-US')} | ${(m.rps / ceiling).toFixed(3)} | ${m.p50} | ${m.p95} | ${m.p99} | ${m.errors + m.non2xx} |`);
const section = [
  `## ${new Date().toISOString().slice(0, 10)}: blueprints.byId, cached and uncached, against bare node:http`,
  '',
  `Command: \`npm run bench -- --seconds ${seconds} --connections ${connections}\` (stack from \`npm run stack:up\`). Machine: ${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}. Load generator (autocannon, ${connections} connections, ${seconds} s after a warm-up) and servers share the same cores, so compare ratios within this run, not absolute numbers across machines.`,
  '',
  '| target | req/s | × bare | p50 ms | p95 ms | p99 ms | errors |',
  '|---|---|---|---|---|---|---|',
  ...rows,
  '',
].join('\n');
console.log(`\n${section}`);
if (!values['no-write']) {
  const file = resolve(repoRoot, 'docs/PERFORMANCE.md');
  mkdirSync(resolve(repoRoot, 'docs'), { recursive: true });
  const head = '# Performance\n\nEvery section is one run of the command it names, on the machine it names. Newest first.\n\n';
  const previous = existsSync(file) ? readFileSync(file, 'utf8').replace(head, '') : '';
  writeFileSync(file, `${head}${section}\n${previous}`);
  console.log('bench: wrote docs/PERFORMANCE.md');
}
