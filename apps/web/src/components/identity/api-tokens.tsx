'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../../lib/trpc/client';
import { useNow } from '../../lib/use-now';
import { useSessionUser } from '../shell/session-context';
import { EmptyState, ErrorState, SkeletonRows } from '../ui/states';

/** What a new token may do: a read-only preset, or everything its owner may do (never more, checked per request). */
const PRESETS = {
  read: { label: 'Read only (blueprints and projects)', permissions: [{ resource: 'blueprint', action: 'read', scope: 'tenant' }, { resource: 'project', action: 'read', scope: 'tenant' }] },
  write: { label: 'Read and write blueprints', permissions: [{ resource: 'blueprint', action: 'read', scope: 'tenant' }, { resource: 'project', action: 'read', scope: 'tenant' }, { resource: 'blueprint', action: 'create', scope: 'tenant' }, { resource: 'blueprint', action: 'update', scope: 'tenant' }] },
} as const;

/**
 * Personal API tokens: create one (its secret is shown once, here, and stored only as a hash), see when each
 * expires, revoke. `createClient(url, token)` from @dharma/sdk takes the secret.
 */
export function ApiTokens() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const user = useSessionUser();
  const now = useNow(60_000);
  const tokens = useQuery(trpc.tokens.list.queryOptions({}, { retry: false }));
  const [name, setName] = useState('');
  const [preset, setPreset] = useState<keyof typeof PRESETS>('read');
  const [days, setDays] = useState(30);
  const [secret, setSecret] = useState<string | null>(null);
  const invalidate = () => qc.invalidateQueries({ queryKey: trpc.tokens.list.queryKey() });
  const create = useMutation(
    trpc.tokens.create.mutationOptions({
      onSuccess: async (made) => {
        setSecret(made.token);
        setName('');
        await invalidate();
      },
    }),
  );
  const revoke = useMutation(trpc.tokens.revoke.mutationOptions({ onSuccess: invalidate }));
  return (
    <div className="stack">
      <div className="page-header">
        <div>
          <h1>API tokens</h1>
          <div className="subtitle">
            Tokens act as you ({user.email}) with at most the permissions they list, and never more than your roles allow at the time of each request.
          </div>
        </div>
      </div>
      <form
        className="card card-body row"
        onSubmit={(e) => {
          e.preventDefault();
          setSecret(null);
          create.mutate({ name, permissions: [...PRESETS[preset].permissions], expiresAt: new Date(Date.now() + days * 86_400_000).toISOString() });
        }}
      >
        <label className="field">
          <span>Name</span>
          <input required value={name} onChange={(e) => setName(e.target.value)} placeholder="ci pipeline" data-testid="token-name" />
        </label>
        <label className="field">
          <span>Permissions</span>
          <select value={preset} onChange={(e) => setPreset(e.target.value as keyof typeof PRESETS)} data-testid="token-preset">
            {Object.entries(PRESETS).map(([key, p]) => (
              <option key={key} value={key}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Expires in (days)</span>
          <input type="number" min={1} max={365} value={days} onChange={(e) => setDays(Number(e.target.value))} data-testid="token-days" />
        </label>
        <button type="submit" className="btn btn-primary" disabled={create.isPending} data-testid="token-create">
          {create.isPending ? 'Creating…' : 'Create token'}
        </button>
      </form>
      {create.isError && <ErrorState error={create.error} title="The token was not created" />}
      {secret && (
        <div className="alert alert-success" data-testid="token-secret-box">
          Copy this token now: it is not shown again.
          <pre className="mono" data-testid="token-secret">
            {secret}
          </pre>
        </div>
      )}
      {tokens.isError ? (
        <ErrorState error={tokens.error} title="Could not load your tokens" />
      ) : tokens.isPending ? (
        <SkeletonRows rows={3} cols={5} />
      ) : tokens.data.length === 0 ? (
        <EmptyState title="You have no API tokens yet" />
      ) : (
        <div className="card">
          <table className="table" data-testid="tokens-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Token</th>
                <th>Permissions</th>
                <th>Expires</th>
                <th>Status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {tokens.data.map((t) => {
                const expired = Date.parse(t.expiresAt) <= now;
                return (
                  <tr key={t.id} data-testid="token-row">
                    <td>{t.name}</td>
                    <td>
                      <code>{t.prefix}…</code>
                    </td>
                    <td className="small">{t.permissions.map((p) => `${p.resource}:${p.action}`).join(', ')}</td>
                    <td className="small">{new Date(t.expiresAt).toLocaleDateString()}</td>
                    <td data-testid="token-status">{t.revokedAt ? 'revoked' : expired ? 'expired' : 'active'}</td>
                    <td>
                      {!t.revokedAt && (
                        <button type="button" className="btn btn-sm" disabled={revoke.isPending} onClick={() => revoke.mutate({ id: t.id })} data-testid="token-revoke">
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
