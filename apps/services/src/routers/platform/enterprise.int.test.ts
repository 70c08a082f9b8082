import { TRPCError } from '@trpc/server';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantSchemaName } from '@dharma/db/tenant';
import { anonymousCaller, asOwner, callerFor, makeDeps, scratchTenant } from '../../testing/harness';
import { smallGraph } from '../../testing/graphs';

/**
 * The enterprise isolation tier against the real stack: a tenant provisioned with `isolation: 'schema'` keeps its
 * design data (projects, environments, blueprints, versions, audit events) in a schema of its own, chosen per
 * transaction by search_path, and nowhere else; the standard tier and every other tenant cannot reach it.
 */
/** The tenant tables, as the database lists them (migration 0017's tenant_schema_tables, grown by later ones). */
const tenantTables = () => asOwner(async (db) => (await db.execute<{ t: string }>(sql`select unnest(tenant_schema_tables()) as t`)).map((r) => r.t));

let ops: Awaited<ReturnType<typeof scratchTenant>>;
let standard: Awaited<ReturnType<typeof scratchTenant>>;
let deps: ReturnType<typeof makeDeps>;
beforeAll(async () => {
  [ops, standard] = await Promise.all([scratchTenant('ops'), scratchTenant('standard')]);
  deps = makeDeps({ PLATFORM_TENANT: ops.slug });
});
afterAll(() => deps.close());

const outcome = (p: Promise<unknown>) => p.then(() => 'OK', (e: unknown) => (e instanceof TRPCError ? `${e.code}: ${e.message}` : `unexpected: ${String(e)}`));
const create = (projectId: string, name: string) => ({ projectId, name, description: '', cloud: 'aws' as const, graph: smallGraph(), message: 'v1' });

/** An enterprise tenant provisioned through the platform router, and a signed-in caller as its first admin. */
async function enterpriseTenant(label: string) {
  const platform = await callerFor(deps, ops.admin);
  const slug = `${label}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const made = await platform.platform.provision({ slug, name: `${label} Corp`, tier: 'enterprise', isolation: 'schema', adminEmail: `root@${slug}.test`, adminName: 'Root' });
  const { token } = await anonymousCaller(deps).identity.devSignIn({ userId: made.adminId });
  const admin = anonymousCaller(deps, `Bearer ${token}`);
  const [project] = await admin.projects.list();
  return { ...made, slug, schema: tenantSchemaName(made.tenantId), admin, projectId: project!.id };
}

/** Where a tenant's rows are: `<schema>.<table>` → count, over public and every tenant schema, zeros left out. */
async function whereRowsLive(tenantId: string): Promise<Record<string, number>> {
  const tables = await tenantTables();
  return asOwner(async (db) => {
    const schemas = (await db.execute<{ nspname: string }>(sql`select nspname from pg_namespace where nspname = 'public' or nspname like 'tenant\_%'`)).map((r) => r.nspname);
    const found: Record<string, number> = {};
    for (const schema of schemas) {
      for (const table of tables) {
        // A schema of this name without the table (not a tenant schema) holds none of its rows.
        if (!(await db.execute<{ r: string | null }>(sql`select to_regclass(${`${schema}.${table}`}) as r`))[0]!.r) continue;
        const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(schema)}.${sql.identifier(table)} where tenant_id = ${tenantId}`);
        if (row!.n > 0) found[`${schema}.${table}`] = row!.n;
      }
    }
    return found;
  });
}

