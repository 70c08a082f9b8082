/**
 * A real, local OpenID Connect provider (oidc-provider 9) for `npm run dev` and tests.
 *
 * - Authorization code flow only, PKCE (S256) required, client_secret_basic or client_secret_post.
 * - Scopes openid, email, profile, groups; ID tokens (RS256, the dev `idp` key) carry email, email_verified, name
 *   and groups (`conformIdTokenClaims: false`).
 * - Our own minimal interaction pages replace oidc-provider's dev interactions: pick a seeded person, which
 *   logs in and grants the requested scopes in one step.
 * - Redirect and post-logout redirect URIs are matched by prefix (the web app's callback ends in a provider id
 *   that is not known in advance).
 * - Everything is in memory.
 */
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- oidc-provider ships no types; carry ours to importers
/// <reference path="./oidc-provider.d.ts" />
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { type Configuration, type InteractionDetails, type OidcContext } from 'oidc-provider';
import { esc, orderByHint, page, sendHtml, userPickerPage } from './html';
import { HttpError, readForm, urlHasAllowedPrefix } from './http-util';
import { devKeys, privateJwk } from './keys';
import { DEV_IDP_USERS, type DevIdpUser } from './users';

export interface OidcClientConfig {
  clientId: string;
  clientSecret: string;
  /** Any redirect_uri starting with one of these (same origin, canonical URL) is accepted. */
  redirectUriPrefixes: string[];
  /** Same for post_logout_redirect_uri; defaults to `redirectUriPrefixes`. */
  postLogoutRedirectUriPrefixes?: string[];
}

export interface CreateOidcIdpOptions {
  /** Issuer identifier, may have a path (e.g. `http://localhost:4600/oidc`): the provider is mounted there. */
  issuer: string;
  clients: OidcClientConfig[];
  users?: DevIdpUser[];
  /** Enables fault injection for tests (see `injectFaults`). Never on by default. */
  faults?: boolean;
  /** Signing key pair (PEM); defaults to the committed dev `idp` key. */
  signingKey?: { key: string; cert: string };
}

