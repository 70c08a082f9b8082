import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { TDirectoryEntry } from '@dharma/auth/directory';
import { ROLES } from '@dharma/auth/rbac';
import { MetadataError, parseIdpMetadata, ZOidcConfig, ZSamlConfig } from '@dharma/auth/sso/config';
import { mapIdentity, SsoRefusal, type TAssertedIdentity, type TSignInProvider } from '@dharma/auth/sso/identity';
import { discover, verifyIdToken } from '@dharma/auth/sso/oidc';
import { samlAnswerLogoutRequest, samlLogoutUrl, samlSignInUrl, samlValidateLogoutResponse, samlValidateResponse, spEndpoints, spMetadata, type TSamlRequestStore } from '@dharma/auth/sso/saml';
import { signAccessToken, verifyInternalToken } from '@dharma/auth/token';
import type { TAuditActor } from '@dharma/db/audit-context';
import { DomainError } from '@dharma/db/errors';
import { deleteIdentityProvider, listIdentityProviders, recordFailedSignIn, saveIdentityProvider, setSsoRequired, signInThroughProvider, ssoState } from '@dharma/db/queries/sso';
import { recordEvent } from '@dharma/db/queries/audit';
import { accessTags } from '../../trpc/auth';
import type { TContext } from '../../trpc/context';
import { permission, publicProcedure, router } from '../../trpc/procedures';
import { ZTestSignInInput, ZDeleteProviderInput, ZDiscoverInput, ZMetadataInput, ZOidcSignInInput, ZProviderIdInput, ZSamlLogoutCompleteInput, ZSamlLogoutInput, ZSamlSignInInput, ZSamlStartInput, ZSaveProviderInput, ZSignInResult, ZSsoRequiredInput } from './sso.schema';

/** Only the console's server: it proves itself with a one-minute token signed with the shared secret. */
const internalProcedure = publicProcedure.use(({ ctx, next }) => {
  const bearer = /^Bearer (.+)$/.exec(ctx.authorization ?? '')?.[1] ?? '';
  if (!verifyInternalToken(bearer, ctx.deps.env.AUTH_SECRET)) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'this procedure serves the console server only' });
  return next();
});

async function providerOrThrow(ctx: TContext, idpId: string, kind?: 'oidc' | 'saml'): Promise<TSignInProvider> {
  const idp = await ctx.deps.auth.identityProvider(idpId);
  if (!idp || (kind && idp.kind !== kind)) throw new TRPCError({ code: 'NOT_FOUND', message: `idpId: no enabled ${kind ? `${kind} ` : ''}identity provider with this id` });
  return idp;
}

/** The provider's settings, parsed again on every use (a row written by an older version is refused, not trusted). */
function settingsOf<T>(schema: z.ZodType<T>, idp: TSignInProvider): T {
  const parsed = schema.safeParse(idp.config);
  if (!parsed.success) throw new TRPCError({ code: 'PRECONDITION_FAILED', message: `identity provider "${idp.name}" is misconfigured: ${parsed.error.issues[0]!.path.join('.')} ${parsed.error.issues[0]!.message}` });
  return parsed.data;
}

/** node-saml's request cache and the replay guard, in the provider's tenant. */
function samlStore(ctx: TContext, idp: TSignInProvider): TSamlRequestStore {
  const run = <T>(fn: Parameters<TContext['deps']['inTenant']>[1]) => ctx.deps.inTenant(idp.tenantId, fn) as Promise<T>;
  const scope = { tenantId: idp.tenantId, idpId: idp.id };
  return {
    save: (id, kind, expiresAt) => run((tx) => ssoState.saveRequest(tx, { ...scope, id, kind, expiresAt })),
    pending: (id) => run((tx) => ssoState.pendingRequest(tx, { ...scope, id, ttlMs: 10 * 60_000 })),
    consume: (id) => run((tx) => ssoState.consumeRequest(tx, { ...scope, id })),
    acceptAssertion: (assertionId, expiresAt) => run((tx) => ssoState.acceptAssertion(tx, { ...scope, assertionId, expiresAt })),
  };
}

function providerActor(ctx: TContext, idp: TSignInProvider): TAuditActor {
  return { actorId: null, actorType: 'system', actorLabel: `identity provider ${idp.name}`, requestId: ctx.requestId, ip: ctx.clientIp, userAgent: ctx.userAgent };
}

/**
 * The end of every single sign-on: map the verified identity to roles, find or create the person in the provider's
 * tenant with those roles (one `auth.sign_in` event), and mint the services token. A refusal is recorded as
 * `auth.sign_in_failed` in the provider's tenant and answered 401 with the reason; nothing else is written.
 */