describe('enterprise isolation tier (a schema per tenant)', () => {
  it('provisioning creates the schema, a copy of the shared tables with their keys, triggers, policies and grants', async () => {
    const e = await enterpriseTenant('ent');
    const listed = (await (await callerFor(deps, ops.admin)).platform.tenants()).find((t) => t.id === e.tenantId);
    expect(listed).toMatchObject({ isolation: 'schema', tier: 'enterprise', blueprints: 0 });
    expect((await (await callerFor(deps, ops.admin)).platform.tenants()).find((t) => t.id === standard.tenantId)?.isolation).toBe('shared');
    const drift = await asOwner((db) => db.execute<{ d: string }>(sql`select d from tenant_schema_drift(${e.schema}) d`));
    expect(drift.map((r) => r.d)).toEqual([]);
    const tables = await asOwner((db) => db.execute<{ relname: string; rls: boolean }>(sql`
      select c.relname, c.relrowsecurity as rls from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = ${e.schema} and c.relkind = 'r' order by c.relname`));
    expect(tables.map((t) => `${t.relname}${t.rls ? ' (rls)' : ''}`)).toEqual((await tenantTables()).sort().map((t) => `${t} (rls)`));
    expect(await tenantTables()).toEqual(expect.arrayContaining(['projects', 'blueprints', 'blueprint_versions', 'audit_events', 'guardrail_policies', 'guardrail_exemptions', 'guardrail_evaluations']));
  });

  it("an enterprise tenant's rows live in its own schema and nowhere else", async () => {
    const e = await enterpriseTenant('ent');
    const bp = await e.admin.blueprints.create(create(e.projectId, 'in its own schema'));
    await e.admin.blueprints.saveVersion({ id: bp.id, baseVersion: 1, graph: smallGraph('t3.large'), message: 'v2' });
    expect((await e.admin.blueprints.byId({ id: bp.id })).currentVersion).toBe(2);
    expect((await e.admin.blueprints.list({})).items.map((b) => b.id)).toEqual([bp.id]);
    expect((await e.admin.audit.list({})).items.map((ev) => ev.action)).toEqual(expect.arrayContaining(['blueprint.create', 'blueprint.save_version']));

    const rows = await whereRowsLive(e.tenantId);
    expect(Object.keys(rows).every((k) => k.startsWith(`${e.schema}.`))).toBe(true);
    expect(rows).toMatchObject({ [`${e.schema}.projects`]: 1, [`${e.schema}.blueprints`]: 1, [`${e.schema}.blueprint_versions`]: 2 });
    expect(rows[`${e.schema}.audit_events`]).toBeGreaterThanOrEqual(2);
    // The standard tenant's rows stay in the shared tables.
    await (await callerFor(deps, standard.admin)).blueprints.create(create(standard.projectId, 'shared'));
    expect(Object.keys(await whereRowsLive(standard.tenantId)).every((k) => k.startsWith('public.'))).toBe(true);
  });

  it('neither tier reaches the other: reads, lists, writes and id guesses answer not found', async () => {
    const e = await enterpriseTenant('ent');
    const other = await enterpriseTenant('ent2');
    const std = await callerFor(deps, standard.admin);
    const bp = await e.admin.blueprints.create(create(e.projectId, 'private'));
    const stdBp = await std.blueprints.create(create(standard.projectId, 'standard private'));
    for (const intruder of [std, other.admin]) {
      expect(await outcome(intruder.blueprints.byId({ id: bp.id }))).toMatch(/^NOT_FOUND/);
      expect(await outcome(intruder.blueprints.saveVersion({ id: bp.id, baseVersion: 1, graph: smallGraph('t3.large'), message: 'x' }))).toMatch(/^NOT_FOUND/);
      expect(await outcome(intruder.blueprints.create(create(e.projectId, 'into their project')))).toMatch(/^NOT_FOUND: project not found/);
      expect((await intruder.blueprints.list({})).items.map((b) => b.id)).not.toContain(bp.id);
    }
    expect(await outcome(e.admin.blueprints.byId({ id: stdBp.id }))).toMatch(/^NOT_FOUND/);
    expect(await outcome(e.admin.blueprints.byId({ id: other.projectId }))).toMatch(/^NOT_FOUND/);
    expect((await e.admin.blueprints.list({})).items.map((b) => b.id)).toEqual([bp.id]);
    expect((await other.admin.blueprints.list({})).items).toEqual([]);
  });

  it("the runtime role naming another tenant's schema outright still sees nothing: the policies came along", async () => {
    const e = await enterpriseTenant('ent');
    await e.admin.blueprints.create(create(e.projectId, 'guarded twice'));
    const runtime = postgres(process.env.DATABASE_URL!, { prepare: false, max: 1, onnotice: () => {} });
    try {
      const seen = await runtime.begin(async (tx) => {
        await tx`select set_config('app.tenant_id', ${standard.tenantId}, true)`;
        return tx.unsafe(`select count(*)::int as n from ${e.schema}.blueprints`);
      });
      expect(seen[0]!.n).toBe(0);
      const own = await runtime.begin(async (tx) => {
        await tx`select set_config('app.tenant_id', ${e.tenantId}, true)`;
        return tx.unsafe(`select count(*)::int as n from ${e.schema}.blueprints`);
      });
      expect(own[0]!.n).toBe(1);
      const refused = await runtime.unsafe(`create table ${e.schema}.intruder (id int)`).then(() => 'created', (err: Error) => err.message);
      expect(refused).toMatch(/permission denied for schema/);
    } finally {
      await runtime.end({ timeout: 5 });
    }
  });

  it('quotas, versions immutability, export and offboarding work on the schema; offboarding drops it', async () => {
    const platform = await callerFor(deps, ops.admin);
    const e = await enterpriseTenant('leaving');
    const bp = await e.admin.blueprints.create(create(e.projectId, 'first'));
    await platform.platform.setQuotas({ tenantId: e.tenantId, quotas: { blueprints: 1 } });
    expect(await outcome(e.admin.blueprints.create(create(e.projectId, 'second')))).toBe('FORBIDDEN: quota blueprints exceeded: this tenant may hold at most 1 blueprints; ask your platform administrator to raise it');
    const update = await asOwner((db) => db.execute(sql.raw(`update ${e.schema}.blueprint_versions set message = 'x'`)).then(() => 'updated', (err: { cause?: Error }) => String(err.cause?.message ?? err)));
    expect(update).toMatch(/blueprint versions are immutable/);

    const exported = JSON.parse((await platform.platform.export({ tenantId: e.tenantId })).json) as { blueprints: { id: string }[]; auditEvents: unknown[]; tenant: { isolation: string } };
    expect(exported.blueprints.map((b) => b.id)).toEqual([bp.id]);
    expect(exported.auditEvents.length).toBeGreaterThan(0);
    expect(exported.tenant.isolation).toBe('schema');

    const done = await platform.platform.offboard({ tenantId: e.tenantId, confirmSlug: e.slug });
    expect(done).toMatchObject({ slug: e.slug, blueprints: 1, versions: 1 });
    const schemaLeft = await asOwner((db) => db.execute(sql`select 1 from pg_namespace where nspname = ${e.schema}`));
    expect(schemaLeft.length).toBe(0);
    expect(await whereRowsLive(e.tenantId)).toEqual({});
  });

  it('a migration that changes a tenant table applies to every tenant schema; one that forgets shows as drift', async () => {
    const e = await enterpriseTenant('ent');
    const steps = await asOwner((db) =>
      db
        .transaction(async (tx) => {
          await tx.execute(sql`alter table blueprints add column drift_probe integer`);
          const forgot = (await tx.execute<{ d: string }>(sql`select d from tenant_schema_drift(${e.schema}) d`)).map((r) => r.d);
          const applied = (await tx.execute<{ n: number }>(sql`select tenant_schemas_apply('alter table blueprints add column drift_probe integer') as n`))[0]!.n;
          const after = (await tx.execute<{ d: string }>(sql`select d from tenant_schema_drift(${e.schema}) d`)).map((r) => r.d);
          const column = await tx.execute(sql`select 1 from information_schema.columns where table_schema = ${e.schema} and table_name = 'blueprints' and column_name = 'drift_probe'`);
          throw Object.assign(new Error('roll back'), { result: { forgot, applied, after, column: column.length } });
        })
        .catch((err: { result?: unknown }) => err.result),
    );
    expect(steps).toMatchObject({ forgot: [`${e.schema}: missing blueprints column drift_probe integer`], after: [], column: 1 });
    expect((steps as { applied: number }).applied).toBeGreaterThanOrEqual(1);
  });

  it('bad input: an unknown isolation tier is refused naming the field, and nothing is created', async () => {
    const platform = await callerFor(deps, ops.admin);
    const slug = `bad-${Date.now().toString(36)}`;
    expect(await outcome(platform.platform.provision({ slug, name: 'Bad', isolation: 'database' as 'schema', adminEmail: `a@${slug}.test`, adminName: 'A' }))).toMatch(/^BAD_REQUEST: .*isolation.*must be shared \(standard\) or schema \(enterprise\)/s);
    expect((await platform.platform.tenants()).some((t) => t.slug === slug)).toBe(false);
  });
});
