import { readFileSync, existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readDirectory } from '@dharma/auth/directory';
import { signAccessToken } from '@dharma/auth/token';
import { createDb } from '@dharma/db/client';
import { createScratchTenant } from '@dharma/db/testing';
import { measure, pool, type TMeasurement } from './measure';
import { repoRoot, startProcess, stopProcess } from './processes';
import { servicesEnv as runnerServicesEnv } from '../runner/env';
import { loadBenchEnv } from './env';

/**
 * `npm run bench`: in one run on this machine, the bare node:http ceiling and blueprints.byId through the real
 * stack (PgBouncer + Redis), cached and uncached, each as req/s, p50/p95/p99 and a ratio to the ceiling.
 * Writes a dated section to docs/PERFORMANCE.md. Needs `npm run stack:up` and a migrated, seeded database.
 */
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '3' },
    'no-write': { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const rounds = Number(values.rounds);
for (const [flag, value] of Object.entries({ seconds, connections, rounds })) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${flag} must be a whole number of at least 1, got ${String(values[flag as keyof typeof values])}`);
}
const env = loadBenchEnv();

const ports = { bare: 4299, bareSameBody: 4297, express: 4298, cached: 4201, uncached: 4202 };
// The load runner's services environment (dev sign-in, pool size 20), with the cache switched per target.
const servicesEnv = (port: number, cache: boolean): Record<string, string> => ({ ...runnerServicesEnv(env, port), CACHE_ENABLED: String(cache) });

const db = createDb({ url: env.DATABASE_URL, max: 1 });
const user = (await readDirectory(db.db)).find((u) => u.email === 'ada@acme.test');
if (!user) throw new Error('seeded user ada@acme.test not found: run npm run db:seed');
const token = await signAccessToken({ sub: user.userId, tid: user.tenantId, email: user.email, name: user.name, roles: user.roles }, env.AUTH_SECRET, 3600);
await db.close();
// Writes go to a throw-away tenant so they do not crowd the sample data.
const scratch = await createScratchTenant(env.DATABASE_OWNER_URL, 'bench');
const writerToken = await signAccessToken({ sub: scratch.userId, tid: scratch.tenantId, email: scratch.email, name: scratch.name, roles: ['admin'] }, env.AUTH_SECRET, 3600);

const procs = await Promise.all([
  startProcess('bare', 'load/bench/bare-server.ts', [String(ports.bare)], {}, `http://127.0.0.1:${ports.bare}/`),
  startProcess('express + pg + redis', 'load/bench/express-baseline.ts', [String(ports.express)], servicesEnv(ports.express, true), `http://127.0.0.1:${ports.express}/healthz`),
  startProcess('services (cached)', 'apps/services/src/server.ts', [], servicesEnv(ports.cached, true), `http://127.0.0.1:${ports.cached}/readyz`),
  startProcess('services (uncached)', 'apps/services/src/server.ts', [], servicesEnv(ports.uncached, false), `http://127.0.0.1:${ports.uncached}/readyz`),
]);

