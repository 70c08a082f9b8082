import { and, count, eq, gt, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import type { TExecutor } from '@dharma/db/client';
import { BLUEPRINT_STATUSES, blueprints, blueprintVersions } from '@dharma/db/schema/blueprints';
import { projects } from '@dharma/db/schema/projects';
import { users } from '@dharma/db/schema/tenancy';

type TStatus = (typeof BLUEPRINT_STATUSES)[number];

export interface TTenantUsage {
  blueprints: { live: number; archived: number; components: number } & Record<TStatus, number>;
  versions: { last24h: number; last7d: number; total: number };
  projects: number;
  members: number;
}

const countWhere = (condition: SQL | undefined) => sql<number>`count(*) filter (where ${condition})`.mapWith(Number);
const DAY_MS = 86_400_000;

/**
 * One tenant's own figures, as five small aggregate statements (meant for a pipelined tenant read: one round trip).
 * Every statement filters on the tenant and runs under its row-level security, so no other tenant's rows can count.
 * Statuses count live blueprints only; components are those of each live blueprint's current version.
 */
export function tenantUsageQueries(db: TExecutor, { tenantId, now }: { tenantId: string; now: Date }) {
  const live = isNull(blueprints.archivedAt);
  const byStatus = Object.fromEntries(BLUEPRINT_STATUSES.map((s) => [s, countWhere(and(live, eq(blueprints.status, s)))])) as Record<TStatus, SQL<number>>;
  return [
    db
      .select({ live: countWhere(live), archived: countWhere(isNotNull(blueprints.archivedAt)), ...byStatus })
      .from(blueprints)
      .where(eq(blueprints.tenantId, tenantId)),
    db
      .select({ components: sql<number>`coalesce(sum(${blueprintVersions.componentCount}), 0)`.mapWith(Number) })
      .from(blueprints)
      .innerJoin(blueprintVersions, and(eq(blueprintVersions.blueprintId, blueprints.id), eq(blueprintVersions.number, blueprints.currentVersion)))
      .where(and(eq(blueprints.tenantId, tenantId), live)),
    db
      .select({
        last24h: countWhere(gt(blueprintVersions.createdAt, new Date(now.getTime() - DAY_MS))),
        last7d: countWhere(gt(blueprintVersions.createdAt, new Date(now.getTime() - 7 * DAY_MS))),
        total: count(),
      })
      .from(blueprintVersions)
      .where(eq(blueprintVersions.tenantId, tenantId)),
    db.select({ n: count() }).from(projects).where(eq(projects.tenantId, tenantId)),
    db.select({ n: count() }).from(users).where(and(eq(users.tenantId, tenantId), eq(users.status, 'active'))),
  ] as const;
}

export function toTenantUsage([[bp], [components], [versions], [projectCount], [memberCount]]: [
  ({ live: number; archived: number } & Record<TStatus, number>)[],
  { components: number }[],
  { last24h: number; last7d: number; total: number }[],
  { n: number }[],
  { n: number }[],
]): TTenantUsage {
  const zeroes = Object.fromEntries(BLUEPRINT_STATUSES.map((s) => [s, 0])) as Record<TStatus, number>;
  return {
    blueprints: { live: 0, archived: 0, ...zeroes, ...bp, components: components?.components ?? 0 },
    versions: { last24h: versions?.last24h ?? 0, last7d: versions?.last7d ?? 0, total: versions?.total ?? 0 },
    projects: projectCount?.n ?? 0,
    members: memberCount?.n ?? 0,
  };
}
