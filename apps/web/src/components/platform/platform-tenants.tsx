'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { download } from '../../lib/download';
import { useTRPC } from '../../lib/trpc/client';
import { ErrorState, MutationError, SkeletonRows } from '../ui/states';


/** The two isolation tiers, as the console names them. */
const ISOLATION = {
  shared: { label: 'Standard', detail: 'shared tables, row-level security' },
  schema: { label: 'Enterprise', detail: 'a database schema of its own' },
} as const;

const quotaValue = (v: string) => (v.trim() === '' ? null : Number(v));

/**
 * Platform -> Tenants, for the admins of the platform tenant: every tenant with its size, provisioning, suspension,
 * quotas, export and offboarding.
 */
export function PlatformTenants() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const tenants = useQuery(trpc.platform.tenants.queryOptions(undefined, { retry: false }));
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.platform.tenants.queryKey() });
  const provision = useMutation(trpc.platform.provision.mutationOptions({ onSuccess: refresh }));
  const status = useMutation(trpc.platform.setStatus.mutationOptions({ onSuccess: refresh }));
  const quotas = useMutation(trpc.platform.setQuotas.mutationOptions({ onSuccess: refresh }));
  const exporter = useMutation(trpc.platform.export.mutationOptions());
  const offboard = useMutation(trpc.platform.offboard.mutationOptions({ onSuccess: refresh }));
  const blank = { slug: '', name: '', adminEmail: '', adminName: '', isolation: 'shared' as 'shared' | 'schema' };
  const [form, setForm] = useState(blank);
  const [editing, setEditing] = useState<{ tenantId: string; blueprints: string; users: string } | null>(null);
  const [leaving, setLeaving] = useState<{ tenantId: string; slug: string; typed: string; exported: boolean } | null>(null);

  if (tenants.isError) return <ErrorState error={tenants.error} title="Could not load the tenants" />;
  if (tenants.isPending) return <SkeletonRows rows={4} cols={6} />;
  return (
    <div className="stack">
      <div className="page-header">
        <div>
          <h1>Tenants</h1>
          <div className="subtitle">Every tenant of this installation. Suspension and quotas apply at the tenant&apos;s next request.</div>
        </div>
      </div>
      <MutationError mutations={[provision, status, quotas, exporter, offboard]} testId="platform-error" />
      {offboard.data && (
        <div className="alert alert-success" data-testid="platform-offboarded">
          Tenant {offboard.data.slug} was offboarded: {offboard.data.users} people, {offboard.data.blueprints} blueprints, {offboard.data.versions} versions and {offboard.data.events} audit events deleted.
        </div>
      )}
      <div className="card">
        <table className="table" data-testid="platform-tenants">
          <thead>
            <tr>
              <th>Tenant</th>
              <th>Status</th>
              <th>Tier</th>
              <th>Isolation</th>
              <th>People</th>
              <th>Blueprints</th>
              <th>Quotas</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tenants.data.map((t) => (
              <tr key={t.id} data-testid="platform-tenant" data-slug={t.slug}>
                <td>
                  <strong>{t.name}</strong>
                  <br />
                  <span className="muted mono small">{t.slug}</span>
                </td>
                <td data-testid="tenant-status">{t.status}</td>
                <td>{t.tier}</td>
                <td data-testid="tenant-isolation" title={ISOLATION[t.isolation].detail}>
                  {ISOLATION[t.isolation].label}
                </td>
                <td>{t.users}</td>
                <td>{t.blueprints}</td>
                <td className="small">
                  {editing?.tenantId === t.id ? (
                    <form
                      className="row"
                      onSubmit={(e) => {
                        e.preventDefault();
                        quotas.mutate({ tenantId: t.id, quotas: { blueprints: quotaValue(editing.blueprints), users: quotaValue(editing.users) } }, { onSuccess: () => setEditing(null) });
                      }}
                    >
                      <input type="number" min={0} placeholder="blueprints" value={editing.blueprints} onChange={(e) => setEditing({ ...editing, blueprints: e.target.value })} aria-label="Blueprint quota" data-testid="quota-blueprints" />
                      <input type="number" min={0} placeholder="people" value={editing.users} onChange={(e) => setEditing({ ...editing, users: e.target.value })} aria-label="People quota" data-testid="quota-users" />
                      <button type="submit" className="btn btn-sm btn-primary" data-testid="quota-save">
                        Save
                      </button>
                    </form>
                  ) : (
                    <button
                      type="button"
                      className="btn btn-sm"
                      onClick={() => setEditing({ tenantId: t.id, blueprints: t.quotas.blueprints?.toString() ?? '', users: t.quotas.users?.toString() ?? '' })}
                      data-testid="quota-edit"
                    >
                      {Object.entries(t.quotas).map(([k, v]) => `${k} ≤ ${v}`).join(', ') || 'none'}
                    </button>
                  )}
                </td>
                <td>
                  <div className="row">
                    <button type="button" className="btn btn-sm" onClick={() => status.mutate({ tenantId: t.id, status: t.status === 'active' ? 'suspended' : 'active' })} data-testid="tenant-toggle">
                      {t.status === 'active' ? 'Suspend' : 'Resume'}
                    </button>
                    <button type="button" className="btn btn-sm" onClick={() => setLeaving({ tenantId: t.id, slug: t.slug, typed: '', exported: false })} data-testid="tenant-offboard-open">
                      Offboard…
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {leaving && (
        <div className="card card-body stack" data-testid="offboard-panel">
          <h2>Offboard {leaving.slug}</h2>
          <div className="muted">Export the tenant&apos;s data first; then everything it holds is deleted, its saved versions and audit log included. The platform&apos;s audit log keeps the record.</div>
          <div className="row">
            <button
              type="button"
              className="btn"
              disabled={exporter.isPending}
              onClick={() =>
                exporter.mutate(
                  { tenantId: leaving.tenantId },
                  {
                    onSuccess: (out) => {
                      download(`${leaving.slug}-export.json`, out.json, 'application/json');
                      setLeaving({ ...leaving, exported: true });
                    },
                  },
                )
              }
              data-testid="tenant-export"
            >
              {exporter.isPending ? 'Exporting…' : leaving.exported ? 'Exported ✓ (again)' : 'Export data (JSON)'}
            </button>
            <input value={leaving.typed} onChange={(e) => setLeaving({ ...leaving, typed: e.target.value })} placeholder={`type ${leaving.slug} to confirm`} aria-label="Confirm slug" data-testid="offboard-confirm" />
            <button
              type="button"
              className="btn btn-danger"
              disabled={!leaving.exported || offboard.isPending}
              onClick={() => offboard.mutate({ tenantId: leaving.tenantId, confirmSlug: leaving.typed }, { onSuccess: () => setLeaving(null) })}
              data-testid="offboard-submit"
            >
              Delete the tenant
            </button>
            <button type="button" className="btn" onClick={() => setLeaving(null)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      <form
        className="card card-body stack"
        onSubmit={(e) => {
          e.preventDefault();
          provision.mutate(form, { onSuccess: () => setForm(blank) });
        }}
      >
        <h2>Provision a tenant</h2>
        <div className="row">
          <label className="field">
            <span>Slug</span>
            <input required value={form.slug} onChange={(e) => setForm({ ...form, slug: e.target.value })} placeholder="initech" data-testid="provision-slug" />
          </label>
          <label className="field">
            <span>Name</span>
            <input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} placeholder="Initech" data-testid="provision-name" />
          </label>
          <label className="field">
            <span>First admin&apos;s email</span>
            <input required value={form.adminEmail} onChange={(e) => setForm({ ...form, adminEmail: e.target.value })} data-testid="provision-email" />
          </label>
          <label className="field">
            <span>First admin&apos;s name</span>
            <input required value={form.adminName} onChange={(e) => setForm({ ...form, adminName: e.target.value })} data-testid="provision-admin" />
          </label>
          <label className="field">
            <span>Isolation</span>
            <select value={form.isolation} onChange={(e) => setForm({ ...form, isolation: e.target.value as 'shared' | 'schema' })} data-testid="provision-isolation">
              {(['shared', 'schema'] as const).map((k) => (
                <option key={k} value={k}>
                  {ISOLATION[k].label}: {ISOLATION[k].detail}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="btn btn-primary" disabled={provision.isPending} data-testid="provision-submit">
            Provision
          </button>
        </div>
      </form>
    </div>
  );
}
