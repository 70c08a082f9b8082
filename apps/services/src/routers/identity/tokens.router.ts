import { z } from 'zod';
import { mintApiToken } from '@dharma/auth/api-token';
import { DomainError } from '@dharma/db/errors';
import { createToken, listTokens, revokeToken } from '@dharma/db/queries/identity';
import { accessTags } from '../../trpc/auth';
import { permission, router } from '../../trpc/procedures';
import { ZCreateTokenInput, ZListTokensInput, ZPermissionOut, ZTokenIdInput } from './identity.schema';

const ZTokenRow = z.object({
  id: z.string(),
  userId: z.string(),
  userEmail: z.string(),
  name: z.string(),
  prefix: z.string(),
  permissions: z.array(ZPermissionOut),
  expiresAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
});

/**
 * API tokens: personal ones (everyone, `token` at own scope) and service accounts' (admins, tenant scope). The
 * secret is returned once by `create` and stored only as a hash; a token acts with at most the permissions it lists
 * and never more than its user holds at the time of each request.
 */
export const tokensRouter = router({
  list: permission('token', 'read')
    .input(ZListTokensInput)
    .output(z.array(ZTokenRow))
    .query(({ ctx, input }) => {
      if (input.all && ctx.scope === 'own') throw new DomainError('FORBIDDEN', 'listing every token of the tenant needs token:read at tenant scope', 'all');
      return ctx.tx((tx) => listTokens(tx, { tenantId: ctx.tenant.id, userId: input.all ? undefined : ctx.user.id }), { readOnly: true });
    }),

  create: permission('token', 'create')
    .input(ZCreateTokenInput)
    .output(z.object({ id: z.string(), token: z.string(), prefix: z.string(), expiresAt: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const owner = input.userId ?? ctx.user.id;
      if (owner !== ctx.user.id && ctx.scope === 'own') throw new DomainError('FORBIDDEN', "creating a token for another user or a service account needs token:create at tenant scope", 'userId');
      if (ctx.user.token) throw new DomainError('FORBIDDEN', 'an API token cannot create tokens: sign in to the console', 'token');
      const minted = mintApiToken();
      const { id } = await ctx.tx((tx) =>
        createToken(tx, { tenantId: ctx.tenant.id, userId: owner, name: input.name, prefix: minted.prefix, secretHash: minted.hash, permissions: input.permissions, expiresAt: new Date(input.expiresAt), createdBy: ctx.user.id }),
      );
      return { id, token: minted.secret, prefix: minted.prefix, expiresAt: new Date(input.expiresAt).toISOString() };
    }),

  revoke: permission('token', 'delete')
    .input(ZTokenIdInput)
    .output(z.object({ revokedAt: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const done = await ctx.tx((tx) => revokeToken(tx, { tenantId: ctx.tenant.id, id: input.id, ownerId: ctx.scope === 'own' ? ctx.user.id : null }));
      await ctx.cache.invalidate([accessTags.token(input.id)]);
      return { revokedAt: done.revokedAt };
    }),
});
