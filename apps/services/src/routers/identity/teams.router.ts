import { z } from 'zod';
import { createTeam, deleteTeam, listTeams, setProjectTeam, setTeamMembers } from '@dharma/db/queries/teams';
import { accessTags } from '../../trpc/auth';
import { permission, router } from '../../trpc/procedures';
import { projectTags } from '../projects.router';

const ZUuid = z.uuid({ error: 'must be a uuid' });
const ZTeamName = z.string().trim().min(1, { error: 'must not be empty' }).max(100, { error: 'must be at most 100 characters' });

/**
 * Teams: who belongs to which, and which projects each holds. Team scope (a custom role's or a token's
 * permission at `team`) covers the records of the holder's teams' projects. A membership change bumps the members'
 * access entries, so their next request runs with their new teams.
 */
export const teamsRouter = router({
  list: permission('user', 'read')
    .output(z.array(z.object({ id: z.string(), name: z.string(), members: z.array(z.object({ id: z.string(), email: z.string(), name: z.string() })), projects: z.array(z.object({ id: z.string(), name: z.string() })) })))
    .query(({ ctx }) => ctx.tx((tx) => listTeams(tx, { tenantId: ctx.tenant.id }), { readOnly: true })),

  create: permission('user', 'update')
    .input(z.object({ name: ZTeamName }))
    .output(z.object({ id: z.string() }))
    .mutation(({ ctx, input }) => ctx.tx((tx) => createTeam(tx, { tenantId: ctx.tenant.id, name: input.name }))),

  setMembers: permission('user', 'update')
    .input(z.object({ teamId: ZUuid, userIds: z.array(ZUuid).max(1000, { error: 'must list at most 1000 people' }) }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      const { changed } = await ctx.tx((tx) => setTeamMembers(tx, { tenantId: ctx.tenant.id, ...input }));
      if (changed.length > 0) await ctx.cache.invalidate(changed.map((id) => accessTags.user(id)));
      return { ok: true as const };
    }),

  setProjectTeam: permission('project', 'update')
    .input(z.object({ projectId: ZUuid, teamId: ZUuid.nullable() }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await ctx.tx((tx) => setProjectTeam(tx, { tenantId: ctx.tenant.id, ...input }));
      await ctx.cache.invalidate([projectTags.lists]);
      return { ok: true as const };
    }),

  delete: permission('user', 'update')
    .input(z.object({ teamId: ZUuid }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await ctx.tx((tx) => deleteTeam(tx, { tenantId: ctx.tenant.id, teamId: input.teamId }));
      // Its members' access entries list it: every entry of the tenant is read again.
      await ctx.cache.invalidate([accessTags.tenant]);
      return { ok: true as const };
    }),
});
