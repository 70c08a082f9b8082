import { TRPCError } from '@trpc/server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousCaller, callerFor, makeDeps, scratchTenant, asOwner } from '../../testing/harness';
import { smallGraph } from '../../testing/graphs';

/**
 * Platform administration against the real stack: the scratch `ops` tenant is the platform tenant of these deps
 * (PLATFORM_TENANT), so the seeded tenants are never suspended or offboarded by a test.
 */
let ops: Awaited<ReturnType<typeof scratchTenant>>;
let customer: Awaited<ReturnType<typeof scratchTenant>>;
let deps: ReturnType<typeof makeDeps>;
beforeAll(async () => {
  [ops, customer] = await Promise.all([scratchTenant('ops'), scratchTenant('customer')]);
  deps = makeDeps({ PLATFORM_TENANT: ops.slug });
});
afterAll(() => deps.close());

const outcome = (p: Promise<unknown>) => p.then(() => 'OK', (e: unknown) => (e instanceof TRPCError ? `${e.code}: ${e.message}` : `unexpected: ${String(e)}`));
const create = (projectId: string, name: string) => ({ projectId, name, description: '', cloud: 'aws' as const, graph: smallGraph(), message: 'v1' });

const owner = asOwner;
const rowsOf = (table: string, tenantId: string) => owner(async (db) => Number((await db.execute<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(table)} where tenant_id = ${tenantId}`))[0]!.n));

describe('platform administration', () => {
  it('is for the admins of the platform tenant only', async () => {
    expect(await outcome((await callerFor(deps, customer.admin)).platform.tenants())).toBe(`FORBIDDEN: platform administration is for the admins of the platform tenant (${ops.slug})`);
    const tenants = await (await callerFor(deps, ops.admin)).platform.tenants();
    expect(tenants.map((t) => t.slug)).toEqual(expect.arrayContaining([ops.slug, customer.slug]));
    expect((await (await callerFor(deps, ops.admin)).identity.me()).platformAdmin).toBe(true);
    expect((await (await callerFor(deps, customer.admin)).identity.me()).platformAdmin).toBe(false);
  });

  it('provisions a tenant whose admin can sign in and work; a taken slug is refused naming it', async () => {
    const platform = await callerFor(deps, ops.admin);
    const slug = `new-${Date.now().toString(36)}`;
    const made = await platform.platform.provision({ slug, name: 'New Co', adminEmail: `boss@${slug}.test`, adminName: 'New Boss' });
    const signedIn = await anonymousCaller(deps).identity.devSignIn({ userId: made.adminId });
    const admin = anonymousCaller(deps, `Bearer ${signedIn.token}`);
    expect((await admin.identity.me()).roles).toEqual(['admin']);
    expect((await admin.projects.list()).map((p) => p.slug)).toEqual(['default']);
    expect(await outcome(platform.platform.provision({ slug, name: 'Again', adminEmail: `x@${slug}.test`, adminName: 'X' }))).toBe(`CONFLICT: a tenant with the slug ${slug} already exists`);
    expect(await outcome(platform.platform.provision({ slug: 'Bad Slug!', name: 'x', adminEmail: 'not-an-email', adminName: '' }))).toMatch(/^BAD_REQUEST: .*slug.*adminEmail.*adminName/s);
  });

  it('a suspended tenant is refused at its next request; resumed, it works again', async () => {
    const platform = await callerFor(deps, ops.admin);
    const member = await callerFor(deps, customer.admin);
    expect(await outcome(member.blueprints.list({}))).toBe('OK');
    await platform.platform.setStatus({ tenantId: customer.tenantId, status: 'suspended' });
    expect(await outcome(member.blueprints.list({}))).toMatch(/suspended/);
    expect(await outcome(anonymousCaller(deps).identity.devSignIn({ userId: customer.admin.userId }))).toMatch(/^NOT_FOUND/);
    await platform.platform.setStatus({ tenantId: customer.tenantId, status: 'active' });
    expect(await outcome(member.blueprints.list({}))).toBe('OK');
    expect(await outcome(platform.platform.setStatus({ tenantId: ops.tenantId, status: 'suspended' }))).toBe('BAD_REQUEST: the platform tenant cannot suspend itself');
  });

  it('quotas: the create past one is refused naming the quota, and writes nothing', async () => {
    const platform = await callerFor(deps, ops.admin);
    const t = await scratchTenant('quota');
    const admin = await callerFor(deps, t.admin);
    await admin.blueprints.create(create(t.projectId, 'first'));
    await platform.platform.setQuotas({ tenantId: t.tenantId, quotas: { blueprints: 2, users: 1 } });
    await admin.blueprints.create(create(t.projectId, 'second'));
    expect(await outcome(admin.blueprints.create(create(t.projectId, 'third')))).toBe('FORBIDDEN: quota blueprints exceeded: this tenant may hold at most 2 blueprints; ask your platform administrator to raise it');
    expect(await outcome(admin.users.createServiceAccount({ name: 'bot' }))).toBe('FORBIDDEN: quota users exceeded: this tenant may hold at most 1 users; ask your platform administrator to raise it');
    expect(await rowsOf('blueprints', t.tenantId)).toBe(2);
    expect(await outcome(platform.platform.setQuotas({ tenantId: t.tenantId, quotas: { blueprints: -1 } }))).toMatch(/^BAD_REQUEST: .*blueprints.*must be 0 or more/s);
    await platform.platform.setQuotas({ tenantId: t.tenantId, quotas: { blueprints: null } });
    expect(await outcome(admin.blueprints.create(create(t.projectId, 'third')))).toBe('OK');
  });

  it('offboarding: an export of everything, then deletion of everything, its history included; the platform keeps the record', async () => {
    const platform = await callerFor(deps, ops.admin);
    const t = await scratchTenant('leaving');
    const admin = await callerFor(deps, t.admin);
    const bp = await admin.blueprints.create(create(t.projectId, 'kept in the export'));
    await admin.blueprints.saveVersion({ id: bp.id, baseVersion: 1, graph: smallGraph('t3.large'), message: 'v2' });

    const { json } = await platform.platform.export({ tenantId: t.tenantId });
    const exported = JSON.parse(json) as { tenant: { slug: string }; blueprints: unknown[]; blueprintVersions: unknown[]; auditEvents: { action: string }[]; users: unknown[] };
    expect(exported.tenant.slug).toBe(t.slug);
    expect(exported.blueprints).toHaveLength(1);
    expect(exported.blueprintVersions).toHaveLength(2);
    expect(exported.auditEvents.map((e) => e.action)).toEqual(expect.arrayContaining(['blueprint.create', 'blueprint.save_version']));

    expect(await outcome(platform.platform.offboard({ tenantId: t.tenantId, confirmSlug: 'not-it' }))).toBe(`BAD_REQUEST: type the tenant's slug (${t.slug}) to confirm`);
    expect(await rowsOf('blueprint_versions', t.tenantId)).toBe(2);
    const done = await platform.platform.offboard({ tenantId: t.tenantId, confirmSlug: t.slug });
    expect(done).toMatchObject({ slug: t.slug, blueprints: 1, versions: 2 });
    for (const table of ['users', 'projects', 'blueprints', 'blueprint_versions', 'audit_events', 'role_grants']) expect(`${table}: ${await rowsOf(table, t.tenantId)}`).toBe(`${table}: 0`);
    const platformEvents = await owner((db) => db.execute<{ action: string }>(sql`select action from audit_events where tenant_id = ${ops.tenantId} and target_id = ${t.tenantId}`));
    expect(platformEvents.map((e) => e.action)).toEqual(expect.arrayContaining(['platform.tenant_export', 'platform.tenant_offboard']));
    expect(await outcome(platform.platform.offboard({ tenantId: ops.tenantId, confirmSlug: ops.slug }))).toBe(`BAD_REQUEST: the platform tenant ${ops.slug} cannot be offboarded`);
  });

  it('the offboarding exception cannot be borrowed: the owner setting the flag by hand still cannot delete history', async () => {
    const bp = await (await callerFor(deps, customer.admin)).blueprints.create(create(customer.projectId, 'history'));
    const refused = await owner((db) =>
      db.transaction(async (tx) => {
        await tx.execute(sql`select set_config('app.offboarding', ${customer.tenantId}, true)`);
        await tx.execute(sql`delete from blueprint_versions where blueprint_id = ${bp.id}`);
      }).then(() => 'deleted', (e: unknown) => String((e as { cause?: { message?: string } }).cause?.message ?? e)),
    );
    expect(refused).toMatch(/blueprint versions are immutable/);
    expect(await owner(async (db) => (await db.execute(sql`select 1 from blueprint_versions where blueprint_id = ${bp.id}`)).length)).toBe(1);
  });
});
