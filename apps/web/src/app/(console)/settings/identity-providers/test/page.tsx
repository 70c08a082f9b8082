import type { Metadata } from 'next';
import Link from 'next/link';
import { readTestResult } from '../../../../../lib/sso-test';

export const metadata: Metadata = { title: 'Identity provider test' };
export const dynamic = 'force-dynamic';

/** The outcome of "Test connection": the claims the provider sent and the roles they map to, or why it was refused. */
export default async function IdentityProviderTestPage() {
  const result = await readTestResult();
  return (
    <div className="stack">
      <div className="page-header">
        <div>
          <h1>Test connection{result ? `: ${result.provider}` : ''}</h1>
          <div className="subtitle">A sign-in through the provider, verified as a real one would be. Nobody was signed in and nothing was changed.</div>
        </div>
        <Link className="btn" href="/settings/identity-providers">
          Back to identity providers
        </Link>
      </div>
      {!result ? (
        <div className="card card-body muted">No test result: start one from Identity providers.</div>
      ) : (
        <div className="card card-body stack" data-testid="idp-test-result">
          {result.ok ? (
            <div className="alert alert-success" data-testid="idp-test-ok">
              The provider&apos;s answer was verified. This person would sign in with the roles: <strong>{result.roles.join(', ')}</strong>.
            </div>
          ) : (
            <div className="alert alert-error" role="alert" data-testid="idp-test-refused">
              Refused ({result.reason}): {result.message}
            </div>
          )}
          {result.identity && (
            <table className="table" data-testid="idp-test-claims">
              <tbody>
                <tr><th>Subject</th><td className="mono">{result.identity.subject}</td></tr>
                <tr><th>Email</th><td>{result.identity.email}</td></tr>
                <tr><th>Name</th><td>{result.identity.name}</td></tr>
                <tr><th>Groups</th><td>{result.identity.groups.join(', ') || 'none'}</td></tr>
              </tbody>
            </table>
          )}
        </div>
      )}
    </div>
  );
}
