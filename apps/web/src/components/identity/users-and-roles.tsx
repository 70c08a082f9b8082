'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ACTIONS, RESOURCES } from '@dharma/auth/rbac';
import { useTRPC } from '../../lib/trpc/client';
import { useSessionUser } from '../shell/session-context';
import { ErrorState, MutationError, SkeletonRows } from '../ui/states';

/**
 * Govern -> Users & roles: who belongs to the tenant, which roles they hold (with expiries), grant and revoke,
 * disable and enable, service accounts; and the tenant's custom roles next to the seven system roles. Every change
 * takes effect at the person's next request.
 */
export function UsersAndRoles() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const me = useSessionUser();
  const users = useQuery(trpc.users.list.queryOptions(undefined, { retry: false }));
  const roles = useQuery(trpc.roles.list.queryOptions(undefined, { retry: false }));
  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
    await qc.invalidateQueries({ queryKey: trpc.roles.list.queryKey() });
  };
  const grant = useMutation(trpc.users.grantRole.mutationOptions({ onSuccess: refresh }));
  const revoke = useMutation(trpc.users.revokeRole.mutationOptions({ onSuccess: refresh }));
  const status = useMutation(trpc.users.setStatus.mutationOptions({ onSuccess: refresh }));
  const service = useMutation(trpc.users.createServiceAccount.mutationOptions({ onSuccess: refresh }));
  const saveRole = useMutation(trpc.roles.save.mutationOptions({ onSuccess: refresh }));
  const deleteRole = useMutation(trpc.roles.delete.mutationOptions({ onSuccess: refresh }));
  const [granting, setGranting] = useState<{ userId: string; role: string; expires: string } | null>(null);
  const [serviceName, setServiceName] = useState('');
  const [draft, setDraft] = useState<{ name: string; description: string; permissions: { resource: string; action: string; scope: string }[] } | null>(null);

  if (users.isError) return <ErrorState error={users.error} title="Could not load the users" />;
  if (users.isPending || roles.isPending) return <SkeletonRows rows={5} cols={5} />;
  const roleNames = roles.data?.map((r) => r.name) ?? [];

  return (
    <div className="stack">
      <div className="page-header">
        <div>
          <h1>Users &amp; roles</h1>
          <div className="subtitle">A change takes effect at the person&apos;s next request, on every server.</div>
        </div>
      </div>
      <MutationError mutations={[grant, revoke, status, service, saveRole, deleteRole]} testId="users-error" />
      <div className="card">
        <table className="table" data-testid="users-table">
          <thead>
            <tr>
              <th>Person</th>
              <th>Roles</th>
              <th>Teams</th>
              <th>Last sign-in</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {users.data.map((u) => (
              <tr key={u.id} data-testid="user-row" data-email={u.email}>
                <td>
                  <strong>{u.name}</strong> {u.kind === 'service' && <span className="badge">service account</span>}
                  <br />
                  <span className="muted small">{u.email}</span>
                </td>
                <td>
                  <div className="row">
                    {u.grants.map((g) => (
                      <span key={g.role} className="badge" data-testid="user-grant">
                        {g.role}
                        {g.expiresAt && <span className="muted"> until {new Date(g.expiresAt).toLocaleDateString()}</span>}{' '}
                        <button type="button" className="btn btn-sm" aria-label={`Revoke ${g.role}`} onClick={() => revoke.mutate({ userId: u.id, role: g.role })} data-testid={`revoke-${g.role}`}>
                          ×
                        </button>
                      </span>
                    ))}
                    {granting?.userId === u.id ? (
                      <form
                        className="row"
                        onSubmit={(e) => {
                          e.preventDefault();
                          grant.mutate({ userId: u.id, role: granting.role, expiresAt: granting.expires ? new Date(`${granting.expires}T23:59:59Z`).toISOString() : null });
                          setGranting(null);
                        }}
                      >
                        <select value={granting.role} onChange={(e) => setGranting({ ...granting, role: e.target.value })} data-testid="grant-role">
                          {roleNames.map((r) => (
                            <option key={r} value={r}>
                              {r}
                            </option>
                          ))}
                        </select>
                        <input type="date" value={granting.expires} onChange={(e) => setGranting({ ...granting, expires: e.target.value })} aria-label="Expires on (optional)" data-testid="grant-expires" />
                        <button type="submit" className="btn btn-sm btn-primary" data-testid="grant-submit">
                          Grant
                        </button>
                      </form>
                    ) : (
                      <button type="button" className="btn btn-sm" onClick={() => setGranting({ userId: u.id, role: roleNames[0] ?? 'viewer', expires: '' })} data-testid="grant-open">
                        + role
                      </button>
                    )}
                  </div>
                </td>
                <td className="small">{u.teams.join(', ')}</td>
                <td className="small">{u.lastSignInAt ? new Date(u.lastSignInAt).toLocaleString() : 'never'}</td>
                <td data-testid="user-status">{u.status}</td>
                <td>
                  {u.id !== me.id && (
                    <button type="button" className="btn btn-sm" onClick={() => status.mutate({ userId: u.id, status: u.status === 'active' ? 'disabled' : 'active' })} data-testid="user-toggle">
                      {u.status === 'active' ? 'Disable' : 'Enable'}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form
        className="card card-body row"
        onSubmit={(e) => {
          e.preventDefault();
          service.mutate({ name: serviceName }, { onSuccess: () => setServiceName('') });
        }}
      >
        <label className="field">
          <span>New service account (signs in only with API tokens)</span>
          <input required value={serviceName} onChange={(e) => setServiceName(e.target.value)} placeholder="ci pipeline" data-testid="service-name" />
        </label>
        <button type="submit" className="btn" disabled={service.isPending} data-testid="service-create">
          Create service account
        </button>
      </form>

      <Teams people={users.data.filter((u) => u.kind === 'human')} onChange={refresh} />

      <div className="page-header">
        <h2>Roles</h2>
        <button type="button" className="btn" onClick={() => setDraft({ name: '', description: '', permissions: [{ resource: 'blueprint', action: 'read', scope: 'tenant' }] })} data-testid="role-add">
          New custom role
        </button>
      </div>
      <div className="card">
        <table className="table" data-testid="roles-table">
          <tbody>
            {roles.data?.map((r) => (
              <tr key={r.name} data-testid="role-row">
                <td>
                  <strong>{r.name}</strong> {r.system ? <span className="badge">system</span> : <span className="muted small">{r.description}</span>}
                </td>
                <td className="small">{r.permissions.map((p) => `${p.resource}:${p.action}${p.scope === 'tenant' ? '' : ` (${p.scope})`}`).join(', ')}</td>
                <td>
                  {!r.system && (
                    <div className="row">
                      <button type="button" className="btn btn-sm" onClick={() => setDraft({ name: r.name, description: r.description, permissions: r.permissions })}>
                        Edit
                      </button>
                      <button type="button" className="btn btn-sm btn-danger" onClick={() => deleteRole.mutate({ name: r.name })} data-testid="role-delete">
                        Delete
                      </button>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {draft && (
        <form
          className="card card-body stack"
          data-testid="role-form"
          onSubmit={(e) => {
            e.preventDefault();
            // The selects offer only valid values; the services validate them again and name any bad field.
            saveRole.mutate(draft as Parameters<typeof saveRole.mutate>[0], { onSuccess: () => setDraft(null) });
          }}
        >
          <div className="row">
            <label className="field">
              <span>Name</span>
              <input required value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} placeholder="release-manager" data-testid="role-name" />
            </label>
            <label className="field">
              <span>Description</span>
              <input value={draft.description} onChange={(e) => setDraft({ ...draft, description: e.target.value })} />
            </label>
          </div>
          {draft.permissions.map((p, i) => {
            const update = (patch: Partial<typeof p>) => setDraft({ ...draft, permissions: draft.permissions.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
            return (
              <div key={i} className="row">
                <select value={p.resource} onChange={(e) => update({ resource: e.target.value })} data-testid={`perm-resource-${i}`}>
                  {['*', ...RESOURCES].map((r) => (
                    <option key={r}>{r}</option>
                  ))}
                </select>
                <select value={p.action} onChange={(e) => update({ action: e.target.value })} data-testid={`perm-action-${i}`}>
                  {ACTIONS.map((a) => (
                    <option key={a}>{a}</option>
                  ))}
                </select>
                <select value={p.scope} onChange={(e) => update({ scope: e.target.value })} data-testid={`perm-scope-${i}`}>
                  <option value="tenant">any record of the tenant</option>
                  <option value="team">their teams&apos; projects and their own</option>
                  <option value="own">records they created</option>
                </select>
                <button type="button" className="btn btn-sm" onClick={() => setDraft({ ...draft, permissions: draft.permissions.filter((_, j) => j !== i) })}>
                  Remove
                </button>
              </div>
            );
          })}
          <div className="row">
            <button type="button" className="btn btn-sm" onClick={() => setDraft({ ...draft, permissions: [...draft.permissions, { resource: 'blueprint', action: 'read', scope: 'tenant' }] })} data-testid="perm-add">
              Add a permission
            </button>
            <button type="submit" className="btn btn-primary" disabled={saveRole.isPending} data-testid="role-save">
              Save role
            </button>
            <button type="button" className="btn" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

/** Teams: members and projects. Team scope covers the records of a holder's teams' projects. */
function Teams({ people, onChange }: { people: { id: string; name: string; email: string }[]; onChange: () => Promise<void> }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const teams = useQuery(trpc.teams.list.queryOptions(undefined, { retry: false }));
  const projects = useQuery(trpc.projects.list.queryOptions(undefined, { retry: false }));
  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: trpc.teams.list.queryKey() });
    await onChange();
  };
  const create = useMutation(trpc.teams.create.mutationOptions({ onSuccess: refresh }));
  const members = useMutation(trpc.teams.setMembers.mutationOptions({ onSuccess: refresh }));
  const assign = useMutation(trpc.teams.setProjectTeam.mutationOptions({ onSuccess: refresh }));
  const [name, setName] = useState('');
  const [editing, setEditing] = useState<{ teamId: string; userIds: string[] } | null>(null);
  if (teams.isError) return <ErrorState error={teams.error} title="Could not load the teams" />;
  return (
    <div className="stack">
      <div className="page-header">
        <h2>Teams</h2>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({ name }, { onSuccess: () => setName('') });
          }}
        >
          <input required value={name} onChange={(e) => setName(e.target.value)} placeholder="Team name" aria-label="Team name" data-testid="team-name" />
          <button type="submit" className="btn" disabled={create.isPending} data-testid="team-create">
            Create team
          </button>
        </form>
      </div>
      <MutationError mutations={[create, members, assign]} testId="teams-error" />
      <div className="card">
        <table className="table" data-testid="teams-table">
          <tbody>
            {(teams.data ?? []).map((t) => (
              <tr key={t.id} data-testid="team-row">
                <td>
                  <strong>{t.name}</strong>
                </td>
                <td className="small">
                  {editing?.teamId === t.id ? (
                    <div className="stack">
                      {people.map((p) => (
                        <label key={p.id} className="row">
                          <input
                            type="checkbox"
                            checked={editing.userIds.includes(p.id)}
                            onChange={(e) => setEditing({ ...editing, userIds: e.target.checked ? [...editing.userIds, p.id] : editing.userIds.filter((id) => id !== p.id) })}
                            data-testid={`team-member-${p.email}`}
                          />
                          {p.name} <span className="muted">{p.email}</span>
                        </label>
                      ))}
                      <div className="row">
                        <button type="button" className="btn btn-sm btn-primary" onClick={() => members.mutate(editing, { onSuccess: () => setEditing(null) })} data-testid="team-members-save">
                          Save members
                        </button>
                        <button type="button" className="btn btn-sm" onClick={() => setEditing(null)}>
                          Cancel
                        </button>
                      </div>
                    </div>
                  ) : (
                    <>
                      {t.members.map((m) => m.name).join(', ') || 'no members'}{' '}
                      <button type="button" className="btn btn-sm" onClick={() => setEditing({ teamId: t.id, userIds: t.members.map((m) => m.id) })} data-testid="team-members-edit">
                        Members…
                      </button>
                    </>
                  )}
                </td>
                <td className="small" data-testid="team-projects">
                  {t.projects.map((p) => p.name).join(', ') || 'no projects'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {(projects.data ?? []).length > 0 && (teams.data ?? []).length > 0 && (
        <div className="card card-body stack">
          <strong>Projects and their teams</strong>
          {(projects.data ?? []).map((p) => {
            const current = teams.data?.find((t) => t.projects.some((x) => x.id === p.id))?.id ?? '';
            return (
              <label key={p.id} className="row small">
                <span style={{ minWidth: 180 }}>{p.name}</span>
                <select value={current} onChange={(e) => assign.mutate({ projectId: p.id, teamId: e.target.value || null })} data-testid={`project-team-${p.slug}`}>
                  <option value="">no team</option>
                  {teams.data?.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.name}
                    </option>
                  ))}
                </select>
              </label>
            );
          })}
        </div>
      )}
    </div>
  );
}
