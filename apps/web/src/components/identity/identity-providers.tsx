'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { OIDC_PRESETS } from '@dharma/auth/sso/presets';
import { useTRPC } from '../../lib/trpc/client';
import { toApiError } from '../../lib/errors';
import { testProviderAction } from '../../lib/session-actions';
import { useSessionUser } from '../shell/session-context';
import { ErrorState, MutationError, SkeletonRows } from '../ui/states';

type TKind = 'oidc' | 'saml';

interface TDraft {
  id?: string;
  kind: TKind;
  name: string;
  enabled: boolean;
  issuer: string;
  clientId: string;
  clientSecret: string;
  groupsClaim: string;
  entityId: string;
  ssoUrl: string;
  sloUrl: string;
  certificate: string;
  emailAttr: string;
  nameAttr: string;
  groupsAttr: string;
  allowIdpInitiated: boolean;
  groupRoles: { group: string; role: string }[];
  defaultRoles: string;
  domains: string;
}

const EMPTY: TDraft = {
  kind: 'oidc', name: '', enabled: true, issuer: '', clientId: '', clientSecret: '', groupsClaim: 'groups', entityId: '', ssoUrl: '', sloUrl: '', certificate: '',
  emailAttr: 'email', nameAttr: 'displayName', groupsAttr: 'groups', allowIdpInitiated: true, groupRoles: [{ group: '', role: 'viewer' }], defaultRoles: '', domains: '',
};

const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

/** The form's values as `sso.save` takes them. An empty client secret on an edit keeps the stored one. */
function toInput(d: TDraft) {
  const config =
    d.kind === 'oidc'
      ? { issuer: d.issuer, clientId: d.clientId, ...(d.clientSecret ? { clientSecret: d.clientSecret } : {}), groupsClaim: d.groupsClaim }
      : { entityId: d.entityId, ssoUrl: d.ssoUrl, ...(d.sloUrl ? { sloUrl: d.sloUrl } : {}), certificates: d.certificate ? [d.certificate] : [], attributes: { email: d.emailAttr, name: d.nameAttr, groups: d.groupsAttr }, allowIdpInitiated: d.allowIdpInitiated };
  return {
    ...(d.id ? { id: d.id } : {}),
    kind: d.kind,
    name: d.name,
    enabled: d.enabled,
    config,
    groupRoles: d.groupRoles.filter((g) => g.group.trim() !== ''),
    defaultRoles: list(d.defaultRoles),
    domains: list(d.domains),
  };
}

type TProvider = { id: string; kind: TKind; name: string; enabled: boolean; config: Record<string, unknown>; groupRoles: { group: string; role: string }[]; defaultRoles: string[]; domains: string[] };

function fromProvider(p: TProvider): TDraft {
  const c = p.config as Record<string, unknown> & { attributes?: Record<string, string>; certificates?: string[] };
  const s = (v: unknown, fallback = '') => (typeof v === 'string' ? v : fallback);
  return {
    ...EMPTY,
    id: p.id,
    kind: p.kind,
    name: p.name,
    enabled: p.enabled,
    issuer: s(c.issuer),
    clientId: s(c.clientId),
    groupsClaim: s(c.groupsClaim, 'groups'),
    entityId: s(c.entityId),
    ssoUrl: s(c.ssoUrl),
    sloUrl: s(c.sloUrl),
    certificate: c.certificates?.[0] ?? '',
    emailAttr: c.attributes?.email ?? 'email',
    nameAttr: c.attributes?.name ?? 'displayName',
    groupsAttr: c.attributes?.groups ?? 'groups',
    allowIdpInitiated: c.allowIdpInitiated !== false,
    groupRoles: p.groupRoles.length > 0 ? p.groupRoles : [{ group: '', role: 'viewer' }],
    defaultRoles: p.defaultRoles.join(', '),
    domains: p.domains.join(', '),
  };
}

function CopyField({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="row small">
      <span className="muted" style={{ minWidth: 150 }}>
        {label}
      </span>
      <code data-testid={testId}>{value}</code>
      <button type="button" className="btn btn-sm" onClick={() => void navigator.clipboard?.writeText(value)}>
        Copy
      </button>
    </div>
  );
}

