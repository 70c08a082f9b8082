import { eq, sql } from 'drizzle-orm';
import { auditActorStatement, tenantSettings } from '../tenant';
import { ZBlueprintGraph, type TBlueprintGraphInput } from '../blueprint-graph';
import type { TDb } from '../client';
import { createBlueprint, saveBlueprintVersion } from '../queries/blueprints';
import { environments, projects } from '../schema/projects';
import { teams, teamMembers, tenants, users } from '../schema/tenancy';
import { blueprints } from '../schema/blueprints';
import { roleGrants } from '../schema/identity';
import { awsServerlessApi, awsThreeTier, azureDataPlatform, gcpGkeService } from './sample-graphs';

type TRoleName = 'admin' | 'enterprise_architect' | 'solution_architect' | 'technical_architect' | 'project_manager' | 'sre' | 'viewer';

interface TSeedBlueprint {
  project: string;
  name: string;
  description: string;
  cloud: 'aws' | 'azure' | 'gcp';
  status: 'draft' | 'review' | 'approved' | 'deprecated';
  author: string;
  versions: { graph: TBlueprintGraphInput; message: string }[];
}

interface TSeedTenant {
  slug: string;
  name: string;
  dataRegion: string;
  tier: 'free' | 'team' | 'enterprise';
  users: { email: string; name: string; roles: TRoleName[] }[];
  team: string;
  projects: { slug: string; name: string; description: string; primaryCloud: 'aws' | 'azure' | 'gcp' | 'multi'; owner: string }[];
  blueprints: TSeedBlueprint[];
}

export const SEED_TENANTS: TSeedTenant[] = [
  {
    slug: 'acme',
    name: 'Acme Corporation',
    dataRegion: 'eu-west-1',
    tier: 'enterprise',
    team: 'Platform',
    users: [
      { email: 'ada@acme.test', name: 'Ada Admin', roles: ['admin'] },
      { email: 'sam@acme.test', name: 'Sam Solution', roles: ['solution_architect'] },
      { email: 'tara@acme.test', name: 'Tara Technical', roles: ['technical_architect'] },
      { email: 'pia@acme.test', name: 'Pia Manager', roles: ['project_manager'] },
      { email: 'vic@acme.test', name: 'Vic Viewer', roles: ['viewer'] },
      // A consultant who works for both tenants: one person, two memberships (the header's tenant switcher).
      { email: 'cora@consult.test', name: 'Cora Consultant', roles: ['solution_architect'] },
    ],
    projects: [
      { slug: 'storefront', name: 'Storefront', description: 'Customer-facing web shop', primaryCloud: 'aws', owner: 'sam@acme.test' },
      { slug: 'data-platform', name: 'Data Platform', description: 'Ingestion, lake and warehouse', primaryCloud: 'azure', owner: 'tara@acme.test' },
      { slug: 'mobile', name: 'Mobile Backend', description: 'APIs for the mobile apps', primaryCloud: 'aws', owner: 'sam@acme.test' },
    ],
    blueprints: [
      {
        project: 'storefront', name: 'Three-tier web app', cloud: 'aws', status: 'approved', author: 'sam@acme.test',
        description: 'CloudFront, ALB, autoscaled web tier and Multi-AZ Postgres in one VPC',
        versions: [
          { graph: awsThreeTier(1), message: 'Initial design' },
          { graph: awsThreeTier(2), message: 'Add Redis cache, newer instance family, longer backups' },
          { graph: awsThreeTier(3), message: 'Alarms and a higher autoscaling ceiling' },
        ],
      },
      {
        project: 'data-platform', name: 'Analytics data platform', cloud: 'azure', status: 'review', author: 'tara@acme.test',
        description: 'Event Hubs ingestion into a Data Lake, Data Factory pipelines and Synapse',
        versions: [
          { graph: azureDataPlatform(1), message: 'Initial design' },
          { graph: azureDataPlatform(2), message: 'Bigger warehouse with pause-on-idle; Log Analytics' },
        ],
      },
      {
        project: 'mobile', name: 'Serverless mobile API', cloud: 'aws', status: 'draft', author: 'sam@acme.test',
        description: 'HTTP API, Lambda handler, SQS jobs and DynamoDB',
        versions: [{ graph: awsServerlessApi(), message: 'Initial design' }],
      },
    ],
  },
  {
    slug: 'globex',
    name: 'Globex Industries',
    dataRegion: 'europe-west4',
    tier: 'team',
    team: 'Orders',
    users: [
      { email: 'gina@globex.test', name: 'Gina Admin', roles: ['admin'] },
      { email: 'omar@globex.test', name: 'Omar Architect', roles: ['solution_architect'] },
      { email: 'val@globex.test', name: 'Val Viewer', roles: ['viewer'] },
      { email: 'cora@consult.test', name: 'Cora Consultant', roles: ['viewer'] },
    ],
    projects: [
      { slug: 'orders', name: 'Orders', description: 'Order capture and fulfilment services', primaryCloud: 'gcp', owner: 'omar@globex.test' },
      { slug: 'analytics', name: 'Analytics', description: 'Reporting for the business', primaryCloud: 'azure', owner: 'omar@globex.test' },
    ],
    blueprints: [
      {
        project: 'orders', name: 'GKE orders service', cloud: 'gcp', status: 'approved', author: 'omar@globex.test',
        description: 'Private GKE cluster running the orders API with Cloud SQL and Memorystore',
        versions: [{ graph: gcpGkeService(), message: 'Initial design' }],
      },
      {
        project: 'analytics', name: 'Globex data platform', cloud: 'azure', status: 'draft', author: 'omar@globex.test',
        description: 'A copy of the reference data platform, sized down',
        versions: [{ graph: azureDataPlatform(1), message: 'Copied from reference design' }],
      },
    ],
  },
  {
    // The operators' tenant (PLATFORM_TENANT): its admins provision, suspend and offboard tenants and set quotas.
    slug: 'platform',
    name: 'IaC Dharma platform',
    dataRegion: 'eu-west-1',
    tier: 'enterprise',
    team: 'Operations',
    users: [{ email: 'olga@platform.test', name: 'Olga Operator', roles: ['admin'] }],
    projects: [],
    blueprints: [],
  },
];