async function completeSignIn(ctx: TContext, idp: TSignInProvider, verify: () => Promise<TAssertedIdentity>) {
  let email: string | undefined;
  try {
    const identity = await verify();
    email = identity.email;
    const { roles } = mapIdentity(idp, identity);
    const done = await ctx.deps.inTenant(
      idp.tenantId,
      (tx) => signInThroughProvider(tx, { tenantId: idp.tenantId, idpId: idp.id, idpName: idp.name, kind: idp.kind, ...identity, roles, systemRoles: ROLES, actor: providerActor(ctx, idp) }),
      { audit: providerActor(ctx, idp) },
    );
    if (done.rolesChanged) await ctx.deps.cache.invalidate({ tenantId: idp.tenantId, tags: [accessTags.user(done.userId)] });
    const user = await ctx.deps.auth.directoryEntry(done.userId);
    if (!user) throw new SsoRefusal('inactive', 'the account is not active');
    return { ...(await mint(ctx, user)), justInTime: done.created };
  } catch (error) {
    const refusal = error instanceof SsoRefusal ? error : error instanceof DomainError && error.code === 'FORBIDDEN' ? new SsoRefusal('account', error.message) : null;
    if (!refusal) throw error;
    await ctx.deps.writeInTenant(idp.tenantId, (db) => [recordFailedSignIn(db, { idpId: idp.id, kind: idp.kind, reason: refusal.reason, message: refusal.message, email })], providerActor(ctx, idp));
    throw new TRPCError({ code: 'UNAUTHORIZED', message: `single sign-on through ${idp.name} refused: ${refusal.message}`, cause: refusal });
  }
}

async function mint(ctx: TContext, user: TDirectoryEntry) {
  const ttl = ctx.deps.env.AUTH_TOKEN_TTL_SECONDS;
  const token = await signAccessToken({ sub: user.userId, tid: user.tenantId, email: user.email, name: user.name }, ctx.deps.env.AUTH_SECRET, ttl);
  return { token, expiresAt: new Date(Date.now() + ttl * 1000).toISOString(), user };
}

const ZEndpoints = z.object({ entityId: z.string(), metadataUrl: z.string(), acsUrl: z.string(), sloUrl: z.string(), oidcCallbackUrl: z.string() });

function endpointsOf(ctx: TContext, idpId: string) {
  return { ...spEndpoints(ctx.deps.env.CONSOLE_URL, idpId), oidcCallbackUrl: `${ctx.deps.env.CONSOLE_URL}/api/auth/callback/${idpId}` };
}

/** A provider's settings from the form: the kind's schema, errors named by field (`config.issuer`). */
function validConfig(kind: 'oidc' | 'saml', config: unknown, keepSecret: boolean) {
  const schema = kind === 'oidc' ? (keepSecret ? ZOidcConfig.partial({ clientSecret: true }) : ZOidcConfig) : ZSamlConfig;
  const parsed = schema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DomainError('BAD_REQUEST', `config.${issue.path.join('.')}: ${issue.message}`, `config.${issue.path.join('.')}`);
  }
  return parsed.data as Record<string, unknown>;
}