/**
 * Settings -> Identity providers: a tenant's OIDC providers and SAML IdPs, group-to-role mapping, email domains,
 * "SSO required", and the URLs to paste into the IdP. Changes apply at the next sign-in: no restart.
 */
export function IdentityProviders() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const me = useSessionUser();
  const providers = useQuery(trpc.sso.list.queryOptions(undefined, { retry: false }));
  const roles = useQuery(trpc.roles.list.queryOptions(undefined, { retry: false }));
  const [draft, setDraft] = useState<TDraft | null>(null);
  const [metadataXml, setMetadataXml] = useState('');
  const invalidate = () => qc.invalidateQueries({ queryKey: trpc.sso.list.queryKey() });
  const save = useMutation(trpc.sso.save.mutationOptions({ onSuccess: async () => (setDraft(null), await invalidate()) }));
  const remove = useMutation(trpc.sso.delete.mutationOptions({ onSuccess: invalidate }));
  const required = useMutation(trpc.sso.setSsoRequired.mutationOptions({ onSuccess: invalidate }));
  const parse = useMutation(
    trpc.sso.parseMetadata.mutationOptions({
      onSuccess: (m) => setDraft((d) => (d ? { ...d, entityId: m.entityId, ssoUrl: m.ssoUrl, sloUrl: m.sloUrl ?? '', certificate: m.certificates[0] ?? '' } : d)),
    }),
  );
  const set = <K extends keyof TDraft>(k: K, v: TDraft[K]) => setDraft((d) => (d ? { ...d, [k]: v } : d));
  const roleNames = roles.data?.map((r) => r.name) ?? [];

  if (providers.isError) return <ErrorState error={providers.error} title="Could not load the identity providers" />;
  if (providers.isPending) return <SkeletonRows rows={3} cols={4} />;

  return (
    <div className="stack">
      <div className="page-header">
        <div>
          <h1>Identity providers</h1>
          <div className="subtitle">People of this tenant sign in through these providers. Changes apply at the next sign-in.</div>
        </div>
        <button type="button" className="btn btn-primary" onClick={() => setDraft({ ...EMPTY })} data-testid="idp-add">
          Add provider
        </button>
      </div>

      <div className="card card-body stack">
        <CopyField label="Tenant sign-in link" value={`${providers.data.consoleUrl}/signin?tenant=${me.tenant.slug}`} testId="idp-signin-link" />
        <label className="row">
          <input
            type="checkbox"
            checked={providers.data.ssoRequired}
            disabled={required.isPending}
            onChange={(e) => required.mutate({ ssoRequired: e.target.checked })}
            data-testid="idp-sso-required"
          />
          <span>
            <strong>SSO required</strong> <span className="muted small">people of this tenant may sign in only through an identity provider</span>
          </span>
        </label>
        {required.isError && <span className="alert alert-error small">{toApiError(required.error).message}</span>}
      </div>

      {providers.data.providers.length === 0 && !draft && <div className="card card-body muted">No identity provider yet: add one to let people sign in with their company account.</div>}

      {providers.data.providers.map((p) => (
        <div key={p.id} className="card" data-testid="idp-row">
          <div className="card-header">
            <div>
              <h2>
                {p.name} <span className="badge">{p.kind === 'saml' ? 'SAML 2.0' : 'OIDC'}</span> {!p.enabled && <span className="badge">disabled</span>}
              </h2>
              <div className="muted small">
                Domains: {p.domains.join(', ') || 'any'} · {p.groupRoles.map((g) => `${g.group} → ${g.role}`).join(', ') || 'no group mapping'}
                {p.defaultRoles.length > 0 && ` · default: ${p.defaultRoles.join(', ')}`}
              </div>
            </div>
            <div className="row">
              <button type="button" className="btn btn-sm" onClick={() => setDraft(fromProvider(p))} data-testid="idp-edit">
                Edit
              </button>
              <button type="button" className="btn btn-sm btn-danger" disabled={remove.isPending} onClick={() => remove.mutate({ id: p.id })} data-testid="idp-delete">
                Delete
              </button>
            </div>
          </div>
          <div className="card-body stack">
            {p.kind === 'saml' ? (
              <>
                <CopyField label="SP entity id" value={p.endpoints.entityId} testId="idp-sp-entity" />
                <CopyField label="ACS URL" value={p.endpoints.acsUrl} testId="idp-acs" />
                <CopyField label="Single logout URL" value={p.endpoints.sloUrl} testId="idp-slo" />
                <CopyField label="SP metadata" value={p.endpoints.metadataUrl} testId="idp-metadata" />
              </>
            ) : (
              <CopyField label="Redirect (callback) URL" value={p.endpoints.oidcCallbackUrl} testId="idp-callback" />
            )}
            <div className="row small">
              <span className="muted" style={{ minWidth: 150 }}>
                Test the connection
              </span>
              <form action={testProviderAction}>
                <input type="hidden" name="idpId" value={p.id} />
                <input type="hidden" name="kind" value={p.kind} />
                <button type="submit" className="btn btn-sm" disabled={!p.enabled} data-testid="idp-test">
                  Sign in through {p.name} and show the claims
                </button>
              </form>
            </div>
          </div>
        </div>
      ))}

      {draft && (
        <form
          className="card card-body stack"
          data-testid="idp-form"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate(toInput(draft));
          }}
        >
          <h2>{draft.id ? `Edit ${draft.name}` : 'Add an identity provider'}</h2>
          <div className="row">
            <label className="field">
              <span>Kind</span>
              <select value={draft.kind} disabled={!!draft.id} onChange={(e) => set('kind', e.target.value as TKind)} data-testid="idp-kind">
                <option value="oidc">OpenID Connect</option>
                <option value="saml">SAML 2.0</option>
              </select>
            </label>
            <label className="field">
              <span>Name</span>
              <input required value={draft.name} onChange={(e) => set('name', e.target.value)} placeholder="Okta" data-testid="idp-name" />
            </label>
            <label className="row">
              <input type="checkbox" checked={draft.enabled} onChange={(e) => set('enabled', e.target.checked)} data-testid="idp-enabled" /> Enabled
            </label>
          </div>
          {draft.kind === 'oidc' ? (
            <>
              <label className="field">
                <span>Preset</span>
                <select
                  defaultValue=""
                  onChange={(e) => {
                    const preset = OIDC_PRESETS[e.target.value as keyof typeof OIDC_PRESETS];
                    if (preset) setDraft((d) => (d ? { ...d, issuer: preset.issuer, groupsClaim: preset.groupsClaim, name: d.name || preset.label } : d));
                  }}
                  data-testid="idp-preset"
                >
                  <option value="">Custom</option>
                  {Object.entries(OIDC_PRESETS).map(([key, p]) => (
                    <option key={key} value={key}>
                      {p.label}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span>Issuer URL</span>
                <input required value={draft.issuer} onChange={(e) => set('issuer', e.target.value)} placeholder="https://login.example.com" data-testid="idp-issuer" />
              </label>
              <div className="row">
                <label className="field">
                  <span>Client id</span>
                  <input required value={draft.clientId} onChange={(e) => set('clientId', e.target.value)} data-testid="idp-client-id" />
                </label>
                <label className="field">
                  <span>Client secret {draft.id && <span className="muted small">(leave empty to keep the stored one)</span>}</span>
                  <input type="password" required={!draft.id} value={draft.clientSecret} onChange={(e) => set('clientSecret', e.target.value)} autoComplete="off" data-testid="idp-client-secret" />
                </label>
                <label className="field">
                  <span>Groups claim</span>
                  <input value={draft.groupsClaim} onChange={(e) => set('groupsClaim', e.target.value)} data-testid="idp-groups-claim" />
                </label>
              </div>
            </>
          ) : (
            <>
              <label className="field">
                <span>IdP metadata XML (paste, or upload a file), to fill the fields below</span>
                <textarea rows={4} value={metadataXml} onChange={(e) => setMetadataXml(e.target.value)} className="mono small" data-testid="idp-metadata-xml" />
              </label>
              <div className="row">
                <input
                  type="file"
                  accept=".xml,application/xml,text/xml"
                  onChange={(e) => void e.target.files?.[0]?.text().then(setMetadataXml)}
                  data-testid="idp-metadata-file"
                />
                <button type="button" className="btn btn-sm" disabled={!metadataXml || parse.isPending} onClick={() => parse.mutate({ xml: metadataXml })} data-testid="idp-metadata-parse">
                  Read metadata
                </button>
                {parse.isError && (
                  <span className="alert alert-error small" data-testid="idp-metadata-error">
                    {toApiError(parse.error).message}
                  </span>
                )}
              </div>
              <label className="field">
                <span>IdP entity id (issuer)</span>
                <input required value={draft.entityId} onChange={(e) => set('entityId', e.target.value)} data-testid="idp-entity-id" />
              </label>
              <div className="row">
                <label className="field">
                  <span>SSO URL (HTTP-Redirect)</span>
                  <input required value={draft.ssoUrl} onChange={(e) => set('ssoUrl', e.target.value)} data-testid="idp-sso-url" />
                </label>
                <label className="field">
                  <span>Single logout URL</span>
                  <input value={draft.sloUrl} onChange={(e) => set('sloUrl', e.target.value)} data-testid="idp-slo-url" />
                </label>
              </div>
              <label className="field">
                <span>Signing certificate (PEM)</span>
                <textarea rows={4} required value={draft.certificate} onChange={(e) => set('certificate', e.target.value)} className="mono small" data-testid="idp-certificate" />
              </label>
              <div className="row">
                <label className="field">
                  <span>Email attribute</span>
                  <input value={draft.emailAttr} onChange={(e) => set('emailAttr', e.target.value)} />
                </label>
                <label className="field">
                  <span>Name attribute</span>
                  <input value={draft.nameAttr} onChange={(e) => set('nameAttr', e.target.value)} />
                </label>
                <label className="field">
                  <span>Groups attribute</span>
                  <input value={draft.groupsAttr} onChange={(e) => set('groupsAttr', e.target.value)} />
                </label>
                <label className="row">
                  <input type="checkbox" checked={draft.allowIdpInitiated} onChange={(e) => set('allowIdpInitiated', e.target.checked)} /> Allow IdP-initiated sign-in
                </label>
              </div>
            </>
          )}
          <fieldset className="stack">
            <legend>Groups to roles (re-applied at every sign-in)</legend>
            {draft.groupRoles.map((g, i) => (
              <div key={i} className="row">
                <input
                  value={g.group}
                  placeholder="IdP group"
                  onChange={(e) => set('groupRoles', draft.groupRoles.map((x, j) => (j === i ? { ...x, group: e.target.value } : x)))}
                  data-testid={`idp-group-${i}`}
                />
                <span>→</span>
                <select value={g.role} onChange={(e) => set('groupRoles', draft.groupRoles.map((x, j) => (j === i ? { ...x, role: e.target.value } : x)))} data-testid={`idp-role-${i}`}>
                  {(roleNames.length > 0 ? roleNames : [g.role]).map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
                <button type="button" className="btn btn-sm" onClick={() => set('groupRoles', draft.groupRoles.filter((_, j) => j !== i))}>
                  Remove
                </button>
              </div>
            ))}
            <button type="button" className="btn btn-sm" onClick={() => set('groupRoles', [...draft.groupRoles, { group: '', role: roleNames[0] ?? 'viewer' }])} data-testid="idp-add-mapping">
              Add a mapping
            </button>
          </fieldset>
          <div className="row">
            <label className="field">
              <span>Default roles (when no group maps; empty: refuse)</span>
              <input value={draft.defaultRoles} onChange={(e) => set('defaultRoles', e.target.value)} placeholder="viewer" data-testid="idp-default-roles" />
            </label>
            <label className="field">
              <span>Email domains (comma-separated): who may sign in through it, and whose email finds it on the sign-in page. Empty: anyone, found only through the tenant&apos;s sign-in link</span>
              <input value={draft.domains} onChange={(e) => set('domains', e.target.value)} placeholder="example.com" data-testid="idp-domains" />
            </label>
          </div>
          <MutationError mutations={[save]} testId="idp-save-error" />
          <div className="row">
            <button type="submit" className="btn btn-primary" disabled={save.isPending} data-testid="idp-save">
              {save.isPending ? 'Saving…' : 'Save'}
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
