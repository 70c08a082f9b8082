import 'server-only';
import NextAuth, { type NextAuthConfig } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { getToken } from 'next-auth/jwt';
import { headers } from 'next/headers';
import { cache } from 'react';
import { TokenError, verifyAccessToken } from '@dharma/auth/token';
import { env } from '../env';
import { toApiError } from './errors';
import { renewed } from './session-renewal';
import { isTestOf, saveTestResult, TEST_PATH } from './sso-test';
import { clientWithToken, getPublicClient, getServerClient, internalClient } from './trpc/server';

/**
 * The console session (Auth.js v5, JWT strategy, encrypted cookie). Every sign-in ends with a services access token
 * inside it, which the console server sends as the bearer and the browser's scripts never see:
 * - OIDC providers run Auth.js's authorization code flow (PKCE, state and nonce checked); the ID token is then
 *   verified again by the services (`sso.oidcSignIn`), which map groups to roles and mint the token.
 * - SAML and the development sign-in get their token from the services first (the ACS route, the sign-in action)
 *   and hand it to the `services-token` credentials provider, which accepts nothing but a token the services signed.
 */
export const SERVICES_TOKEN_PROVIDER = 'services-token';

export interface TSessionIdp {
  id: string;
  kind: 'oidc' | 'saml';
  /** SAML: what single logout sends back to the IdP. */
  saml?: { nameId: string; nameIdFormat: string | null; sessionIndex: string | null } | null;
  /** OIDC: the ID token, as the hint of an RP-initiated logout. */
  idToken?: string;
  endSessionUrl?: string | null;
  clientId?: string;
}

interface TConsoleJwt {
  svc: string;
  svcExp: number;
  tid: string;
  idp: TSessionIdp | null;
}

interface TSignedIn {
  id: string;
  name: string;
  email: string;
  console: TConsoleJwt;
}

const tokenProvider = Credentials({
  id: SERVICES_TOKEN_PROVIDER,
  name: 'IaC Dharma',
  credentials: { token: {}, idp: {} },
  async authorize(credentials) {
    const token = typeof credentials.token === 'string' ? credentials.token : '';
    try {
      const claims = await verifyAccessToken(token, env.AUTH_SECRET);
      const idp = typeof credentials.idp === 'string' && credentials.idp ? (JSON.parse(credentials.idp) as TSessionIdp) : null;
      const user: TSignedIn = { id: claims.sub, name: claims.name, email: claims.email, console: { svc: token, svcExp: claims.exp, tid: claims.tid, idp } };
      return user;
    } catch (error) {
      if (error instanceof TokenError || error instanceof SyntaxError) return null;
      throw error;
    }
  },
});

