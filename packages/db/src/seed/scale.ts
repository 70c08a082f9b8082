import { roleGrants } from '../schema/identity';
import { eq, sql } from 'drizzle-orm';
import { ZBlueprintGraph } from '../blueprint-graph';
import type { TDb } from '../client';
import { canonicalGraph } from '../graph-canonical';
import { graphHash } from '../graph-hash';
import { projects } from '../schema/projects';
import { tenants, users } from '../schema/tenancy';
import { awsServerlessApi } from './sample-graphs';

export const SCALE_TENANT_PREFIX = 'scale-';

/**
 * Bulk data for query-plan tests and load runs: `total` blueprints (each with one version) spread over
 * `tenantCount` tenants named scale-1…N, 5 projects each. Inserted set-wise in SQL, so 100,000 rows take seconds.
 * Idempotent per tenant: an existing scale tenant is left as it is. Runs as the owner.
 */
export async function seedScale(db: TDb, { total, tenantCount = 10, log = console.log }: { total: number; tenantCount?: number; log?: (line: string) => void }) {
  const graph = canonicalGraph(ZBlueprintGraph.parse(awsServerlessApi()));
  const hash = graphHash(graph);
  const perTenant = Math.ceil(total / tenantCount);
  for (let n = 1; n <= tenantCount; n++) {
    const slug = `${SCALE_TENANT_PREFIX}${n}`;
    const [exists] = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, slug));
    if (exists) {
      log(`seed --scale: tenant ${slug} exists, skipped`);
      continue;
    }
    await db.transaction(async (tx) => {
      const [t] = await tx.insert(tenants).values({ slug, name: `Scale tenant ${n}`, tier: 'enterprise' }).returning({ id: tenants.id });
      const tenantId = t!.id;
      const [u] = await tx.insert(users).values({ tenantId, email: `admin@${slug}.test`, name: `Scale admin ${n}` }).returning({ id: users.id });
      await tx.insert(roleGrants).values({ tenantId, userId: u!.id, role: 'admin' });
      const clouds = ['aws', 'azure', 'gcp', 'aws', 'multi'] as const;
      await tx.insert(projects).values(clouds.map((cloud, i) => ({ tenantId, slug: `project-${i + 1}`, name: `Project ${i + 1}`, primaryCloud: cloud, ownerId: u!.id })));
      // One statement for the blueprints, one for their versions: names are unique per project, statuses and
      // clouds vary, updated_at spreads over a year so ordering and paging have something to do.
      await tx.execute(sql`
        insert into blueprints (tenant_id, project_id, name, description, cloud, status, current_version, created_by, created_at, updated_at, archived_at)
        select ${tenantId}, p.id, 'bp-' || g || ' ' || (array['web','data','edge','batch','api','ml','queue','cache'])[1 + g % 8],
               'generated for scale tests', (array['aws','azure','gcp'])[1 + g % 3],
               (array['draft','review','approved','deprecated'])[1 + g % 4], 1, ${u!.id},
               now() - (g || ' minutes')::interval, now() - ((g * 7) % 525600 || ' minutes')::interval,
               case when g % 20 = 0 then now() else null end
        from generate_series(1, ${perTenant}) g
        join lateral (select id from projects where tenant_id = ${tenantId} order by slug offset (g % 5) limit 1) p on true`);
      await tx.execute(sql`
        insert into blueprint_versions (tenant_id, blueprint_id, number, message, author_id, graph, graph_hash, component_count, relation_count)
        select tenant_id, id, 1, 'generated', created_by, ${JSON.stringify(graph)}::jsonb, ${hash}, ${graph.components.length}, ${graph.relations.length}
        from blueprints where tenant_id = ${tenantId}`);
    });
    log(`seed --scale: tenant ${slug} loaded (${perTenant} blueprints)`);
  }
  await db.execute(sql`analyze`);
}
