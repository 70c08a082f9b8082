import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { TExecutor } from '../client';
import { blueprints } from '../schema/blueprints';
import { tenants } from '../schema/tenancy';

/**
 * A tenant's design rules, kept in tenants.settings: the regions its components may use and its naming convention.
 * Unknown or malformed settings read as absent (the rule is then off), never as an error for the person designing.
 */
export const ZDesignRules = z.object({
  allowedRegions: z.array(z.string()).optional().catch(undefined),
  namingConvention: z.string().optional().catch(undefined),
  namingSeverity: z.enum(['error', 'warning']).optional().catch(undefined),
});
export type TDesignRules = z.infer<typeof ZDesignRules>;

/** The tenant's rules, in the same read as a version (row-level security keeps it to the tenant). */
export function designRulesStatement(db: TExecutor, { tenantId }: { tenantId: string }) {
  return db.select({ settings: tenants.settings }).from(tenants).where(eq(tenants.id, tenantId));
}

/** A blueprint's name and project: what a version's readers need beside the version itself. */
export function blueprintHeadStatement(db: TExecutor, { id }: { id: string }) {
  return db.select({ name: blueprints.name, projectId: blueprints.projectId }).from(blueprints).where(eq(blueprints.id, id));
}

export const toDesignRules = (rows: readonly { settings: Record<string, unknown> }[]): TDesignRules => ZDesignRules.parse(rows[0]?.settings ?? {});
