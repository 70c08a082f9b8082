import { TRPCError } from '@trpc/server';
import { isTenantWide, scopeCovers, type TScope } from '@dharma/auth/rbac';
import { getBlueprintOwner, ownerStatement, toOwner, type TBlueprintListPlace } from '@dharma/db/queries/blueprints';
import { notFound } from '@dharma/db/errors';
import type { TTenantTx } from '@dharma/db/tenant';
import type { TReadCtx } from '../../trpc/cached-read';

/**
 * Cache tags of blueprint reads. A list is tagged by one of its filters, the first of project, cloud and status it
 * has (or `blueprints:list` when it has none of them); a mutation bumps the tags of the values the blueprint has on
 * each of them. A blueprint can only be in a list whose every filter it matches, so the list's tag is among those
 * bumped: correct, and a create in one project no longer invalidates the lists of the others, or an AWS create the
 * Azure lists. What changes a project's blueprint count (a create, an archive, a restore) bumps the project list's
 * tag as well (`projectTags.lists`); a version save does not.
 */
export const blueprintTags = {
  one: (id: string) => `blueprint:${id}`,
  list: (filter: { projectId?: string | undefined; cloud?: string | undefined; status?: string | undefined }): string =>
    filter.projectId ? `blueprints:list:project:${filter.projectId}` : filter.cloud ? `blueprints:list:cloud:${filter.cloud}` : filter.status ? `blueprints:list:status:${filter.status}` : 'blueprints:list',
  /** Every tag a change to a blueprint at `place` can make stale (its own `one` tag aside). */
  changed: (place: TBlueprintListPlace): string[] => [
    'blueprints:list',
    `blueprints:list:project:${place.projectId}`,
    `blueprints:list:cloud:${place.cloud}`,
    `blueprints:list:status:${place.status}`,
  ],
};

export type TScopedCtx = { tenant: { id: string }; user: { id: string; teams: readonly string[] }; scope: TScope };
export const holderOf = (ctx: TScopedCtx) => ({ userId: ctx.user.id, teamIds: ctx.user.teams });

/**
 * Own- and team-scope callers (for example solution architects updating) may only change what they created, or what
 * belongs to their teams' projects.
 */
export async function assertCovers(tx: TTenantTx, ctx: TScopedCtx, id: string, action: string) {
  if (isTenantWide(ctx.scope)) return;
  if (!scopeCovers(ctx.scope, holderOf(ctx), await getBlueprintOwner(tx, { tenantId: ctx.tenant.id, id }))) {
    throw new TRPCError({ code: 'FORBIDDEN', message: `you may only ${action} blueprints you created${ctx.scope === 'team' ? " or your teams' projects hold" : ''}` });
  }
}

/**
 * Own- and team-scope readers: a blueprint outside their scope reads as not found (its existence is not theirs). The
 * one check every read of a blueprint's data makes (its versions, its generated code). A tenant-wide reader's read
 * of a missing blueprint fails on its own (no rows); `mustExist` checks first, for reads that would otherwise answer
 * an empty list and for writes about the blueprint (a waiver).
 */
export async function assertReadable(ctx: TReadCtx, id: string, { mustExist = false } = {}) {
  if (isTenantWide(ctx.scope) && !mustExist) return;
  const [rows] = await ctx.read((db) => [ownerStatement(db, { tenantId: ctx.tenant.id, id })]);
  const owner = toOwner(rows);
  if (!isTenantWide(ctx.scope) && !scopeCovers(ctx.scope, holderOf(ctx), owner)) throw notFound('blueprint', 'id');
}
