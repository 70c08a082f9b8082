import { readFileSync, existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { signAccessToken } from '@dharma/auth/token';
import { createDb } from '@dharma/db/client';
import { createScratchTenant } from '@dharma/db/testing';
import { ZBlueprintGraph } from '@dharma/db/blueprint-graph';
import { storedGraph } from '@dharma/db/graph-hash';
import { measure, pool, type TMeasurement } from './measure';
import { createFunctionScript, createScript, pgbench, saveFunctionScript, saveScript, type TPgbenchResult } from './pgbench';
import { loadScenarioFile } from '../runner/scenarios';
import { repoRoot, startProcess, stopProcess } from './processes';
import { servicesEnv as runnerServicesEnv } from '../runner/env';
import { loadBenchEnv } from './env';
import { designBench } from './design';

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
    /** Only the design-intelligence engines (no stack needed): `npm run bench -- --design-only`. */
    'design-only': { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const rounds = Number(values.rounds);
for (const [flag, value] of Object.entries({ seconds, connections, rounds })) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${flag} must be a whole number of at least 1, got ${String(values[flag as keyof typeof values])}`);
}
/** Puts a dated section at the top of docs/PERFORMANCE.md (newest first). */
function writeSection(section: string) {
  if (values['no-write']) return;
  const file = resolve(repoRoot, 'docs/PERFORMANCE.md');
  mkdirSync(resolve(repoRoot, 'docs'), { recursive: true });
  const head = '# Performance\n\nEvery section is one run of the command it names, on the machine it names. Newest first.\n\n';
  const previous = existsSync(file) ? readFileSync(file, 'utf8').replace(head, '') : '';
  writeFileSync(file, `${head}${section}\n${previous}`);
  console.log('bench: wrote docs/PERFORMANCE.md');
}

const machine = `Machine: ${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}.`;
// The engines first, on a quiet machine (nothing else started yet).
const design = designBench();
if (values['design-only']) {
  const section = [`## ${new Date().toISOString().slice(0, 10)}: design intelligence engines`, '', `Command: \`npm run bench -- --design-only\`. ${machine}`, '', ...design].join('\n');
  console.log(`\n${section}`);
  writeSection(section);
  process.exit(0);
}

const env = loadBenchEnv();

const ports = { bare: 4299, bareSameBody: 4297, express: 4298, cached: 4201, uncached: 4202 };
// The load runner's services environment (dev sign-in, pool size 20), with the cache switched per target.
const servicesEnv = (port: number, cache: boolean): Record<string, string> => ({ ...runnerServicesEnv(env, port), CACHE_ENABLED: String(cache) });

// Reads and writes go to a throw-away tenant of the bench's own, never the seeded acme and globex.
const scratch = await createScratchTenant(env.DATABASE_OWNER_URL, 'bench');
const writerToken = await signAccessToken({ sub: scratch.userId, tid: scratch.tenantId, email: scratch.email, name: scratch.name }, env.AUTH_SECRET, 3600);

const procs = await Promise.all([
  startProcess('bare', 'load/bench/bare-server.ts', [String(ports.bare)], {}, `http://127.0.0.1:${ports.bare}/`),
  startProcess('express + pg + redis', 'load/bench/express-baseline.ts', [String(ports.express)], servicesEnv(ports.express, true), `http://127.0.0.1:${ports.express}/healthz`),
  startProcess('services (cached)', 'apps/services/src/server.ts', [], servicesEnv(ports.cached, true), `http://127.0.0.1:${ports.cached}/readyz`),
  startProcess('services (uncached)', 'apps/services/src/server.ts', [], servicesEnv(ports.uncached, false), `http://127.0.0.1:${ports.uncached}/readyz`),
]);

const results: (TMeasurement & { ratioRange: [number, number] | null })[] = [];
/** ANALYZE of the blueprint tables, as the owner. */
async function analyze(): Promise<void> {
  const owner = createDb({ url: env.DATABASE_OWNER_URL, max: 1 });
  try {
    await owner.sql.unsafe('analyze blueprints; analyze blueprint_versions');
  } finally {
    await owner.close();
  }
}
/** A create's tps with and without its audit event, per round. */
const auditCompare: { withEvent: TPgbenchResult; withoutEvent: TPgbenchResult }[] = [];
/** The same for whole requests: the services' create with and without its event, per round. */
const httpAuditCompare: { withEvent: TMeasurement; withoutEvent: TMeasurement }[] = [];

/**
 * Puts the copy without the event in blueprint_create's place (`swapped`), or the real one back. The services are
 * unchanged: they call blueprint_create by name in every transaction. A run that died swapped is repaired at the next
 * start (`restoreCreateFunction`).
 */
async function swapCreateFunction(owner: ReturnType<typeof createDb>, swapped: boolean): Promise<void> {
  await owner.sql.begin(async (tx) => {
    if (swapped) {
      await tx.unsafe('alter function blueprint_create rename to bench_blueprint_create_audited');
      await tx.unsafe('alter function bench_blueprint_create_no_audit rename to blueprint_create');
    } else {
      await tx.unsafe('alter function blueprint_create rename to bench_blueprint_create_no_audit');
      await tx.unsafe('alter function bench_blueprint_create_audited rename to blueprint_create');
    }
  });
}

async function restoreCreateFunction(owner: ReturnType<typeof createDb>): Promise<void> {
  const [left] = await owner.sql.unsafe<{ n: number }[]>(`select count(*)::int as n from pg_proc where proname = 'bench_blueprint_create_audited'`);
  if (left && left.n > 0) {
    console.log('bench: an earlier run left blueprint_create swapped; putting the real one back');
    await owner.sql.begin(async (tx) => {
      await tx.unsafe('drop function blueprint_create');
      await tx.unsafe('alter function bench_blueprint_create_audited rename to blueprint_create');
    });
  }
}

/** Installs `bench_blueprint_create_no_audit` (blueprint_create minus its audit_record call) for `run`, then drops it. */
async function withoutAuditFunction(run: (swap: (swapped: boolean) => Promise<void>) => Promise<void>): Promise<void> {
  const owner = createDb({ url: env.DATABASE_OWNER_URL, max: 1 });
  try {
    await restoreCreateFunction(owner);
    const [fn] = await owner.sql.unsafe<{ def: string }[]>(`select pg_get_functiondef(p.oid) as def from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public' and p.proname = 'blueprint_create'`);
    if (!fn) throw new Error('bench: blueprint_create not found: run npm run db:migrate');
    const copy = fn.def.replace(/PERFORM audit_record\('blueprint\.create'[\s\S]*?\);\n/, '').replace('FUNCTION public.blueprint_create(', 'FUNCTION public.bench_blueprint_create_no_audit(');
    if (copy.includes('audit_record') || !copy.includes('bench_blueprint_create_no_audit')) throw new Error('bench: could not make blueprint_create without its audit event: its definition changed');
    await owner.sql.unsafe(copy);
    await owner.sql.unsafe('grant execute on function bench_blueprint_create_no_audit to app_user');
    await run((swapped) => swapCreateFunction(owner, swapped));
  } finally {
    await restoreCreateFunction(owner).catch((error: unknown) => console.error(`bench: could not restore blueprint_create: ${String(error)}`));
    await owner.sql.unsafe('drop function if exists bench_blueprint_create_no_audit').catch(() => {});
    await owner.close();
  }
}
/** Each write with the database's ceiling for the same rows, measured just before it. */
const writes: { measurement: TMeasurement; ceiling: TPgbenchResult[] }[] = [];
/** The graph writes send: the load scenarios' (three components), with a counter so every save changes it. */
const writeGraph = (version: number) => JSON.parse(JSON.stringify(loadScenarioFile().data.graph).replaceAll('"$instanceType"', JSON.stringify(`m5.${version}xlarge`))) as unknown;
try {
  // Every read as the scratch tenant's admin: permissions resolved per request from the database (cached), as for
  // any caller.
  const headers = { authorization: `Bearer ${writerToken}` };
  const created = await fetch(`http://127.0.0.1:${ports.cached}/trpc/blueprints.create`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ projectId: scratch.projectId, name: 'Bench web app', description: 'read by the bench', cloud: 'aws', graph: writeGraph(1) }),
  });
  const id = ((await created.json()) as { result?: { data: { id: string } } }).result?.data.id;
  if (!id) throw new Error(`bench: could not create the blueprint to read (${created.status})`);
  const byId = (port: number) => `http://127.0.0.1:${port}/trpc/blueprints.byId?input=${encodeURIComponent(JSON.stringify({ id }))}`;
  const opts = { connections, seconds, warmupSeconds: Math.min(3, seconds) };
  const bodyFile = resolve(tmpdir(), `dharma-bench-body-${process.pid}.json`);
  const sample = await fetch(byId(ports.cached), { headers });
  writeFileSync(bodyFile, await sample.text());
  procs.push(await startProcess('bare (same body)', 'load/bench/bare-server.ts', [String(ports.bareSameBody), bodyFile], {}, `http://127.0.0.1:${ports.bareSameBody}/`));
  const listInput = encodeURIComponent(JSON.stringify({ cloud: 'aws', status: 'draft', search: 'web', pageSize: 20 }));
  let n = 0;
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
  // Writes: the services' create and version save, each next to the database's own ceiling for the same rows,
  // measured by pgbench through the same PgBouncer with as many clients as autocannon has connections.
  const writeUrl = (path: string) => `http://127.0.0.1:${ports.cached}/trpc/${path}`;
  const writeHeaders = { authorization: `Bearer ${writerToken}` };
  const g = storedGraph(ZBlueprintGraph.parse(writeGraph(0)));
  const vars = { tenant: scratch.tenantId, project: scratch.projectId, author: scratch.userId };
  const writeOpts = { ...opts, warmupSeconds: 0 };
  // One blueprint per client to save onto: pgbench's are found by name, the services' ids handed to connections.
  const createOne = async (name: string) => {
    // The name as idempotency key too: pgbench finds its blueprints by it (an indexed lookup under row-level security).
    const res = await fetch(writeUrl('blueprints.create'), { method: 'POST', headers: { ...writeHeaders, 'content-type': 'application/json', 'idempotency-key': name }, body: JSON.stringify({ projectId: scratch.projectId, name, cloud: 'aws', graph: writeGraph(0) }) });
    if (!res.ok) throw new Error(`bench: could not create ${name}: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { result: { data: { id: string } } }).result.data.id;
  };
  const saveTargets: string[] = [];
  for (let i = 0; i < connections; i++) {
    await createOne(`pgbench-save-${i}`);
    saveTargets.push(await createOne(`bench-save-${i}`));
  }
  const pg = async (name: string, script: string) => {
    process.stdout.write(`bench: pgbench, ${name}… `);
    const r = await pgbench(name, { url: env.DATABASE_URL, script, clients: connections, seconds: writeOpts.seconds, vars });
    console.log(`${Math.round(r.tps)} tps, latency avg ${r.latencyAvgMs} ms, failed ${r.failed}`);
    return r;
  };
  const createCeiling = [await pg('create as 5 statements (BEGIN, set_config, 2 inserts, END)', createScript(g)), await pg('create as one message (set_config + blueprint_create)', createFunctionScript(g))];
  // What the audit event costs a create: the same function without its audit_record call (a bench-only copy made
  // from the installed definition), interleaved with the real one in rounds so both see the same drift.
  const createRequest = () => ({
    ...writeOpts,
    url: writeUrl('blueprints.create'),
    method: 'POST' as const,
    headers: writeHeaders,
    body: () => JSON.stringify({ projectId: scratch.projectId, name: `bench-${process.pid}-${n++}`, cloud: 'aws', graph: writeGraph(0) }),
  });
  await withoutAuditFunction(async (swap) => {
    // Each round measures both, in alternating order (whichever runs first in a round meets the table and the caches
    // as the one before left them), so neither side always runs first.
    const viaPgbench = (audit: boolean, round: number) => pg(`create ${audit ? 'with' : 'without'} its audit event, round ${round + 1}`, createFunctionScript(g, { audit }));
    for (let round = 0; round < Math.max(rounds, 2); round++) {
      const first = round % 2 === 0;
      const a = await viaPgbench(first, round);
      const b = await viaPgbench(!first, round);
      auditCompare.push(first ? { withEvent: a, withoutEvent: b } : { withEvent: b, withoutEvent: a });
    }
    // Whole requests through the services, after a warm-up: blueprint_create swapped for its copy without the event
    // while the "without" side is measured.
    await measure('blueprints.create warm-up', { ...createRequest(), seconds: Math.min(5, seconds) });
    const viaHttp = async (audit: boolean, round: number) => {
      process.stdout.write(`bench: blueprints.create ${audit ? 'with' : 'without'} its audit event, round ${round + 1}… `);
      if (!audit) await swap(true);
      try {
        const m = await measure(`blueprints.create ${audit ? 'with' : 'without'} event`, createRequest());
        console.log(`${Math.round(m.rps)} req/s`);
        return m;
      } finally {
        if (!audit) await swap(false);
      }
    };
    for (let round = 0; round < Math.max(rounds, 2); round++) {
      const first = round % 2 === 0;
      const a = await viaHttp(first, round);
      const b = await viaHttp(!first, round);
      httpAuditCompare.push(first ? { withEvent: a, withoutEvent: b } : { withEvent: b, withoutEvent: a });
    }
  });
  await analyze();
  // pgbench just put tens of thousands of rows into this one project: refresh the planner's statistics, as autovacuum
  // would within a minute in service, so neither side is measured on plans made for an empty table.
  await analyze();
  process.stdout.write('bench: blueprints.create (new blueprint + version 1 per request)… ');
  const create = await measure('blueprints.create (write)', createRequest());
  console.log(`${Math.round(create.rps)} req/s, p95 ${create.p95} ms, errors ${create.errors}, non-2xx ${create.non2xx}`);
  await analyze();
  const saveCeiling = [await pg('save as 6 statements (BEGIN, set_config, lock, insert, update, END)', saveScript(g)), await pg('save as one message (set_config + blueprint_save_version)', saveFunctionScript(g))];
  process.stdout.write('bench: blueprints.saveVersion (a new version on the connection\'s own blueprint)… ');
  // autocannon resets a connection's context before each request, so a save takes a free blueprint (each has at most
  // one save in flight) and gives it back with the version it reached.
  const free = saveTargets.map((target) => ({ id: target, version: 1 }));
  const save = await measure('blueprints.saveVersion (write)', {
    ...writeOpts,
    url: writeUrl('blueprints.saveVersion'),
    method: 'POST',
    headers: writeHeaders,
    perConnection: {
      body: (state) => {
        // None free only if an answer was lost (a timeout): that save then targets a version it cannot know, and
        // its 409 is counted in the table's errors.
        const target = free.shift() ?? { id: saveTargets[0]!, version: 0 };
        state.target = target;
        return JSON.stringify({ id: target.id, baseVersion: target.version, graph: writeGraph(target.version), message: `bench save ${target.version + 1}` });
      },
      onResponse: (status, body, state) => {
        const target = state.target as { id: string; version: number };
        if (status === 200) target.version = (JSON.parse(body) as { result: { data: { version: number } } }).result.data.version;
        free.push(target);
      },
    },
  });
  console.log(`${Math.round(save.rps)} req/s, p95 ${save.p95} ms, errors ${save.errors}, non-2xx ${save.non2xx}`);
  writes.push({ measurement: create, ceiling: createCeiling }, { measurement: save, ceiling: saveCeiling });
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
/** The audit event's cost: pgbench tps of a create with it over one without it, per round and pooled. */
function auditSection(): string[] {
  if (auditCompare.length === 0) return [];
  const sum = (k: 'withEvent' | 'withoutEvent') => auditCompare.reduce((a, r) => a + r[k].tps, 0);
  const ratios = auditCompare.map((r) => r.withEvent.tps / r.withoutEvent.tps);
  return [
    `A create with its audit event in the same transaction against the same create without one (blueprint_create, and a bench-only copy of it without the audit_record call), pgbench, ${connections} clients, ${auditCompare.length} interleaved rounds of ${seconds} s, the order alternating by round. Target: the event costs at most 10% (ratio ≥ 0.90).`,
    '',
    '| round | with event (tps) | without (tps) | with / without |',
    '|---|---|---|---|',
    ...auditCompare.map((r, i) => `| ${i + 1} | ${Math.round(r.withEvent.tps).toLocaleString('en-US')} | ${Math.round(r.withoutEvent.tps).toLocaleString('en-US')} | ${ratios[i]!.toFixed(3)} |`),
    `| all | ${Math.round(sum('withEvent')).toLocaleString('en-US')} | ${Math.round(sum('withoutEvent')).toLocaleString('en-US')} | ${(sum('withEvent') / sum('withoutEvent')).toFixed(3)} |`,
    '',
    `The same through the services (\`blueprints.create\` over HTTP, ${connections} connections, ${httpAuditCompare.length} interleaved rounds of ${seconds} s after a warm-up, the order alternating by round): the services unchanged, blueprint_create swapped for its copy without the event during every other measurement.`,
    '',
    '| round | with event (req/s) | without (req/s) | with / without |',
    '|---|---|---|---|',
    ...httpAuditCompare.map((r, i) => `| ${i + 1} | ${Math.round(r.withEvent.rps).toLocaleString('en-US')} | ${Math.round(r.withoutEvent.rps).toLocaleString('en-US')} | ${(r.withEvent.rps / r.withoutEvent.rps).toFixed(3)} |`),
    `| all | ${Math.round(httpAuditCompare.reduce((a, r) => a + r.withEvent.rps, 0)).toLocaleString('en-US')} | ${Math.round(httpAuditCompare.reduce((a, r) => a + r.withoutEvent.rps, 0)).toLocaleString('en-US')} | ${(httpAuditCompare.reduce((a, r) => a + r.withEvent.rps, 0) / httpAuditCompare.reduce((a, r) => a + r.withoutEvent.rps, 0)).toFixed(3)} |`,
    '',
  ];
}

const section = [
  `## ${new Date().toISOString().slice(0, 10)}: reads and writes against bare node:http and an Express + pg baseline`,
  '',
  `Command: \`npm run bench -- --seconds ${seconds} --connections ${connections} --rounds ${rounds}\` (stack from \`npm run stack:up\`). ${machine} Load generator (autocannon, ${connections} connections) and servers share the same cores, so compare ratios within this run, not absolute numbers across machines. Each read was measured in ${rounds} interleaved round(s) of ${seconds} s after one warm-up; req/s and percentiles pool the rounds, and the range is the lowest and highest ratio of one round to that round's ceiling.`,
  '',
  '| target | req/s | × bare | × bare per round | p50 ms | p95 ms | p99 ms | errors |',
  '|---|---|---|---|---|---|---|---|',
  ...rows,
  '',
  `Writes, each against the database's own ceiling for the same rows: pgbench through the same PgBouncer, ${connections} clients, simple protocol, run just before it, once as an ORM would write (a statement per round trip) and once as the services do (one message calling the write function). The ratio is to the higher of the two.`,
  '',
  '| write | req/s | pgbench: statements / one message (tps) | × ceiling | p50 ms | p95 ms | p99 ms | errors |',
  '|---|---|---|---|---|---|---|---|',
  ...writes.map(({ measurement: m, ceiling: c }) => {
    const best = Math.max(...c.map((r) => r.tps));
    return `| ${m.name} | ${Math.round(m.rps).toLocaleString('en-US')} | ${c.map((r) => Math.round(r.tps).toLocaleString('en-US')).join(' / ')} | ${(m.rps / best).toFixed(2)} | ${ms(m.p50)} | ${ms(m.p95)} | ${ms(m.p99)} | ${m.errors + m.non2xx} |`;
  }),
  '',
  ...auditSection(),
  ...design,
].join('\n');
console.log(`\n${section}`);
writeSection(section);
