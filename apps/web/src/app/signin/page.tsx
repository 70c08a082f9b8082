import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { toApiError, type TApiError } from '../../lib/errors';
import { devSignInAction, ssoSignInAction } from '../../lib/session-actions';
import { safeNextPath } from '../../lib/session-cookie';
import { readToken } from '../../lib/session';
import { getPublicClient, getServerClient } from '../../lib/trpc/server';
import { RoleList } from '../../components/ui/badges';
import { initials } from '../../lib/format';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

type TDirectory = Awaited<ReturnType<ReturnType<typeof getPublicClient>['identity']['devDirectory']['query']>>;

const REASONS: Record<string, { kind: 'info' | 'warning'; text: string }> = {
  expired: { kind: 'warning', text: 'Your session has expired or was revoked. Sign in again to continue.' },
  'signed-out': { kind: 'info', text: 'You have signed out.' },
};

/** Auth.js reports a failed sign-in by a code (`?error=Configuration`); these are what each means to the person. */
const AUTHJS_ERRORS: Record<string, string> = {
  Configuration: "the identity provider's answer could not be verified (a state, nonce, PKCE or code check failed, or the provider is misconfigured). Start again; if it keeps failing, tell your administrator.",
  AccessDenied: 'the identity provider or this console refused the sign-in.',
  CredentialsSignin: 'the session could not be started: sign in again.',
  Verification: 'the sign-in link is no longer valid: start again.',
  CallbackRouteError: "the identity provider's answer could not be verified: start again.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const one = (k: string) => (typeof params[k] === 'string' ? (params[k] as string) : undefined);
  const next = safeNextPath(one('next'));
  const reason = REASONS[one('reason') ?? ''];
  const rawError = one('error');
  const error = rawError === undefined ? undefined : (AUTHJS_ERRORS[rawError] ?? rawError);
  const email = one('email')?.trim() ?? '';
  const tenantSlug = one('tenant')?.trim() ?? '';

  // Already signed in (a token the services still accept): nothing to do here, go on to where the user was headed.
  // A refused or unverifiable token falls through to the form.
  if (await readToken()) {
    const me = await (await getServerClient()).identity.me.query().catch(() => null);
    if (me) redirect(next);
  }

  // Home-realm discovery: the providers for the email's domain, or for the tenant of a sign-in link (?tenant=acme).
  type TChoice = Awaited<ReturnType<ReturnType<typeof getPublicClient>['sso']['discover']['query']>>['providers'][number];
  let choices: TChoice[] = [];
  let discoverFailure: TApiError | null = null;
  if (email || tenantSlug) {
    try {
      choices = (await getPublicClient().sso.discover.query({ ...(email ? { email } : {}), ...(tenantSlug ? { tenant: tenantSlug } : {}) })).providers;
    } catch (e) {
      discoverFailure = toApiError(e);
    }
  }

  let directory: TDirectory = [];
  let failure: TApiError | null = null;
  try {
    directory = await getPublicClient().identity.devDirectory.query();
  } catch (e) {
    failure = toApiError(e);
  }

  const tenants = new Map<string, { name: string; slug: string; users: TDirectory }>();
  for (const u of directory) {
    const t = tenants.get(u.tenantId) ?? { name: u.tenantName, slug: u.tenantSlug, users: [] };
    t.users.push(u);
    tenants.set(u.tenantId, t);
  }

  return (
    <main className="signin-page">
      <div className="signin-box stack">
        <div className="row">
          <div className="brand-mark" style={{ color: '#fff' }}>
            ◆
          </div>
          <h1>IaC Dharma</h1>
        </div>
        {reason && (
          <div className={`alert alert-${reason.kind}`} data-testid="signin-reason">
            {reason.text}
          </div>
        )}
        {error && (
          <div className="alert alert-error" role="alert" data-testid="signin-error">
            Sign-in failed: {error}
          </div>
        )}
        <div className="card" data-testid="sso-card">
          <div className="card-header">
            <div>
              <h2>Single sign-on</h2>
              <div className="muted small">Sign in with your company account: enter your work email to find your identity provider.</div>
            </div>
          </div>
          <div className="card-body stack">
            <form method="get" action="/signin" className="row">
              <input type="hidden" name="next" value={next} />
              <input className="input" type="email" name="email" required placeholder="you@company.com" defaultValue={email} aria-label="Work email" data-testid="sso-email" />
              <button type="submit" className="btn btn-primary" data-testid="sso-continue">
                Continue
              </button>
            </form>
            {discoverFailure && (
              <div className="alert alert-error" role="alert" data-testid="sso-error">
                {discoverFailure.message}
              </div>
            )}
            {(email || tenantSlug) && !discoverFailure && choices.length === 0 && (
              <div className="alert alert-warning" data-testid="sso-none">
                No identity provider signs in {email ? <strong>{email}</strong> : <>tenant <strong>{tenantSlug}</strong></>}. Ask your administrator for your tenant&apos;s sign-in link.
              </div>
            )}
            {choices.map((c) => (
              <form key={c.id} action={ssoSignInAction}>
                <input type="hidden" name="idpId" value={c.id} />
                <input type="hidden" name="kind" value={c.kind} />
                <input type="hidden" name="next" value={next} />
                <input type="hidden" name="email" value={email} />
                <button type="submit" className="user-row" data-testid={`sso-provider-${c.tenantSlug}-${c.kind}`}>
                  <span className="avatar">{c.kind === 'saml' ? 'S' : 'O'}</span>
                  <span className="who">
                    <strong>Continue with {c.name}</strong>
                    <br />
                    <span className="muted small">
                      {c.tenantName} · {c.kind === 'saml' ? 'SAML 2.0' : 'OpenID Connect'}
                    </span>
                  </span>
                </button>
              </form>
            ))}
          </div>
        </div>
        <div className="card">
          <div className="card-header">
            <div>
              <h2>Development sign-in</h2>
              <div className="muted small">Pick a seeded user. No password: this page exists only when the services run with DEV_LOGIN=true.</div>
            </div>
          </div>
          {failure ? (
            <div className="card-body">
              {failure.code === 'FORBIDDEN' ? (
                <div className="alert alert-warning" data-testid="dev-login-disabled">
                  <strong>Development sign-in is disabled on this server.</strong> Start the services with <code>DEV_LOGIN=true</code>, or sign in
                  through your company&apos;s identity provider. ({failure.message})
                </div>
              ) : (
                <div className="alert alert-error" role="alert" data-testid="directory-error">
                  Could not load the user directory: {failure.message}
                </div>
              )}
            </div>
          ) : tenants.size === 0 ? (
            <div className="state">
              <h2>No users</h2>
              The database has no active users. Run <code>npm run db:seed</code>.
            </div>
          ) : (
            <div className="card-body flush">
              {[...tenants.values()].map((t) => (
                <section key={t.slug} className="tenant-group" data-testid={`tenant-${t.slug}`}>
                  <div className="tenant-title">
                    <span>{t.name}</span>
                    <span className="muted mono">{t.slug}</span>
                  </div>
                  {t.users.map((u) => (
                    <form key={u.userId} action={devSignInAction}>
                      <input type="hidden" name="userId" value={u.userId} />
                      <input type="hidden" name="next" value={next} />
                      <button type="submit" className="user-row" data-testid={`signin-${u.email}`}>
                        <span className="avatar">{initials(u.name)}</span>
                        <span className="who">
                          <strong>{u.name}</strong>
                          <br />
                          <span className="muted small">{u.email}</span>
                        </span>
                        <RoleList roles={u.roles} />
                      </button>
                    </form>
                  ))}
                </section>
              ))}
            </div>
          )}
        </div>
      </div>
    </main>
  );
}
