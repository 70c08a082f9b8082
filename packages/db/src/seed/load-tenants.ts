import { like, sql } from 'drizzle-orm';
import { ZBlueprintGraph } from '../blueprint-graph';
import type { TDb } from '../client';
import { storedGraph } from '../graph-hash';
import { tenants } from '../schema/tenancy';
import { awsThreeTier } from './sample-graphs';

/** Slugs of tenants made for load runs start with this, then the run id: `load-<run>-<n>`. */
export const LOAD_TENANT_PREFIX = 'load-';

export interface TLoadTenantsOptions {
  /** Part of every slug, so runs never collide and a run's tenants can be found (and retired) afterwards. */
  runId: string;
  tenants: number;
  usersPerTenant: number;
  projectsPerTenant: number;
  /** Sample blueprints per project, with one version each, so lists and reads have data from the first request. */
  blueprintsPerProject: number;
  /** The roles users get, in turn (user 1 the first, user 2 the second, ...). */
  roles: readonly string[];
}

export interface TLoadUser {
  userId: string;
  tenantId: string;
  tenantSlug: string;
  email: string;
  roles: string[];
}

/**
 * Tenants of a load run's own, created set-wise as the owner (10,000 users take about a second): each with
 * `usersPerTenant` users whose roles cycle through the seven system roles, `projectsPerTenant` projects and a few
 * blueprints per project. A load run then measures its own tenants, never the sample tenants people browse, and its
 * writes spread over tenants as real traffic does. Returns every user with the tenant's projects.
 */
export async function provisionLoadTenants(db: TDb, o: TLoadTenantsOptions): Promise<{ users: TLoadUser[]; projects: Map<string, string[]> }> {
  const prefix = `${LOAD_TENANT_PREFIX}${o.runId}-`;
  const g = storedGraph(ZBlueprintGraph.parse(awsThreeTier(1)));
  await db.transaction(async (tx) => {
    await tx.execute(sql`
      insert into tenants (slug, name, tier)
      select ${prefix} || n, 'Load tenant ' || n || ' (' || ${o.runId} || ')', 'team' from generate_series(1, ${o.tenants}) n`);
    await tx.execute(sql`
      insert into users (tenant_id, email, name)
      select t.id, 'user' || u || '@' || t.slug || '.test', 'Load user ' || u
      from tenants t cross join generate_series(1, ${o.usersPerTenant}) u where t.slug like ${`${prefix}%`}`);
    await tx.execute(sql`
      insert into role_grants (tenant_id, user_id, role)
      select u.tenant_id, u.id, ${JSON.stringify(o.roles)}::jsonb ->> ((substring(u.email from '^user([0-9]+)@')::int - 1) % ${o.roles.length})
      from users u join tenants t on t.id = u.tenant_id where t.slug like ${`${prefix}%`}`);
    await tx.execute(sql`
      insert into projects (tenant_id, slug, name, primary_cloud, owner_id)
      select t.id, 'project-' || p, 'Project ' || p, 'aws',
             (select id from users where tenant_id = t.id order by email limit 1)
      from tenants t cross join generate_series(1, ${o.projectsPerTenant}) p where t.slug like ${`${prefix}%`}`);
    await tx.execute(sql`
      insert into blueprints (tenant_id, project_id, name, description, cloud, status, created_by)
      select p.tenant_id, p.id, 'Sample ' || b || ' of ' || p.name, 'provisioned for a load run', 'aws',
             (array['draft','approved'])[1 + b % 2], p.owner_id
      from projects p join tenants t on t.id = p.tenant_id cross join generate_series(1, ${o.blueprintsPerProject}) b
      where t.slug like ${`${prefix}%`}`);
    await tx.execute(sql`
      insert into blueprint_versions (tenant_id, blueprint_id, number, message, author_id, graph, graph_hash, component_count, relation_count)
      select b.tenant_id, b.id, 1, 'provisioned', b.created_by, ${g.json}::jsonb, ${g.hash}, ${g.components}, ${g.relations}
      from blueprints b join tenants t on t.id = b.tenant_id where t.slug like ${`${prefix}%`}`);
  });
  const rows = await db.execute<{ user_id: string; tenant_id: string; slug: string; email: string; roles: string[] }>(sql`
    select u.id as user_id, t.id as tenant_id, t.slug, u.email,
           coalesce((select array_agg(g.role) from role_grants g where g.tenant_id = u.tenant_id and g.user_id = u.id), '{}') as roles
    from users u join tenants t on t.id = u.tenant_id where t.slug like ${`${prefix}%`} order by t.slug, u.email`);
  const projectRows = await db.execute<{ tenant_id: string; id: string }>(sql`
    select p.tenant_id, p.id from projects p join tenants t on t.id = p.tenant_id where t.slug like ${`${prefix}%`}`);
  const projects = new Map<string, string[]>();
  for (const p of projectRows) projects.set(p.tenant_id, [...(projects.get(p.tenant_id) ?? []), p.id]);
  return { users: rows.map((r) => ({ userId: r.user_id, tenantId: r.tenant_id, tenantSlug: r.slug, email: r.email, roles: r.roles })), projects };
}

/**
 * Suspends a run's tenants once it is over: their users can no longer sign in and they leave the directory. The
 * rows stay: the immutable-versions rule blocks deleting a tenant's versions until tenant offboarding exists.
 */
export async function retireLoadTenants(db: TDb, runId: string): Promise<number> {
  const rows = await db
    .update(tenants)
    .set({ status: 'suspended' })
    .where(like(tenants.slug, `${LOAD_TENANT_PREFIX}${runId}-%`))
    .returning({ id: tenants.id });
  return rows.length;
}
