'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { COMPONENT_KINDS } from '@dharma/db/blueprint-graph';
import { can } from '../../lib/roles';
import { useTRPC } from '../../lib/trpc/client';
import { useSessionUser } from '../shell/session-context';
import { ErrorState, MutationError, SkeletonRows } from '../ui/states';

type TForm = {
  key: string;
  name: string;
  description: string;
  severity: 'critical' | 'high' | 'medium' | 'low';
  enforcement: 'advisory' | 'soft' | 'hard';
  target: 'component' | 'blueprint';
  kinds: string;
  when: string;
  expression: string;
  message: string;
  enabled: boolean;
};
const BLANK: TForm = { key: '', name: '', description: '', severity: 'medium', enforcement: 'advisory', target: 'component', kinds: '', when: '', expression: '', message: '', enabled: true };
const toInput = (f: TForm) => ({ ...f, kinds: f.kinds.split(',').map((k) => k.trim()).filter(Boolean) as (typeof COMPONENT_KINDS)[number][], when: f.when.trim() === '' ? null : f.when });

/**
 * Govern -> Guardrails: the tenant's policy library (the defaults, its changes to them, its own). An admin edits a
 * policy's CEL expression, tests it against any blueprint version before saving, saves (refused, saying where, when
 * it does not compile) or resets a changed default.
 */