const results: (TMeasurement & { ratioRange: [number, number] | null })[] = [];
try {
  const headers = { authorization: `Bearer ${token}` };
  const list = await fetch(`http://127.0.0.1:${ports.cached}/trpc/blueprints.list?input=${encodeURIComponent(JSON.stringify({ search: 'Three-tier web app' }))}`, { headers });
  const id = ((await list.json()) as { result: { data: { items: { id: string }[] } } }).result.data.items[0]?.id;
  if (!id) throw new Error('seeded blueprint "Three-tier web app" not found');
  const byId = (port: number) => `http://127.0.0.1:${port}/trpc/blueprints.byId?input=${encodeURIComponent(JSON.stringify({ id }))}`;
  const opts = { connections, seconds, warmupSeconds: Math.min(3, seconds) };
  const bodyFile = resolve(tmpdir(), `dharma-bench-body-${process.pid}.json`);
  const sample = await fetch(byId(ports.cached), { headers });
  writeFileSync(bodyFile, await sample.text());
  procs.push(await startProcess('bare (same body)', 'load/bench/bare-server.ts', [String(ports.bareSameBody), bodyFile], {}, `http://127.0.0.1:${ports.bareSameBody}/`));
  const listInput = encodeURIComponent(JSON.stringify({ cloud: 'aws', status: 'approved', search: 'web', pageSize: 20 }));
  let n = 0;
  const graph = { components: [{ id: 'q', kind: 'queue', name: 'dev-bench-queue', cloud: 'aws', region: 'eu-west-1', properties: {}, tags: {} }], relations: [] };
  const reads: { name: string; url: string; headers?: Record<string, string> }[] = [
    { name: 'bare node:http (ceiling)', url: `http://127.0.0.1:${ports.bare}/` },
    { name: `bare node:http, same ${Buffer.byteLength(readFileSync(bodyFile, 'utf8'))}-byte body as byId`, url: `http://127.0.0.1:${ports.bareSameBody}/` },
    { name: 'Express + pg + Redis by hand, cached read (comparison)', url: `http://127.0.0.1:${ports.express}/blueprints/${id}`, headers },
    { name: 'blueprints.byId, cached (Redis)', url: byId(ports.cached), headers },
    { name: 'blueprints.byId, uncached (PgBouncer, tenant transaction)', url: byId(ports.uncached), headers },
    { name: 'blueprints.list with filters, cached', url: `http://127.0.0.1:${ports.cached}/trpc/blueprints.list?input=${listInput}`, headers },
    { name: 'blueprints.list with filters, uncached', url: `http://127.0.0.1:${ports.uncached}/trpc/blueprints.list?input=${listInput}`, headers },
  ];
  // The machine's speed drifts within minutes (shared cores), so the targets are measured in interleaved rounds:
  // every target sees the same drift, and each round gives its own ratio to the ceiling measured just before.
  const byRound = reads.map(() => [] as TMeasurement[]);
  for (let round = 0; round < rounds; round++) {
    for (const [i, target] of reads.entries()) {
      process.stdout.write(`bench: round ${round + 1}/${rounds}, ${target.name}… `);
      const m = await measure(target.name, { ...opts, warmupSeconds: round === 0 ? opts.warmupSeconds : 0, url: target.url, headers: target.headers });
      byRound[i]!.push(m);
      console.log(`${Math.round(m.rps)} req/s, p50 ${m.p50.toFixed(2)} ms, p95 ${m.p95.toFixed(2)} ms, p99 ${m.p99.toFixed(2)} ms, errors ${m.errors}, non-2xx ${m.non2xx}`);
    }
  }
  reads.forEach((target, i) => {
    const pooled = pool(target.name, byRound[i]!);
    const ratios = byRound[i]!.map((m, round) => m.rps / byRound[0]![round]!.rps);
    results.push({ ...pooled, ratioRange: [Math.min(...ratios), Math.max(...ratios)] });
  });
  process.stdout.write('bench: blueprints.create (write, new blueprint + version 1 per request)… ');
  const write = await measure('blueprints.create (write)', {
    ...opts,
    url: `http://127.0.0.1:${ports.cached}/trpc/blueprints.create`,
    method: 'POST',
    headers: { authorization: `Bearer ${writerToken}` },
    body: () => JSON.stringify({ projectId: scratch.projectId, name: `bench-${process.pid}-${n++}`, cloud: 'aws', graph }),
  });
  results.push({ ...write, ratioRange: null });
  console.log(`${Math.round(write.rps)} req/s, p95 ${write.p95} ms, errors ${write.errors}, non-2xx ${write.non2xx}`);
} finally {
  await Promise.all(procs.map(stopProcess));
}

const ceiling = results[0]!.rps;
const ms = (v: number) => v.toFixed(2);
const range = (r: [number, number] | null) => (r === null ? 'one run' : `${r[0].toFixed(3)}–${r[1].toFixed(3)}`);
const rows = results.map(
  (m) =>
    `| ${m.name} | ${Math.round(m.rps).toLocaleString('en-US')} | ${(m.rps / ceiling).toFixed(3)} | ${range(m.ratioRange)} | ${ms(m.p50)} | ${ms(m.p95)} | ${ms(m.p99)} | ${m.errors + m.non2xx} |`,
);
const section = [
  `## ${new Date().toISOString().slice(0, 10)}: reads and writes against bare node:http and an Express + pg baseline`,
  '',
  `Command: \`npm run bench -- --seconds ${seconds} --connections ${connections} --rounds ${rounds}\` (stack from \`npm run stack:up\`). Machine: ${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}. Load generator (autocannon, ${connections} connections) and servers share the same cores, so compare ratios within this run, not absolute numbers across machines. Each read was measured in ${rounds} interleaved round(s) of ${seconds} s after one warm-up; req/s and percentiles pool the rounds, and the range is the lowest and highest ratio of one round to that round's ceiling.`,
  '',
  '| target | req/s | × bare | × bare per round | p50 ms | p95 ms | p99 ms | errors |',
  '|---|---|---|---|---|---|---|---|',
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