export interface OidcIdp {
  provider: Provider;
  /** node:http request listener for every path under the issuer's path. */
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

const HEADING = 'Dharma dev OIDC provider';

export function createOidcIdp(opts: CreateOidcIdpOptions): OidcIdp {
  const users = opts.users ?? DEV_IDP_USERS;
  const signing = opts.signingKey ?? devKeys().idp;
  // Mount path = the issuer's path without a trailing slash ('' when the issuer has no path).
  const mountPath = new URL(opts.issuer).pathname.replace(/\/+$/, '');
  const interactionBase = `${mountPath}/interaction/`;

  const redirectPrefixes = new Map(opts.clients.map((c) => [c.clientId, c.redirectUriPrefixes]));
  const logoutPrefixes = new Map(
    opts.clients.map((c) => [c.clientId, c.postLogoutRedirectUriPrefixes ?? c.redirectUriPrefixes]),
  );

  const configuration: Configuration = {
    clients: opts.clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      // Registered URIs must validate as client metadata: the prefixes themselves are valid example URIs.
      // Actual requests are matched by prefix (see the Client prototype overrides below).
      redirect_uris: c.redirectUriPrefixes,
      post_logout_redirect_uris: c.postLogoutRedirectUriPrefixes ?? c.redirectUriPrefixes,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      // oidc-provider accepts client_secret_basic and client_secret_post interchangeably for a client
      // registered with either one; `clientAuthMethods` below limits the server to those two.
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    responseTypes: ['code'],
    // RFC 7636 / RFC 9700: PKCE on every authorization request. oidc-provider 9 only implements S256
    // (`plain` is refused), so this also enforces the method.
    pkce: { required: () => true },
    // The registered redirect_uris are examples, never a default: a request must name its redirect_uri.
    allowOmittingSingleRegisteredRedirectUri: false,
    scopes: ['openid', 'email', 'profile', 'groups'],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      groups: ['groups'],
    },
    // Put scope-requested claims in the ID token too (what Okta/Entra do and what NextAuth reads).
    conformIdTokenClaims: false,
    async findAccount(_ctx: OidcContext, sub: string) {
      const u = users.find((x) => x.sub === sub);
      if (!u) return undefined;
      return {
        accountId: u.sub,
        // oidc-provider filters these by the granted scopes/claims.
        async claims() {
          return { sub: u.sub, email: u.email, email_verified: true, name: u.name, groups: [...u.groups] };
        },
      };
    },
    jwks: { keys: [privateJwk(signing.key, signing.cert)] },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
    },
    interactions: {
      url: (_ctx: OidcContext, interaction: { uid: string }) => `${interactionBase}${interaction.uid}`,
    },
    // Plain http on localhost: no `secure` flag (oidc-provider only sets it on https requests). Signed cookies
    // with a fixed dev key; names prefixed so they never collide with the web app's cookies on `localhost`
    // (cookies are not port-scoped).
    cookies: {
      keys: ['dharma-dev-idp-cookie-signing-key'],
      names: { session: 'dharma_idp_session', interaction: 'dharma_idp_interaction', resume: 'dharma_idp_resume' },
      long: { httpOnly: true, sameSite: 'lax', signed: true },
      short: { httpOnly: true, sameSite: 'lax', signed: true },
    },
    // Explicit lifetimes (seconds); the defaults work too but print a notice each.
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: 14 * 24 * 3600,
      Interaction: 3600,
      Session: 14 * 24 * 3600,
      Grant: 14 * 24 * 3600,
    },
    clientBasedCORS: () => false,
    renderError,
    adapter: createMemoryAdapterFactory(),
  };

  const provider = new Provider(opts.issuer, configuration);

  // Redirect URI matching by prefix, the way oidc-provider's "redirect_uri wildcards" recipe does it: override
  // the Client model's checks. `provider.Client` is a class per provider instance, so this affects only this
  // provider. The exact registered URIs still pass; everything else must match the client's prefixes.
  const clientProto = provider.Client.prototype;
  const exactRedirect = clientProto.redirectUriAllowed;
  const exactLogout = clientProto.postLogoutRedirectUriAllowed;
  clientProto.redirectUriAllowed = function (this: { clientId: string }, value: string) {
    return exactRedirect.call(this, value) || urlHasAllowedPrefix(value, redirectPrefixes.get(this.clientId) ?? []);
  };
  clientProto.postLogoutRedirectUriAllowed = function (this: { clientId: string }, value: string) {
    return exactLogout.call(this, value) || urlHasAllowedPrefix(value, logoutPrefixes.get(this.clientId) ?? []);
  };

  provider.on('server_error', (_ctx: unknown, err: unknown) => {
    console.error('dev-idp oidc: server error', err);
  });

  const callback = provider.callback();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://dev-idp.invalid');
    const path = url.pathname;

    if (path.startsWith(interactionBase)) {
      await handleInteraction(req, res, path.slice(interactionBase.length));
      return;
    }

    if (mountPath && path !== mountPath && !path.startsWith(`${mountPath}/`)) {
      sendHtml(res, 404, page('Not found', '<h1>Not found</h1>'));
      return;
    }

    if (opts.faults && req.method === 'GET' && path === `${mountPath}/auth`) {
      injectFaults(req, url);
    }

    // Mounting under a path with a plain node:http server, as oidc-provider's docs do it for hapi/nest:
    // keep the full URL in `originalUrl` (oidc-provider derives the mount path, and so every URL it
    // generates, from it) and hand the provider the URL relative to the mount point.
    if (mountPath) {
      const original = req.url ?? '/';
      (req as IncomingMessage & { originalUrl?: string }).originalUrl = original;
      req.url = original.slice(mountPath.length) || '/';
      if (!req.url.startsWith('/')) req.url = `/${req.url}`;
    }
    callback(req, res);
  }

  /**
   * Test-only faults (`faults: true`). `login_hint` containing `wrong-nonce`: replace the request's `nonce`
   * before oidc-provider sees it, so the ID token carries a nonce the client never sent (the client must
   * refuse it).
   */
  function injectFaults(req: IncomingMessage, url: URL): void {
    const hint = url.searchParams.get('login_hint') ?? '';
    if (hint.includes('wrong-nonce')) {
      url.searchParams.set('nonce', `injected-${randomBytes(12).toString('hex')}`);
      req.url = `${url.pathname}${url.search}`;
    }
  }

  async function handleInteraction(req: IncomingMessage, res: ServerResponse, rest: string): Promise<void> {
    // rest = "<uid>" (GET: show the page) or "<uid>/login" | "<uid>/abort" (POST)
    const [uid, action] = rest.split('/');
    let details: InteractionDetails;
    try {
      details = await provider.interactionDetails(req, res);
    } catch (err) {
      sendHtml(
        res,
        400,
        page(
          'Sign-in expired',
          `<h1>${esc(HEADING)}</h1><p class="error">This sign-in request has expired or is unknown (${esc((err as Error).message)}). Start again from the application.</p>`,
        ),
      );
      return;
    }
    // The interaction cookie identifies the request; the uid in the path must be the same one.
    if (!uid || details.uid !== uid) {
      sendHtml(res, 400, page('Bad request', `<h1>${esc(HEADING)}</h1><p class="error">Interaction mismatch.</p>`));
      return;
    }

    if (req.method === 'GET' && action === undefined) {
      if (details.prompt.name === 'consent') {
        // Already signed in at the IdP (SSO session): grant silently, like a first-party app at a real IdP.
        const grantId = await saveGrant(details, details.session?.accountId ?? '');
        await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
        return;
      }
      if (details.prompt.name !== 'login') {
        sendHtml(res, 400, page('Unsupported', `<h1>${esc(HEADING)}</h1><p class="error">Unsupported prompt ${esc(details.prompt.name)}.</p>`));
        return;
      }
      const hint = typeof details.params.login_hint === 'string' ? details.params.login_hint : undefined;
      const client = typeof details.params.client_id === 'string' ? details.params.client_id : 'unknown client';
      sendHtml(
        res,
        200,
        userPickerPage({
          heading: HEADING,
          intro: `Sign in to ${client} as:`,
          action: `${interactionBase}${uid}/login`,
          users: orderByHint(users, hint),
          cancel: { name: 'cancel', value: '1', label: 'Cancel (deny access)' },
        }),
      );
      return;
    }

    if (req.method === 'POST' && action === 'login') {
      const form = await readForm(req);
      if (form.get('cancel')) {
        await provider.interactionFinished(
          req,
          res,
          { error: 'access_denied', error_description: 'the user cancelled the sign-in' },
          { mergeWithLastSubmission: false },
        );
        return;
      }
      const user = users.find((u) => u.email === form.get('email'));
      if (!user) throw new HttpError(400, 'unknown user');
      // Login and consent in one step: the person is authenticated and the requested scopes/claims are
      // granted, so the browser goes straight back to the client.
      const grantId = await saveGrant(details, user.sub);
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: user.sub, remember: true }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
      return;
    }

    sendHtml(res, 405, page('Method not allowed', '<h1>Method not allowed</h1>'));
  }

  /** Grants what the authorization request asked for (scope, plus any `claims` parameter), per the docs' example. */
  async function saveGrant(details: InteractionDetails, accountId: string): Promise<string> {
    const clientId = String(details.params.client_id);
    let grant = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
    // A grant from an earlier sign-in belongs to that account; never extend it to another one.
    if (grant && grant.accountId !== accountId) grant = undefined;
    grant ??= new provider.Grant({ accountId, clientId });
    if (typeof details.params.scope === 'string') grant.addOIDCScope(details.params.scope);
    const missing = details.prompt.details;
    if (Array.isArray(missing.missingOIDCScope)) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (Array.isArray(missing.missingOIDCClaims)) grant.addOIDCClaims(missing.missingOIDCClaims);
    if (typeof details.params.claims === 'string') {
      try {
        const requested = JSON.parse(details.params.claims) as Record<string, Record<string, unknown> | null>;
        grant.addOIDCClaims([...Object.keys(requested.id_token ?? {}), ...Object.keys(requested.userinfo ?? {})]);
      } catch {
        // oidc-provider already validated the parameter; nothing to add.
      }
    }
    return grant.save();
  }

  function handler(req: IncomingMessage, res: ServerResponse): void {
    handle(req, res).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      if (status === 500) console.error('dev-idp oidc:', err);
      if (!res.headersSent) {
        sendHtml(res, status, page('Error', `<h1>${esc(HEADING)}</h1><p class="error">${esc((err as Error).message)}</p>`));
      } else {
        res.end();
      }
    });
  }

  return { provider, handler };
}

