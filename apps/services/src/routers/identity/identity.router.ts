import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { readDirectory } from '@dharma/auth/directory';
import { scopeIn } from '@dharma/auth/rbac';
import { signAccessToken } from '@dharma/auth/token';
import { recordEvent } from '@dharma/db/queries/audit';
import { tenants } from '@dharma/db/schema/index';
import { eq } from 'drizzle-orm';
import { actorOf, authedProcedure, publicProcedure, router, tenantProcedure } from '../../trpc/procedures';
import { ZDirectoryEntry } from './identity.schema';


/** Development sign-in: only when DEV_LOGIN is on. It accepts no password because it is not a login for production. */
const devOnly = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.deps.env.DEV_LOGIN) throw new TRPCError({ code: 'FORBIDDEN', message: 'development sign-in is disabled (DEV_LOGIN=false)' });
  return next();
});

export const identityRouter = router({
  devDirectory: devOnly.output(z.array(ZDirectoryEntry)).query(({ ctx }) => readDirectory(ctx.deps.db.db)),

  devSignIn: devOnly
    .input(z.object({ userId: z.uuid({ error: 'must be a uuid' }) }))
    .output(z.object({ token: z.string(), expiresAt: z.string(), user: ZDirectoryEntry }))
    .mutation(async ({ ctx, input }) => {
      const user = await ctx.deps.auth.directoryEntry(input.userId);
      if (!user) throw new TRPCError({ code: 'NOT_FOUND', message: 'userId: no active user with this id' });
      const [[tenant]] = await ctx.deps.readInTenant(user.tenantId, (db) => [db.select({ ssoRequired: tenants.ssoRequired }).from(tenants).where(eq(tenants.id, user.tenantId))]);
      if (tenant?.ssoRequired) throw new TRPCError({ code: 'FORBIDDEN', message: `${user.tenantName} requires single sign-on: sign in through its identity provider` });
      const ttl = ctx.deps.env.AUTH_TOKEN_TTL_SECONDS;
      const token = await signAccessToken({ sub: user.userId, tid: user.tenantId, email: user.email, name: user.name }, ctx.deps.env.AUTH_SECRET, ttl);
      // The sign-in is an event of the user's tenant, by the user, in a transaction of its own.
      const actor = actorOf({ id: user.userId, email: user.email, token: null }, ctx);
      await ctx.deps.writeInTenant(user.tenantId, (db) => [recordEvent(db, { action: 'auth.sign_in', targetType: 'user', targetId: user.userId, after: { method: 'development' } })], actor);
      return { token, expiresAt: new Date(Date.now() + ttl * 1000).toISOString(), user };
    }),

  /**
   * A fresh access token for the caller, while they may still use the console: the console renews its session with it
   * before the token expires (a disabled user, a suspended tenant or a revoked token is refused here like anywhere).
   * Not for API tokens: they carry their own expiry.
   */
  renew: tenantProcedure.output(z.object({ token: z.string(), expiresAt: z.string() })).mutation(async ({ ctx }) => {
    if (ctx.user.token) throw new TRPCError({ code: 'BAD_REQUEST', message: 'an API token is not renewed: create a new one' });
    const ttl = ctx.deps.env.AUTH_TOKEN_TTL_SECONDS;
    const token = await signAccessToken({ sub: ctx.user.id, tid: ctx.tenant.id, email: ctx.user.email, name: ctx.user.name }, ctx.deps.env.AUTH_SECRET, ttl);
    return { token, expiresAt: new Date(Date.now() + ttl * 1000).toISOString() };
  }),

  /**
   * The tenants you belong to (active memberships of your email), for the header's switcher, with how each is
   * entered: through its identity provider, or the development sign-in where it is on and the tenant has none.
   */
  memberships: tenantProcedure
    .output(z.array(z.object({ tenantId: z.string(), tenantSlug: z.string(), tenantName: z.string(), userId: z.string(), current: z.boolean() })))
    .query(async ({ ctx }) => {
      const all = await readDirectory(ctx.deps.db.db, ctx.user.email);
      return all.map((m) => ({ tenantId: m.tenantId, tenantSlug: m.tenantSlug, tenantName: m.tenantName, userId: m.userId, current: m.tenantId === ctx.tenant.id }));
    }),

  /** Who the bearer says you are (a session or an API token), before your tenant is consulted. */
  whoami: authedProcedure
    .output(z.object({ id: z.string(), tenantId: z.string(), via: z.enum(['session', 'token']) }))
    .query(({ ctx }) => ({ id: ctx.principal.userId, tenantId: ctx.principal.tenantId, via: ctx.principal.via })),

  /** Who you are in your tenant and what you may do now, as the database has it. */
  me: tenantProcedure
    .output(
      z.object({
        id: z.string(),
        email: z.string(),
        name: z.string(),
        roles: z.array(z.string()),
        permissions: z.array(z.object({ resource: z.string(), action: z.string(), scope: z.string() })),
        teams: z.array(z.string()),
        token: z.object({ id: z.string(), name: z.string() }).nullable(),
        tenant: z.object({ id: z.string(), slug: z.string() }),
        /** An admin of the platform tenant: the console shows Platform -> Tenants. */
        platformAdmin: z.boolean(),
      }),
    )
    .query(({ ctx }) => ({
      id: ctx.user.id,
      email: ctx.user.email,
      name: ctx.user.name,
      roles: ctx.user.roles,
      permissions: ctx.user.permissions,
      teams: ctx.user.teams,
      token: ctx.user.token,
      tenant: ctx.tenant,
      platformAdmin: ctx.tenant.slug === ctx.deps.env.PLATFORM_TENANT && scopeIn(ctx.user.permissions, 'tenant', 'manage') !== null,
    })),
});
