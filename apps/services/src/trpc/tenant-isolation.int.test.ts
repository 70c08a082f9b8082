import { sql } from 'drizzle-orm';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '@dharma/db/client';
import { withTenant } from '@dharma/db/tenant';
import { callerFor, makeDeps, seededUsers, tenantIdOf } from '../testing/harness';
import { smallGraph } from '../testing/graphs';

const deps = makeDeps();
let users: Awaited<ReturnType<typeof seededUsers>>;
let acmeId: string;
let globexId: string;
let globexBlueprintId: string;
let globexProjectId: string;

beforeAll(async () => {
  users = await seededUsers(deps);
  acmeId = await tenantIdOf(deps, 'acme');
  globexId = await tenantIdOf(deps, 'globex');
  const gina = await callerFor(deps, users.gina);
  const bp = (await gina.blueprints.list({ search: 'GKE orders service' })).items[0]!;
  globexBlueprintId = bp.id;
  globexProjectId = bp.projectId;
});
afterAll(() => deps.close());

/** The SQLSTATE of a failed query (drizzle wraps the driver's error as its cause). */
const sqlState = (p: Promise<unknown>) => p.then(() => 'OK', (e: { cause?: { code?: string } }) => e.cause?.code ?? `unexpected: ${String(e)}`);
const code = (p: Promise<unknown>) => p.then(() => 'OK', (e: unknown) => (e instanceof TRPCError ? e.code : `unexpected: ${String(e)}`));

describe('tenant isolation at the database (runtime role, through PgBouncer)', () => {
  it('a raw query with no tenant filter sees only the tenant set for the transaction', async () => {
    for (const table of ['blueprints', 'blueprint_versions', 'projects', 'users', 'environments', 'teams', 'tenants']) {
      const rows = await withTenant(deps.db.db, acmeId, (tx) => tx.execute<{ tenant: string }>(sql.raw(`select ${table === 'tenants' ? 'id' : 'tenant_id'}::text as tenant from ${table}`)));
      expect(rows.length, table).toBeGreaterThan(0);
      expect(rows.every((r) => r.tenant === acmeId), table).toBe(true);
    }
  });

  it('sees nothing at all when no tenant is set', async () => {
    const rows = await deps.db.db.execute<{ n: number }>(sql`select count(*)::int as n from blueprints`);
    expect(rows[0]?.n).toBe(0);
  });

  it('cannot write a row into another tenant, even naming its id', async () => {
    const attempt = withTenant(deps.db.db, acmeId, (tx) =>
      tx.execute(sql`insert into blueprints (tenant_id, project_id, name, cloud) values (${globexId}, ${globexProjectId}, 'smuggled', 'aws')`),
    );
    expect(await sqlState(attempt)).toBe('42501'); // insufficient_privilege: new row violates row-level security policy
  });

  it('cannot point its own row at another tenant\'s project (composite foreign key)', async () => {
    const attempt = withTenant(deps.db.db, acmeId, (tx) =>
      tx.execute(sql`insert into blueprints (tenant_id, project_id, name, cloud) values (${acmeId}, ${globexProjectId}, 'cross-linked', 'aws')`),
    );
    expect(await sqlState(attempt)).toBe('23503'); // foreign_key_violation
  });

  it('does not leak the tenant setting to the next transaction on a pooled connection', async () => {
    const single = createDb({ url: process.env.DATABASE_URL!, max: 1 });
    try {
      await withTenant(single.db, acmeId, (tx) => tx.execute(sql`select 1`));
      const after = await single.db.execute<{ t: string | null }>(sql`select nullif(current_setting('app.tenant_id', true), '') as t`);
      expect(after[0]?.t ?? null).toBeNull();
    } finally {
      await single.close();
    }
  });

  it('keeps 400 concurrent transactions alternating tenants apart', async () => {
    const results = await Promise.all(
      Array.from({ length: 400 }, (_, i) => {
        const tenant = i % 2 === 0 ? acmeId : globexId;
        return withTenant(deps.db.db, tenant, async (tx) => {
          const rows = await tx.execute<{ tenant_id: string }>(sql`select distinct tenant_id::text from blueprints`);
          return rows.every((r) => r.tenant_id === tenant) && rows.length === 1;
        });
      }),
    );
    expect(results.filter((ok) => !ok)).toHaveLength(0);
  });
});

describe('tenant isolation through every blueprint procedure', () => {
  it('acme cannot list, read, version, diff, edit, archive or restore a globex blueprint, even by its id', async () => {
    const ada = await callerFor(deps, users.ada);
    const id = globexBlueprintId;
    expect((await ada.blueprints.list({ archived: 'all', pageSize: 100 })).items.some((b) => b.id === id)).toBe(false);
    expect((await ada.blueprints.list({ projectId: globexProjectId, archived: 'all' })).total).toBe(0);
    expect(await code(ada.blueprints.byId({ id }))).toBe('NOT_FOUND');
    expect(await code(ada.blueprints.versions({ id }))).toBe('NOT_FOUND');
    expect(await code(ada.blueprints.version({ id, number: 1 }))).toBe('NOT_FOUND');
    expect(await code(ada.blueprints.diff({ id, from: 1, to: 1 }))).toBe('NOT_FOUND');
    expect(await code(ada.blueprints.saveVersion({ id, baseVersion: 1, graph: smallGraph(), message: 'x' }))).toBe('NOT_FOUND');
    expect(await code(ada.blueprints.archive({ id }))).toBe('NOT_FOUND');
    expect(await code(ada.blueprints.restore({ id }))).toBe('NOT_FOUND');
    expect(await code(ada.blueprints.create({ projectId: globexProjectId, name: 'smuggled', cloud: 'aws', graph: smallGraph() }))).toBe('NOT_FOUND');
    expect((await ada.projects.list()).some((p) => p.id === globexProjectId)).toBe(false);

    const gina = await callerFor(deps, users.gina);
    const still = await gina.blueprints.byId({ id });
    expect(still.archivedAt).toBeNull();
    expect(still.currentVersion).toBe(1);
  });

  it('a cached read for one tenant is never served to another', async () => {
    const ada = await callerFor(deps, users.ada);
    const gina = await callerFor(deps, users.gina);
    const input = { archived: 'all' as const, pageSize: 100 };
    const a1 = await ada.blueprints.list(input);
    const g1 = await gina.blueprints.list(input);
    const a2 = await ada.blueprints.list(input);
    expect(g1.items.some((b) => a1.items.some((x) => x.id === b.id))).toBe(false);
    expect(a2).toEqual(a1);
  });

  it('a token whose user is not in its tenant is refused', async () => {
    const forged = { ...users.ada, tenantId: globexId };
    const caller = await callerFor(deps, forged);
    expect(await code(caller.blueprints.list({}))).toBe('FORBIDDEN');
  });
});