export function PolicyLibrary() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const user = useSessionUser();
  const manage = can(user.permissions, 'guardrail', 'manage');
  const policies = useQuery(trpc.guardrails.policies.queryOptions(undefined, { retry: false }));
  const blueprints = useQuery(trpc.blueprints.list.queryOptions({ pageSize: 100 }));
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.guardrails.pathKey() });
  const save = useMutation(trpc.guardrails.savePolicy.mutationOptions({ onSuccess: refresh }));
  const reset = useMutation(trpc.guardrails.resetPolicy.mutationOptions({ onSuccess: async () => { setForm(null); await refresh(); } }));
  const [form, setForm] = useState<TForm | null>(null);
  const [target, setTarget] = useState<{ id: string; number: number } | null>(null);
  const [testing, setTesting] = useState(false);
  const test = useQuery({ ...trpc.guardrails.testPolicy.queryOptions({ id: target?.id ?? '', number: target?.number ?? 1, policy: toInput(form ?? BLANK) }), enabled: testing && target !== null && form !== null, retry: false });

  if (policies.isError) return <ErrorState error={policies.error} title="Could not load the guardrails" />;
  if (policies.isPending) return <SkeletonRows rows={6} cols={5} />;
  const open = (f: TForm) => {
    setForm(f);
    setTesting(false);
    save.reset();
  };

  return (
    <div className="stack">
      <div className="page-header">
        <div>
          <h1>Guardrails</h1>
          <div className="subtitle">Policies every blueprint version is checked against: CEL expressions over each component (<span className="mono">c</span>, <span className="mono">env</span>) or the whole design (<span className="mono">blueprint</span>).</div>
        </div>
        {manage && (
          <button type="button" className="btn btn-primary" onClick={() => open(BLANK)} data-testid="policy-new">
            New policy
          </button>
        )}
      </div>
      <div className="card">
        <div className="table-wrap"><table className="table" data-testid="policies">
          <thead>
            <tr>
              <th>Policy</th>
              <th>Severity</th>
              <th>Enforcement</th>
              <th>Applies to</th>
              <th>Source</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {policies.data.map((p) => (
              <tr key={p.key} data-testid="policy" data-key={p.key} className={p.enabled ? '' : 'faint'}>
                <td>
                  <strong>{p.name}</strong>
                  {!p.enabled && <span className="badge badge-archived">off</span>}
                  <br />
                  <span className="muted small">{p.description}</span>
                </td>
                <td>{p.severity}</td>
                <td data-testid="policy-enforcement">{p.enforcement}</td>
                <td className="small">{p.target === 'blueprint' ? 'the design' : p.kinds.length ? p.kinds.join(', ') : 'every component'}</td>
                <td data-testid="policy-source">{p.source}</td>
                <td>
                  <button type="button" className="btn btn-sm" onClick={() => open({ ...p, kinds: p.kinds.join(', '), when: p.when ?? '' })} data-testid="policy-open">
                    {manage ? 'Edit' : 'View'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table></div>
      </div>

      {form && (
        <form
          className="card card-body stack"
          data-testid="policy-form"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate(toInput(form), { onSuccess: () => setForm(null) });
          }}
        >
          <h2>{form.key ? `Policy ${form.key}` : 'New policy'}</h2>
          <MutationError mutations={[save, reset]} testId="policy-error" />
          <div className="grid-3">
            <label className="field"><span>Key</span><input className="input mono" value={form.key} onChange={(e) => setForm({ ...form, key: e.target.value })} data-testid="policy-key" /></label>
            <label className="field"><span>Name</span><input className="input" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} data-testid="policy-name" /></label>
            <label className="field"><span>Applies to kinds (comma-separated; empty: all)</span><input className="input mono" value={form.kinds} onChange={(e) => setForm({ ...form, kinds: e.target.value })} placeholder={COMPONENT_KINDS.slice(0, 3).join(', ')} data-testid="policy-kinds" /></label>
            <label className="field">
              <span>Severity</span>
              <select className="select" value={form.severity} onChange={(e) => setForm({ ...form, severity: e.target.value as TForm['severity'] })} data-testid="policy-severity">
                {(['critical', 'high', 'medium', 'low'] as const).map((s) => <option key={s}>{s}</option>)}
              </select>
            </label>
            <label className="field">
              <span>Enforcement</span>
              <select className="select" value={form.enforcement} onChange={(e) => setForm({ ...form, enforcement: e.target.value as TForm['enforcement'] })} data-testid="policy-enforcement-select">
                {(['advisory', 'soft', 'hard'] as const).map((s) => <option key={s}>{s}</option>)}
              </select>
            </label>
            <label className="field">
              <span>Target</span>
              <select className="select" value={form.target} onChange={(e) => setForm({ ...form, target: e.target.value as TForm['target'] })} data-testid="policy-target">
                <option value="component">each component</option>
                <option value="blueprint">the whole design</option>
              </select>
            </label>
          </div>
          <label className="field"><span>Description</span><input className="input" value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} /></label>
          <label className="field"><span>When (CEL, optional: the policy applies only where this is true)</span><input className="input mono" value={form.when} onChange={(e) => setForm({ ...form, when: e.target.value })} data-testid="policy-when" /></label>
          <label className="field"><span>Expression (CEL: true when compliant)</span><textarea className="textarea mono" rows={3} value={form.expression} onChange={(e) => setForm({ ...form, expression: e.target.value })} data-testid="policy-expression" /></label>
          <label className="field"><span>Message when it fails</span><input className="input" value={form.message} onChange={(e) => setForm({ ...form, message: e.target.value })} data-testid="policy-message" /></label>
          <label className="row small"><input type="checkbox" checked={form.enabled} onChange={(e) => setForm({ ...form, enabled: e.target.checked })} data-testid="policy-enabled" /> Enabled</label>

          <div className="row">
            <label className="field">
              <span>Test against</span>
              <select className="select" value={target?.id ?? ''} onChange={(e) => { const b = blueprints.data?.items.find((x) => x.id === e.target.value); setTarget(b ? { id: b.id, number: b.currentVersion } : null); setTesting(false); }} data-testid="policy-test-blueprint">
                <option value="">a blueprint…</option>
                {blueprints.data?.items.map((b) => <option key={b.id} value={b.id}>{b.name} (v{b.currentVersion})</option>)}
              </select>
            </label>
            <button type="button" className="btn" disabled={!target} onClick={() => { setTesting(true); void test.refetch(); }} data-testid="policy-test">Test</button>
          </div>
          {testing && test.isError && <ErrorState error={test.error} title="The policy could not be tested" />}
          {testing && test.data && (
            <div className={`alert ${test.data.findings.length ? 'alert-warning' : 'alert-success'}`} data-testid="policy-test-result">
              {test.data.checks === 0 ? 'No component of that version is in scope.' : test.data.findings.length === 0 ? `Passes: ${test.data.checks} check(s), no finding.` : `${test.data.findings.length} finding(s) of ${test.data.checks} check(s): ${test.data.findings.map((f) => `${f.componentId ?? 'design'}: ${f.message}`).join('; ')}`}
            </div>
          )}
          <div className="row">
            {manage && <button type="submit" className="btn btn-primary" disabled={save.isPending} data-testid="policy-save">Save</button>}
            {manage && policies.data.some((p) => p.key === form.key && p.source !== 'default') && (
              <button type="button" className="btn btn-danger" onClick={() => reset.mutate({ key: form.key })} data-testid="policy-reset">
                {policies.data.find((p) => p.key === form.key)?.source === 'custom' ? 'Delete' : 'Reset to default'}
              </button>
            )}
            <button type="button" className="btn" onClick={() => setForm(null)}>Close</button>
          </div>
        </form>
      )}
    </div>
  );
}
