'use server';
import { headers } from 'next/headers';
import { redirect, RedirectType } from 'next/navigation';
import { authFor, readConsoleSession, SERVICES_TOKEN_PROVIDER, type TSessionIdp } from './auth';
import { toApiError } from './errors';
import { safeNextPath } from './session-cookie';
import { markTest, TEST_PATH } from './sso-test';
import { getPublicClient, internalClient } from './trpc/server';

const failed = (message: string, next: string) => `/signin?error=${encodeURIComponent(message)}&next=${encodeURIComponent(next)}`;

/**
 * Starts a session from a services token the services just minted (development sign-in, a SAML response): the
 * `services-token` provider verifies it and Auth.js writes the session cookie. Redirects to `next`.
 */
export async function startSession(token: string, idp: TSessionIdp | null, next: string): Promise<never> {
  const auth = await authFor();
  // Replace, not push: Back from the console must not return to the sign-in form the user has finished with.
  await auth.signIn(SERVICES_TOKEN_PROVIDER, { token, idp: idp ? JSON.stringify(idp) : '', redirectTo: next, redirect: false });
  redirect(next, RedirectType.replace);
}

/** Development sign-in: the services mint a token for the chosen seeded user. */
export async function devSignInAction(formData: FormData): Promise<void> {
  const userId = String(formData.get('userId') ?? '');
  const next = safeNextPath(formData.get('next'));
  let token: string;
  try {
    ({ token } = await getPublicClient().identity.devSignIn.mutate({ userId }));
  } catch (error) {
    redirect(failed(toApiError(error).message, next), RedirectType.replace);
  }
  await startSession(token, null, next);
}

/**
 * Single sign-on through one provider: SAML goes to the IdP with a fresh AuthnRequest (RelayState = where to land);
 * OIDC goes through Auth.js's code flow, with the email as the IdP's login hint.
 */
async function startSso(idpId: string, kind: string, next: string, email: string): Promise<never> {
  let url: string;
  try {
    if (kind === 'saml') {
      ({ url } = await getPublicClient().sso.samlStart.mutate({ idpId, relayState: next }));
    } else {
      const auth = await authFor(idpId);
      url = (await auth.signIn(idpId, { redirectTo: next, redirect: false }, email ? { login_hint: email } : undefined)) as string;
    }
  } catch (error) {
    redirect(failed(toApiError(error).message, next), RedirectType.replace);
  }
  redirect(url);
}

export async function ssoSignInAction(formData: FormData): Promise<void> {
  await startSso(String(formData.get('idpId') ?? ''), String(formData.get('kind') ?? ''), safeNextPath(formData.get('next')), String(formData.get('email') ?? ''));
}

/** "Test connection" (Settings -> Identity providers): a sign-in whose answer is shown, not turned into a session. */
export async function testProviderAction(formData: FormData): Promise<void> {
  const idpId = String(formData.get('idpId') ?? '');
  await markTest(idpId);
  await startSso(idpId, String(formData.get('kind') ?? ''), TEST_PATH, '');
}

/**
 * The header's tenant switcher: signs in to another tenant of the same person through that tenant's identity
 * provider (the email as login hint), or with the development sign-in where it is on and the tenant has none.
 */
export async function switchTenantAction(formData: FormData): Promise<void> {
  const tenant = String(formData.get('tenant') ?? '');
  const userId = String(formData.get('userId') ?? '');
  const session = await readConsoleSession();
  let providers: { id: string; kind: string }[] = [];
  let devSignIn = false;
  try {
    ({ providers, devSignIn } = await getPublicClient().sso.discover.query({ tenant }));
  } catch (error) {
    redirect(failed(toApiError(error).message, '/blueprints'), RedirectType.replace);
  }
  if (providers[0]) await startSso(providers[0].id, providers[0].kind, '/blueprints', session?.email ?? '');
  if (!devSignIn) redirect(failed(`tenant ${tenant} has no identity provider to sign in through: ask its administrator`, '/blueprints'), RedirectType.replace);
  let token: string;
  try {
    ({ token } = await getPublicClient().identity.devSignIn.mutate({ userId }));
  } catch (error) {
    redirect(failed(toApiError(error).message, '/blueprints'), RedirectType.replace);
  }
  await startSession(token, null, '/blueprints');
}

/**
 * Ends the console session, then the IdP's: SAML single logout (a LogoutRequest; the IdP answers at our SLO URL),
 * OIDC RP-initiated logout when the provider offers it. Without either, straight to the sign-in page.
 */
export async function signOutAction(): Promise<void> {
  const session = await readConsoleSession();
  const auth = await authFor();
  await auth.signOut({ redirect: false });
  const done = '/signin?reason=signed-out';
  let target = done;
  const idp = session?.idp;
  try {
    if (idp?.kind === 'saml' && idp.saml) {
      const { url } = await internalClient().sso.samlLogout.mutate({ idpId: idp.id, session: idp.saml, relayState: done });
      if (url) target = url;
    } else if (idp?.kind === 'oidc' && idp.endSessionUrl) {
      const url = new URL(idp.endSessionUrl);
      const h = await headers();
      if (idp.idToken) url.searchParams.set('id_token_hint', idp.idToken);
      if (idp.clientId) url.searchParams.set('client_id', idp.clientId);
      url.searchParams.set('post_logout_redirect_uri', `${h.get('x-forwarded-proto') ?? 'http'}://${h.get('host')}/signin?reason=signed-out`);
      target = url.toString();
    }
  } catch (error) {
    // The console session is over either way; the IdP's session could not be ended from here.
    target = `/signin?reason=signed-out&error=${encodeURIComponent(`the identity provider's session could not be ended: ${toApiError(error).message}`)}`;
  }
  redirect(target);
}
