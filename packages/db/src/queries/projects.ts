import { and, asc, count, eq, isNull } from 'drizzle-orm';
import type { TExecutor } from '../client';
import { blueprints } from '../schema/blueprints';
import { projects } from '../schema/projects';
import { iso } from './iso';

export interface TProjectRow {
  id: string;
  slug: string;
  name: string;
  description: string;
  primaryCloud: 'aws' | 'azure' | 'gcp' | 'multi';
  tags: Record<string, string>;
  blueprintCount: number;
  createdAt: string;
}

export async function listProjects(tx: TExecutor, { tenantId }: { tenantId: string }): Promise<TProjectRow[]> {
  const rows = await tx
    .select({
      id: projects.id,
      slug: projects.slug,
      name: projects.name,
      description: projects.description,
      primaryCloud: projects.primaryCloud,
      tags: projects.tags,
      createdAt: projects.createdAt,
      blueprintCount: count(blueprints.id),
    })
    .from(projects)
    .leftJoin(blueprints, and(eq(blueprints.tenantId, projects.tenantId), eq(blueprints.projectId, projects.id), isNull(blueprints.archivedAt)))
    .where(eq(projects.tenantId, tenantId))
    .groupBy(projects.id)
    .orderBy(asc(projects.name));
  return rows.map((r) => ({ ...r, createdAt: iso(r.createdAt) }));
}

export async function projectExists(tx: TExecutor, { tenantId, projectId }: { tenantId: string; projectId: string }): Promise<boolean> {
  const [row] = await tx
    .select({ id: projects.id })
    .from(projects)
    .where(and(eq(projects.tenantId, tenantId), eq(projects.id, projectId)));
  return row !== undefined;
}