/**
 * RP-initiated logout: oidc-provider asks the user to confirm when a session exists. We submit the confirmation
 * (logout=yes: end the IdP session) automatically, so the browser returns to post_logout_redirect_uri without
 * an extra click; the button remains for browsers without JavaScript and is what tests can press.
 */
async function logoutSource(ctx: OidcContext, form: string): Promise<void> {
  ctx.type = 'html';
  ctx.body = page(
    'Signing out',
    `<h1>${esc(HEADING)}</h1><p>Signing you out…</p>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes" data-testid="idp-logout-confirm">Sign out</button>
<script>document.querySelector('[data-testid="idp-logout-confirm"]').click();</script>`,
  );
}

async function postLogoutSuccessSource(ctx: OidcContext): Promise<void> {
  ctx.type = 'html';
  ctx.body = page('Signed out', `<h1>${esc(HEADING)}</h1><p data-testid="idp-signed-out">You are signed out.</p>`);
}

async function renderError(ctx: OidcContext, out: Record<string, unknown>): Promise<void> {
  ctx.type = 'html';
  ctx.body = page(
    'Error',
    `<h1>${esc(HEADING)}</h1><div class="error" data-testid="idp-error">${Object.entries(out)
      .map(([k, v]) => `<p><strong>${esc(k)}</strong>: ${esc(v)}</p>`)
      .join('')}</div>`,
  );
}