/** An OIDC provider of a tenant, as Auth.js runs it: its settings come from the services at each request. */
async function oidcProvider(idpId: string) {
  const c = await internalClient().sso.oidcClient.query({ idpId });
  return {
    id: c.id,
    name: c.name,
    type: 'oidc' as const,
    issuer: c.issuer,
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    checks: ['pkce', 'state', 'nonce'] as ('pkce' | 'state' | 'nonce')[],
    authorization: { params: { scope: 'openid email profile groups' } },
    endSessionUrl: c.endSessionUrl,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The session's lifetime follows the services token's (`AUTH_TOKEN_TTL_SECONDS`, one hour by default). */
const SESSION_MAX_AGE = 3600;

function config(providers: NextAuthConfig['providers']): NextAuthConfig {
  return {
    secret: env.AUTH_SECRET,
    trustHost: true,
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE },
    useSecureCookies: env.AUTH_COOKIE_SECURE,
    pages: { signIn: '/signin', error: '/signin' },
    providers,
    callbacks: {
      /** OIDC: the services verify the ID token and map the person; a refusal goes back to the sign-in page. */
      async signIn({ user, account }) {
        if (!account || account.type !== 'oidc') return true;
        if (await isTestOf(account.provider)) {
          // "Test connection": the admin's session verifies the answer; nobody is signed in.
          try {
            await saveTestResult(await (await getServerClient()).sso.testSignIn.mutate({ idpId: account.provider, idToken: account.id_token ?? '' }));
          } catch (error) {
            await saveTestResult({ ok: false, provider: account.provider, identity: null, roles: [], reason: 'error', message: toApiError(error).message });
          }
          return TEST_PATH;
        }
        try {
          const out = await getPublicClient().sso.oidcSignIn.mutate({ idpId: account.provider, idToken: account.id_token ?? '' });
          const provider = providers.find((p) => typeof p !== 'function' && 'id' in p && p.id === account.provider) as { endSessionUrl?: string | null; clientId?: string } | undefined;
          const signedIn = user as unknown as TSignedIn;
          signedIn.id = out.user.userId;
          signedIn.console = {
            svc: out.token,
            svcExp: Math.floor(Date.parse(out.expiresAt) / 1000),
            tid: out.user.tenantId,
            idp: { id: account.provider, kind: 'oidc', idToken: account.id_token ?? '', endSessionUrl: provider?.endSessionUrl ?? null, clientId: provider?.clientId ?? '' },
          };
          return true;
        } catch (error) {
          return `/signin?error=${encodeURIComponent(toApiError(error).message)}`;
        }
      },
      async jwt({ token, user, trigger, session }) {
        const signedIn = user as unknown as TSignedIn | undefined;
        if (signedIn?.console) return { sub: signedIn.id, name: signedIn.name, email: signedIn.email, ...signedIn.console };
        if (trigger === 'update') return renewed(token, session, env.AUTH_SECRET);
        return token;
      },
      /** What `/api/auth/session` tells the browser: who, never the services token. */
      session({ session, token }) {
        return { ...session, user: { id: token.sub ?? '', name: token.name ?? '', email: token.email ?? '' } } as typeof session;
      },
    },
  };
}

/** Renew the services token this long before it expires, at the session's next call through the console. */
const RENEW_BEFORE_SECONDS = 15 * 60;

/**
 * The services token of this request's session, renewed first when it is within RENEW_BEFORE_SECONDS of expiry: the
 * services mint a new one (refused for a disabled user or a suspended tenant, who then meet the expiry) and the
 * session stores it. For Route Handlers (a session cookie can only be written there and in Server Actions).
 */
export async function sessionTokenRenewedIfDue(): Promise<string | null> {
  const session = await readConsoleSession();
  if (!session || session.svcExp - Date.now() / 1000 > RENEW_BEFORE_SECONDS) return session?.svc ?? null;
  try {
    const { token } = await clientWithToken(session.svc).identity.renew.mutate();
    await (await authFor()).unstable_update({ svc: token } as never);
    return token;
  } catch {
    // Not renewed: the session ends when its token does, as it would have.
    return session.svc;
  }
}

/** The console's Auth.js, with the providers one request needs (the token provider always, an OIDC provider by id). */
export async function authFor(idpId?: string | null) {
  const providers: NextAuthConfig['providers'] = [tokenProvider];
  if (idpId && UUID.test(idpId)) providers.push(await oidcProvider(idpId));
  return NextAuth(config(providers));
}

/** The provider id in an Auth.js URL: /api/auth/signin/<id>, /api/auth/callback/<id>. */
export function providerIdOf(pathname: string): string | null {
  const m = /\/api\/auth\/(?:signin|callback)\/([^/?#]+)/.exec(pathname);
  return m && m[1] !== SERVICES_TOKEN_PROVIDER ? decodeURIComponent(m[1]!) : null;
}

/**
 * The session of this request, as the console server reads it (the services token included), or null. Decrypted once
 * per server render (React's `cache`): the console layout and the services client both ask for it.
 */
export const readConsoleSession = cache(async (): Promise<(TConsoleJwt & { sub: string; email: string; name: string }) | null> => {
  const jwt = await getToken({ req: { headers: await headers() }, secret: env.AUTH_SECRET, secureCookie: env.AUTH_COOKIE_SECURE });
  if (!jwt || typeof jwt.svc !== 'string' || typeof jwt.svcExp !== 'number') return null;
  if (jwt.svcExp * 1000 <= Date.now()) return null;
  return jwt as unknown as TConsoleJwt & { sub: string; email: string; name: string };
});


