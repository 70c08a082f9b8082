import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The database's own write ceiling, measured by pgbench through the same PgBouncer the services use, for the same
 * rows the services write: what a create or a version save is compared with in `npm run bench`.
 */
export interface TPgbenchResult {
  name: string;
  tps: number;
  latencyAvgMs: number;
  failed: number;
}

/** Runs one pgbench script (simple protocol, as the services send writes) and reads its tps and average latency. */
export async function pgbench(name: string, opts: { url: string; script: string; clients: number; seconds: number; vars: Record<string, string> }): Promise<TPgbenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'dharma-pgbench-'));
  const file = join(dir, 'script.sql');
  writeFileSync(file, opts.script);
  const args = ['-n', '-M', 'simple', '-c', String(opts.clients), '-j', '2', '-T', String(opts.seconds), '-f', file];
  for (const [k, v] of Object.entries(opts.vars)) args.push('-D', `${k}=${v}`);
  args.push(opts.url);
  try {
    const out = await new Promise<string>((resolveRun, reject) => {
      const child = spawn('pgbench', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.stderr.on('data', (d: Buffer) => (text += d.toString()));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolveRun(text) : reject(new Error(`pgbench ${name} exited ${code}: ${text.trim().split('\n').slice(-5).join(' | ')}`))));
    });
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out)?.[1];
    const latency = /latency average = ([\d.]+) ms/.exec(out)?.[1];
    const failed = /number of failed transactions: (\d+)/.exec(out)?.[1];
    if (!tps || !latency) throw new Error(`pgbench ${name}: could not read tps and latency from:\n${out}`);
    return { name, tps: Number(tps), latencyAvgMs: Number(latency), failed: Number(failed ?? 0) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The audit actor of pgbench's writes: the write functions record an event for it, as they do for a request's user. */
const AUDIT = `SELECT set_config('app.audit', '{"actorType":"system","actorLabel":"pgbench"}', true)`;

/** pgbench quotes `:name` substitutions raw; these are written into the scripts as SQL literals. */
const q = (v: string) => `'${v.replaceAll("'", "''")}'`;

/**
 * A create as a transaction of five statements (BEGIN, the tenant setting, two inserts, COMMIT): the row layout of
 * a create, written the way an ORM would, each statement a round trip.
 */
export function createScript(g: { json: string; hash: string; components: number; relations: number }): string {
  return [
    'BEGIN;',
    "SELECT set_config('app.tenant_id', ':tenant', true);",
    "INSERT INTO blueprints (tenant_id, project_id, name, description, cloud, created_by) VALUES (':tenant', ':project', 'pgbench ' || gen_random_uuid(), '', 'aws', ':author') RETURNING id AS bp \\gset",
    `INSERT INTO blueprint_versions (tenant_id, blueprint_id, number, message, author_id, graph, graph_hash, component_count, relation_count) VALUES (':tenant', ':bp', 1, 'Initial version', ':author', ${q(g.json)}::jsonb, ${q(g.hash)}, ${g.components}, ${g.relations});`,
    'END;',
    '',
  ].join('\n');
}

/** The same rows written as the services write them: one message, the tenant setting and one call of blueprint_create. */
export function createFunctionScript(g: { json: string; hash: string; components: number; relations: number }, o: { audit?: boolean } = {}): string {
  if (o.audit === false) {
    // The bench's copy of blueprint_create without its audit event (and so without an actor to set).
    return `SELECT set_config('app.tenant_id', ':tenant', true) \\; SELECT * FROM bench_blueprint_create_no_audit(':tenant', ':project', 'pgbench ' || gen_random_uuid(), '', 'aws', ':author', ${q(g.json)}::jsonb, ${q(g.hash)}, ${g.components}, ${g.relations}, 'Initial version', NULL);\n`;
  }
  return `SELECT set_config('app.tenant_id', ':tenant', true) \\; ${AUDIT} \\; SELECT * FROM blueprint_create(':tenant', ':project', 'pgbench ' || gen_random_uuid(), '', 'aws', ':author', ${q(g.json)}::jsonb, ${q(g.hash)}, ${g.components}, ${g.relations}, 'Initial version', NULL);\n`;
}

/**
 * A version save as a transaction of six statements: lock the blueprint (each client its own, created with the
 * idempotency key `pgbench-save-<client>` and found through that key's index, as the services find rows by id),
 * insert the next version, move the blueprint to it. The graph changes per save (a counter in a property), as a
 * real save's does.
 */
export function saveScript(g: { json: string; components: number; relations: number }): string {
  return [
    'BEGIN;',
    "SELECT set_config('app.tenant_id', ':tenant', true);",
    "SELECT id AS bp, current_version AS v FROM blueprints WHERE tenant_id = ':tenant' AND idempotency_key = 'pgbench-save-' || :client_id FOR UPDATE \\gset",
    `INSERT INTO blueprint_versions (tenant_id, blueprint_id, number, message, author_id, graph, graph_hash, component_count, relation_count) VALUES (':tenant', ':bp', :v + 1, 'save', ':author', jsonb_set(${q(g.json)}::jsonb, '{components,0,properties,n}', to_jsonb(:v + 1)), md5(random()::text) || md5(random()::text), ${g.components}, ${g.relations});`,
    "UPDATE blueprints SET current_version = :v + 1, updated_at = now() WHERE tenant_id = ':tenant' AND id = ':bp';",
    'END;',
    '',
  ].join('\n');
}

/** The same save as the services send it: one message, the tenant setting and one call of blueprint_save_version. */
export function saveFunctionScript(g: { json: string; components: number; relations: number }): string {
  return `SELECT set_config('app.tenant_id', ':tenant', true) \\; ${AUDIT} \\; SELECT s.* FROM blueprints b, blueprint_save_version(':tenant', b.id, b.current_version, ':author', NULL, jsonb_set(${q(g.json)}::jsonb, '{components,0,properties,n}', to_jsonb(b.current_version + 1)), md5(random()::text) || md5(random()::text), ${g.components}, ${g.relations}, 'save', NULL, NULL, NULL) s WHERE b.tenant_id = ':tenant' AND b.idempotency_key = 'pgbench-save-' || :client_id;\n`;
}