/**
 * A per-provider in-memory adapter (the interface of oidc-provider's example/my_adapter.js). Same behaviour as
 * the built-in memory adapter, but passing our own keeps oidc-provider from warning on every start, and each
 * provider instance gets its own store (tests start several).
 */
function createMemoryAdapterFactory() {
  type Payload = Record<string, unknown> & { grantId?: string; userCode?: string; uid?: string; consumed?: number };
  const store = new Map<string, { payload: Payload; expiresAt?: number }>();
  const grants = new Map<string, Set<string>>();
  let writes = 0;

  const live = (key: string): Payload | undefined => {
    const entry = store.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      store.delete(key);
      return undefined;
    }
    return entry.payload;
  };

  class MemoryAdapter {
    constructor(private readonly model: string) {}

    private key(id: string): string {
      return `${this.model}:${id}`;
    }

    async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
      // Drop expired entries now and then, so a long-running dev server does not grow without bound.
      if (++writes % 500 === 0) for (const k of [...store.keys()]) live(k);
      const key = this.key(id);
      store.set(key, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined });
      if (payload.grantId) {
        const set = grants.get(payload.grantId) ?? new Set<string>();
        set.add(key);
        grants.set(payload.grantId, set);
      }
    }

    async find(id: string): Promise<Payload | undefined> {
      return live(this.key(id));
    }

    async findByUid(uid: string): Promise<Payload | undefined> {
      for (const [key] of store) {
        if (!key.startsWith(`${this.model}:`)) continue;
        const p = live(key);
        if (p?.uid === uid) return p;
      }
      return undefined;
    }

    async findByUserCode(userCode: string): Promise<Payload | undefined> {
      for (const [key] of store) {
        if (!key.startsWith(`${this.model}:`)) continue;
        const p = live(key);
        if (p?.userCode === userCode) return p;
      }
      return undefined;
    }

    async consume(id: string): Promise<void> {
      const p = live(this.key(id));
      if (p) p.consumed = Math.floor(Date.now() / 1000);
    }

    async destroy(id: string): Promise<void> {
      store.delete(this.key(id));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      for (const key of grants.get(grantId) ?? []) store.delete(key);
      grants.delete(grantId);
    }
  }

  return MemoryAdapter;
}
