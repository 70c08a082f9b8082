import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type TRole } from '@dharma/auth/rbac';
import { callerFor, makeDeps, memberWith, scratchTenant, seededUsers } from '../testing/harness';
import { smallGraph } from '../testing/graphs';

const deps = makeDeps();
let users: Awaited<ReturnType<typeof seededUsers>>;
afterAll(() => deps.close());
beforeAll(async () => {
  users = await seededUsers(deps);
});

const refusal = (p: Promise<unknown>) => p.then(() => 'OK', (e: unknown) => (e instanceof TRPCError ? `${e.code}: ${e.message}` : `unexpected: ${String(e)}`));

describe('monitoring: who sees which figures', () => {
  // Roles come from the database: a member of acme holding exactly this role, checked through the whole chain.
  const as = async (role: TRole) => callerFor(deps, await memberWith(users.sam, [role], role.replaceAll('_', '-')));

  it.each(ROLES.filter((r) => r !== 'admin' && r !== 'viewer'))('%s sees its tenant’s figures, and is refused the platform’s naming the permission', async (role) => {
    const caller = await as(role);
    expect((await caller.monitoring.tenant()).tenant.slug).toBe('acme');
    expect(await refusal(caller.monitoring.system())).toBe(
      `FORBIDDEN: platform figures (every tenant's requests, PgBouncer pools, Redis, the near cache) need the read permission on system at global scope, which the admin role holds; your roles (${role}) do not`,
    );
  });

  it('admin sees both, the platform figures with this stack’s PgBouncer, Redis and near cache', async () => {
    const ada = await callerFor(deps, users.ada);
    expect((await ada.monitoring.tenant()).tenant.slug).toBe('acme');
    const platform = await ada.monitoring.system();
    expect(platform.pgbouncer.configured).toBe(true);
    expect(platform.cache.kind).toBe('redis');
    expect(platform.cache.near).not.toBeNull();
  });

  it('viewer sees neither, and each refusal names the permission and who holds it', async () => {
    const vic = await callerFor(deps, users.vic);
    expect(await refusal(vic.monitoring.tenant())).toMatch(/^FORBIDDEN: this tenant's figures need the read permission on system at tenant scope, which the admin, enterprise_architect, .*sre roles hold; your roles \(viewer\) do not$/);
    expect(await refusal(vic.monitoring.system())).toMatch(/^FORBIDDEN: platform figures .* at global scope, which the admin role holds; your roles \(viewer\) do not$/);
  });

  it('says a part is not in use instead of reporting zeros: no PgBouncer admin URL, no Redis, no near cache', async () => {
    const bare = makeDeps({ PGBOUNCER_ADMIN_URL: undefined, REDIS_URL: undefined });
    try {
      const platform = await (await callerFor(bare, users.ada)).monitoring.system();
      expect(platform.pgbouncer).toEqual({ configured: false, pools: [], stats: [], error: null });
      expect(platform.cache.kind).toBe('memory');
      expect(platform.cache.near).toBeNull();
    } finally {
      await bare.close();
    }
  });
});

describe('monitoring: tenant figures stay in their tenant', () => {
  it('counts only the caller’s tenant: what tenant B does never shows in tenant A’s figures, and the reverse', async () => {
    const [a, b] = await Promise.all([scratchTenant('monitor-a'), scratchTenant('monitor-b')]);
    const callerA = await callerFor(deps, a.admin);
    const callerB = await callerFor(deps, b.admin);
    const before = { a: await callerA.monitoring.tenant(), b: await callerB.monitoring.tenant() };
    expect(before.a.tenant.slug).toBe(a.slug);
    expect(before.a.blueprints).toEqual({ live: 0, archived: 0, draft: 0, review: 0, approved: 0, deprecated: 0, components: 0 });
    expect(before.a.members).toBe(1);
    expect(before.a.projects).toBe(1);

    // Tenant B: three blueprints (one archived), and a second version of one.
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await callerB.blueprints.create({ projectId: b.projectId, name: `Monitored ${i}`, cloud: 'aws', graph: smallGraph() }));
    await callerB.blueprints.saveVersion({ id: made[0]!.id, baseVersion: 1, graph: smallGraph('t3.large'), message: 'bigger' });
    await callerB.blueprints.archive({ id: made[2]!.id });

    const after = { a: await callerA.monitoring.tenant(), b: await callerB.monitoring.tenant() };
    expect(after.a.blueprints).toEqual(before.a.blueprints);
    expect(after.a.versions).toEqual(before.a.versions);
    const components = smallGraph().components.length;
    expect(after.b.tenant.slug).toBe(b.slug);
    expect(after.b.blueprints).toEqual({ live: 2, archived: 1, draft: 2, review: 0, approved: 0, deprecated: 0, components: 2 * components });
    expect(after.b.versions).toEqual({ last24h: 4, last7d: 4, total: 4 });

    // Tenant A's admin may see the platform figures (they are every tenant's, by definition), but nothing in them
    // is broken down by tenant: the only per-tenant figures an A user gets are A's.
    const platform = await callerA.monitoring.system();
    expect(JSON.stringify(platform)).not.toContain(b.tenantId);
    expect(JSON.stringify(platform)).not.toContain(b.slug);
  });

  it('a seeded tenant’s figures match what its own users can list', async () => {
    const gina = await callerFor(deps, users.gina);
    const figures = await gina.monitoring.tenant();
    const live = await gina.blueprints.list({ archived: 'live', pageSize: 1 });
    const archived = await gina.blueprints.list({ archived: 'archived', pageSize: 1 });
    expect(figures.tenant.slug).toBe('globex');
    expect(figures.blueprints.live).toBe(live.total);
    expect(figures.blueprints.archived).toBe(archived.total);
    expect(figures.projects).toBe((await gina.projects.list()).length);
  });
});