export const ssoRouter = router({
  /** Where to sign in: the providers for an email's domain, or for a tenant's sign-in link. */
  discover: publicProcedure
    .input(ZDiscoverInput)
    .output(z.object({ providers: z.array(z.object({ id: z.string(), tenantSlug: z.string(), tenantName: z.string(), kind: z.enum(['oidc', 'saml']), name: z.string(), ssoRequired: z.boolean() })), devSignIn: z.boolean() }))
    .query(async ({ ctx, input }) => ({ providers: await ctx.deps.auth.ssoProviders(input), devSignIn: ctx.deps.env.DEV_LOGIN })),

  /** What Auth.js needs to run the code flow for one OIDC provider (its client secret included): the console only. */
  oidcClient: internalProcedure
    .input(ZProviderIdInput)
    .output(z.object({ id: z.string(), name: z.string(), tenantSlug: z.string(), issuer: z.string(), clientId: z.string(), clientSecret: z.string(), endSessionUrl: z.string().nullable() }))
    .query(async ({ ctx, input }) => {
      const idp = await providerOrThrow(ctx, input.idpId, 'oidc');
      const cfg = settingsOf(ZOidcConfig, idp);
      const { doc } = await discover(cfg.issuer);
      return { id: idp.id, name: idp.name, tenantSlug: idp.tenantSlug, issuer: cfg.issuer, clientId: cfg.clientId, clientSecret: cfg.clientSecret, endSessionUrl: doc.end_session_endpoint ?? null };
    }),

  /** An ID token Auth.js received (state, nonce and PKCE checked there), verified again here, to a session. */
  oidcSignIn: publicProcedure
    .input(ZOidcSignInInput)
    .output(ZSignInResult)
    .mutation(async ({ ctx, input }) => {
      const idp = await providerOrThrow(ctx, input.idpId, 'oidc');
      const cfg = settingsOf(ZOidcConfig, idp);
      return { ...(await completeSignIn(ctx, idp, () => verifyIdToken(cfg, input.idToken))), saml: null };
    }),

  /** The IdP's URL with a fresh AuthnRequest (HTTP-Redirect binding). */
  samlStart: publicProcedure
    .input(ZSamlStartInput)
    .output(z.object({ url: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const idp = await providerOrThrow(ctx, input.idpId, 'saml');
      return { url: await samlSignInUrl(settingsOf(ZSamlConfig, idp), spEndpoints(ctx.deps.env.CONSOLE_URL, idp.id), samlStore(ctx, idp), input.relayState) };
    }),

  /** A SAMLResponse POSTed to the ACS URL, validated, to a session. */
  samlSignIn: publicProcedure
    .input(ZSamlSignInInput)
    .output(ZSignInResult)
    .mutation(async ({ ctx, input }) => {
      const idp = await providerOrThrow(ctx, input.idpId, 'saml');
      const cfg = settingsOf(ZSamlConfig, idp);
      let session: { nameId: string; nameIdFormat: string | null; sessionIndex: string | null } | null = null;
      const out = await completeSignIn(ctx, idp, async () => {
        const result = await samlValidateResponse(cfg, spEndpoints(ctx.deps.env.CONSOLE_URL, idp.id), samlStore(ctx, idp), input.samlResponse);
        session = result.session;
        return result.identity;
      });
      return { ...out, saml: session };
    }),

  /** The IdP's single-logout URL for a session the console ends (null: the IdP has no SLO endpoint). */
  samlLogout: internalProcedure
    .input(ZSamlLogoutInput)
    .output(z.object({ url: z.string().nullable() }))
    .mutation(async ({ ctx, input }) => {
      const idp = await providerOrThrow(ctx, input.idpId, 'saml');
      return { url: await samlLogoutUrl(settingsOf(ZSamlConfig, idp), spEndpoints(ctx.deps.env.CONSOLE_URL, idp.id), samlStore(ctx, idp), input.session, input.relayState) };
    }),

  /** The IdP's LogoutResponse (signed, HTTP-Redirect binding) to a LogoutRequest this SP sent. */
  samlLogoutComplete: publicProcedure
    .input(ZSamlLogoutCompleteInput)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      const idp = await providerOrThrow(ctx, input.idpId, 'saml');
      const query = Object.fromEntries(new URLSearchParams(input.query));
      try {
        await samlValidateLogoutResponse(settingsOf(ZSamlConfig, idp), spEndpoints(ctx.deps.env.CONSOLE_URL, idp.id), samlStore(ctx, idp), query, input.query);
      } catch (error) {
        if (error instanceof SsoRefusal) throw new TRPCError({ code: 'BAD_REQUEST', message: `the logout response from ${idp.name} is not valid: ${error.message}`, cause: error });
        throw error;
      }
      return { ok: true as const };
    }),

  /**
   * IdP-initiated single logout: a signed LogoutRequest from the IdP, answered with the URL of our LogoutResponse and
   * the person it names (the console ends that person's session in the browser that brought the request).
   */
  samlIdpLogout: publicProcedure
    .input(ZSamlLogoutCompleteInput)
    .output(z.object({ url: z.string(), nameId: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const idp = await providerOrThrow(ctx, input.idpId, 'saml');
      const query = Object.fromEntries(new URLSearchParams(input.query));
      try {
        const out = await samlAnswerLogoutRequest(settingsOf(ZSamlConfig, idp), spEndpoints(ctx.deps.env.CONSOLE_URL, idp.id), samlStore(ctx, idp), query, input.query);
        return { url: out.responseUrl, nameId: out.nameId };
      } catch (error) {
        if (error instanceof SsoRefusal) throw new TRPCError({ code: 'BAD_REQUEST', message: `the logout request from ${idp.name} is not valid: ${error.message}`, cause: error });
        throw error;
      }
    }),

  /** This SP's metadata XML for one provider: public, as IdPs fetch it. */
  spMetadata: publicProcedure
    .input(ZProviderIdInput)
    .output(z.object({ xml: z.string() }))
    .query(async ({ ctx, input }) => {
      const idp = await providerOrThrow(ctx, input.idpId, 'saml');
      return { xml: spMetadata(settingsOf(ZSamlConfig, idp), spEndpoints(ctx.deps.env.CONSOLE_URL, idp.id), samlStore(ctx, idp)) };
    }),

  /** Settings -> Identity providers: the tenant's providers (no secrets), "SSO required", and the URLs for each. */
  list: permission('tenant', 'read')
    .output(z.object({ ssoRequired: z.boolean(), consoleUrl: z.string(), providers: z.array(z.object({ id: z.string(), kind: z.enum(['oidc', 'saml']), name: z.string(), enabled: z.boolean(), config: z.record(z.string(), z.unknown()), groupRoles: z.array(z.object({ group: z.string(), role: z.string() })), defaultRoles: z.array(z.string()), domains: z.array(z.string()), createdAt: z.string(), updatedAt: z.string(), endpoints: ZEndpoints })) }))
    .query(async ({ ctx }) => {
      const out = await ctx.tx((tx) => listIdentityProviders(tx, { tenantId: ctx.tenant.id }), { readOnly: true });
      return { ssoRequired: out.ssoRequired, consoleUrl: ctx.deps.env.CONSOLE_URL, providers: out.providers.map((p) => ({ ...p, endpoints: endpointsOf(ctx, p.id) })) };
    }),

  /** Creates or updates a provider; takes effect at the next sign-in, no restart. */
  save: permission('tenant', 'update')
    .input(ZSaveProviderInput)
    .output(z.object({ id: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const config = validConfig(input.kind, input.config, input.id !== undefined);
      const saved = await ctx.tx((tx) => saveIdentityProvider(tx, { tenantId: ctx.tenant.id, id: input.id, systemRoles: ROLES, input: { ...input, config } }));
      ctx.deps.auth.forgetIdentityProvider(saved.id);
      return { id: saved.id };
    }),

  delete: permission('tenant', 'update')
    .input(ZDeleteProviderInput)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await ctx.tx((tx) => deleteIdentityProvider(tx, { tenantId: ctx.tenant.id, id: input.id }));
      ctx.deps.auth.forgetIdentityProvider(input.id);
      return { ok: true as const };
    }),

  setSsoRequired: permission('tenant', 'update')
    .input(ZSsoRequiredInput)
    .output(z.object({ ssoRequired: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      await ctx.tx((tx) => setSsoRequired(tx, { tenantId: ctx.tenant.id, required: input.ssoRequired }));
      return { ssoRequired: input.ssoRequired };
    }),

  /**
   * "Test connection": an admin's own sign-in through a provider of their tenant, verified exactly as a sign-in is,
   * but nobody is signed in, created or changed: the claims received and the roles they would map to, or the reason
   * for the refusal. One `identity_provider.test` event.
   */
  testSignIn: permission('tenant', 'update')
    .input(ZTestSignInInput)
    .output(
      z.object({
        ok: z.boolean(),
        provider: z.string(),
        identity: z.object({ subject: z.string(), email: z.string(), name: z.string(), groups: z.array(z.string()) }).nullable(),
        roles: z.array(z.string()),
        reason: z.string().nullable(),
        message: z.string().nullable(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const idp = await providerOrThrow(ctx, input.idpId);
      if (idp.tenantId !== ctx.tenant.id) throw new TRPCError({ code: 'NOT_FOUND', message: 'idpId: no enabled identity provider with this id' });
      let identity: TAssertedIdentity | null = null;
      let result: { roles: string[]; reason: string | null; message: string | null };
      try {
        if (idp.kind === 'oidc') identity = await verifyIdToken(settingsOf(ZOidcConfig, idp), input.idToken ?? '');
        else identity = (await samlValidateResponse(settingsOf(ZSamlConfig, idp), spEndpoints(ctx.deps.env.CONSOLE_URL, idp.id), samlStore(ctx, idp), input.samlResponse ?? '')).identity;
        result = { roles: mapIdentity(idp, identity).roles, reason: null, message: null };
      } catch (error) {
        if (!(error instanceof SsoRefusal)) throw error;
        result = { roles: [], reason: error.reason, message: error.message };
      }
      await ctx.tx((tx) => recordEvent(tx, { action: 'identity_provider.test', targetType: 'identity_provider', targetId: idp.id, after: { ok: result.reason === null, reason: result.reason, email: identity?.email ?? null, roles: result.roles } }));
      return { ok: result.reason === null, provider: idp.name, identity, ...result };
    }),

  /** An IdP's metadata XML (pasted or uploaded) to the SAML settings it carries; refused with the reason. */
  parseMetadata: permission('tenant', 'update')
    .input(ZMetadataInput)
    .output(z.object({ entityId: z.string(), ssoUrl: z.string(), sloUrl: z.string().optional(), certificates: z.array(z.string()) }))
    .mutation(({ input }) => {
      try {
        return parseIdpMetadata(input.xml);
      } catch (error) {
        if (error instanceof MetadataError) throw new DomainError('BAD_REQUEST', `xml: the metadata ${error.message}`, 'xml');
        throw error;
      }
    }),
});
