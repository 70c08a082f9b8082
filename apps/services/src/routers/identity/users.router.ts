import { z } from 'zod';
import { ROLES } from '@dharma/auth/rbac';
import { createServiceAccount, grantRole, listUsers, revokeRole, setUserStatus } from '@dharma/db/queries/identity';
import { accessTags } from '../../trpc/auth';
import { permission, router } from '../../trpc/procedures';
import { ZGrantRoleInput, ZRevokeRoleInput, ZServiceAccountInput, ZSetUserStatusInput } from './identity.schema';

const ZUserRow = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  kind: z.string(),
  status: z.string(),
  lastSignInAt: z.string().nullable(),
  grants: z.array(z.object({ role: z.string(), expiresAt: z.string().nullable() })),
  teams: z.array(z.string()),
});

/**
 * Users, their role grants and status. Every change is one audited transaction, and bumps the user's access entry
 * so their next request, on any process, runs with what changed.
 */
export const usersRouter = router({
  list: permission('user', 'read')
    .output(z.array(ZUserRow))
    .query(({ ctx }) => ctx.tx((tx) => listUsers(tx, { tenantId: ctx.tenant.id }), { readOnly: true })),

  grantRole: permission('user', 'update')
    .input(ZGrantRoleInput)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await ctx.tx((tx) => grantRole(tx, { tenantId: ctx.tenant.id, ...input, expiresAt: input.expiresAt ? new Date(input.expiresAt) : null, grantedBy: ctx.user.id, systemRoles: ROLES }));
      await ctx.cache.invalidate([accessTags.user(input.userId)]);
      return { ok: true as const };
    }),

  revokeRole: permission('user', 'update')
    .input(ZRevokeRoleInput)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await ctx.tx((tx) => revokeRole(tx, { tenantId: ctx.tenant.id, ...input }));
      await ctx.cache.invalidate([accessTags.user(input.userId)]);
      return { ok: true as const };
    }),

  setStatus: permission('user', 'update')
    .input(ZSetUserStatusInput)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await ctx.tx((tx) => setUserStatus(tx, { tenantId: ctx.tenant.id, ...input, actorId: ctx.user.id }));
      await ctx.cache.invalidate([accessTags.user(input.userId)]);
      return { ok: true as const };
    }),

  createServiceAccount: permission('user', 'create')
    .input(ZServiceAccountInput)
    .output(z.object({ id: z.string(), email: z.string() }))
    .mutation(({ ctx, input }) => ctx.tx((tx) => createServiceAccount(tx, { tenantId: ctx.tenant.id, name: input.name, tenantSlug: ctx.tenant.slug }))),
});
