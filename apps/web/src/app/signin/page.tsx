import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { toApiError, type TApiError } from '../../lib/errors';
import { devSignInAction } from '../../lib/session-actions';
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

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const one = (k: string) => (typeof params[k] === 'string' ? (params[k] as string) : undefined);
  const next = safeNextPath(one('next'));
  const reason = REASONS[one('reason') ?? ''];
  const error = one('error');

  // Already signed in (a token the services still accept): nothing to do here, go on to where the user was headed.
  // A refused or unverifiable token falls through to the form.
  if (await readToken()) {
    const me = await (await getServerClient()).identity.me.query().catch(() => null);
    if (me) redirect(next);
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