/**
 * Loads the sample data, once: a tenant whose slug already exists is left alone, so re-running is safe.
 * Runs as the table owner (RLS does not apply to the owner), one transaction per tenant.
 */
export async function seed(db: TDb, log: (line: string) => void = console.log): Promise<void> {
  for (const t of SEED_TENANTS) {
    const [existing] = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, t.slug));
    if (existing) {
      log(`seed: tenant ${t.slug} exists, skipped`);
      continue;
    }
    await db.transaction(async (tx) => {
      const [tenant] = await tx.insert(tenants).values({ slug: t.slug, name: t.name, dataRegion: t.dataRegion, tier: t.tier }).returning({ id: tenants.id });
      const tenantId = tenant!.id;
      // The sample blueprints are written by the same functions as the services' (audited): the seed is their actor.
      await tx.execute(sql.raw(tenantSettings(tenantId)));
      await tx.execute(sql.raw(auditActorStatement({ actorId: null, actorType: 'system', actorLabel: 'seed' })));
      const userRows = await tx.insert(users).values(t.users.map(({ roles: _roles, ...u }) => ({ tenantId, ...u }))).returning({ id: users.id, email: users.email });
      const userId = (email: string) => userRows.find((u) => u.email === email)!.id;
      await tx.insert(roleGrants).values(t.users.flatMap((u) => u.roles.map((role) => ({ tenantId, userId: userId(u.email), role }))));
      const [team] = await tx.insert(teams).values({ tenantId, name: t.team }).returning({ id: teams.id });
      await tx.insert(teamMembers).values(userRows.map((u) => ({ tenantId, teamId: team!.id, userId: u.id })));
      const projectRows = t.projects.length === 0 ? [] : await tx
        .insert(projects)
        .values(t.projects.map((p) => ({ tenantId, slug: p.slug, name: p.name, description: p.description, primaryCloud: p.primaryCloud, ownerId: userId(p.owner), teamId: team!.id })))
        .returning({ id: projects.id, slug: projects.slug });
      for (const p of projectRows) {
        await tx.insert(environments).values((['dev', 'staging', 'prod'] as const).map((name) => ({ tenantId, projectId: p.id, name })));
      }
      for (const b of t.blueprints) {
        const projectId = projectRows.find((p) => p.slug === b.project)!.id;
        const authorId = userId(b.author);
        const [first, ...rest] = b.versions.map((v) => ({ ...v, graph: ZBlueprintGraph.parse(v.graph) }));
        const { id } = await createBlueprint(tx, { tenantId, projectId, name: b.name, description: b.description, cloud: b.cloud, graph: first!.graph, message: first!.message, authorId });
        let base = 1;
        for (const v of rest) {
          ({ version: base } = await saveBlueprintVersion(tx, { tenantId, blueprintId: id, baseVersion: base, graph: v.graph, message: v.message, authorId }));
        }
        // A seeded status is as the lifecycle would leave it: the approved (or reviewed) version is the last one.
        await tx.update(blueprints).set({ status: b.status, approvedVersion: b.status === 'approved' ? base : null, reviewVersion: b.status === 'review' ? base : null }).where(eq(blueprints.id, id));
      }
    });
    log(`seed: tenant ${t.slug} loaded (${t.users.length} users, ${t.projects.length} projects, ${t.blueprints.length} blueprints)`);
  }
}
