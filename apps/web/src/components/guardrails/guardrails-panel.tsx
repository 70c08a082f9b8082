'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { can, type TPermissionLike } from '../../lib/roles';
import { useTRPC } from '../../lib/trpc/client';
import { ErrorState, MutationError, SkeletonBlock } from '../ui/states';

const SEVERITY_BADGE = { critical: 'badge-bad', high: 'badge-bad', medium: 'badge-review', low: 'badge-draft' } as const;
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);

/**
 * A version against the tenant's guardrails: its score, what blocks approval, each finding with its exemption; waivers
 * asked for and decided here, overrides of soft policies, and the history of recorded evaluations as a chart.
 */
export function GuardrailsPanel({ blueprintId, version, permissions, canRequest }: { blueprintId: string; version: number; permissions: readonly TPermissionLike[]; canRequest: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const evaluation = useQuery(trpc.guardrails.evaluation.queryOptions({ id: blueprintId, number: version }));
  const exemptions = useQuery(trpc.guardrails.exemptions.queryOptions({ id: blueprintId }));
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.guardrails.pathKey() });
  const record = useMutation(trpc.guardrails.evaluate.mutationOptions({ onSuccess: refresh }));
  const waive = useMutation(trpc.guardrails.requestWaiver.mutationOptions({ onSuccess: async () => { setAsking(null); await refresh(); } }));
  const override = useMutation(trpc.guardrails.override.mutationOptions({ onSuccess: async () => { setAsking(null); await refresh(); } }));
  const approve = useMutation(trpc.guardrails.approveWaiver.mutationOptions({ onSuccess: refresh }));
  const revoke = useMutation(trpc.guardrails.revokeExemption.mutationOptions({ onSuccess: refresh }));
  const [asking, setAsking] = useState<{ policyKey: string; kind: 'waiver' | 'override'; reason: string; expires: string } | null>(null);
  const manage = can(permissions, 'guardrail', 'manage');
  const mayOverride = can(permissions, 'guardrail', 'override');

  if (evaluation.isError) return <div className="card-body"><ErrorState error={evaluation.error} title="Could not evaluate the guardrails" /></div>;
  if (evaluation.isPending) return <div className="card-body"><SkeletonBlock /></div>;
  const e = evaluation.data;
  const history = [...(exemptions.data?.evaluations ?? [])].reverse().map((h, i) => ({ n: i + 1, score: h.score, label: `v${h.version} ${new Date(h.evaluatedAt).toLocaleString()}` }));

  return (
    <div className="stack card-body">
      <div className="stats">
        <div className="stat">
          <div className="stat-label">Score</div>
          <div className="stat-value" data-testid="guardrail-score">{e.score}</div>
        </div>
        <div className="stat">
          <div className="stat-label">Checks</div>
          <div className="stat-value">{e.checks}</div>
        </div>
        <div className="stat">
          <div className="stat-label">Blocking approval</div>
          <div className="stat-value" data-testid="guardrail-blocking">{e.blocking}</div>
        </div>
      </div>
      <div className="row">
        <div className={`alert ${e.blocking > 0 ? 'alert-error' : e.passed ? 'alert-success' : 'alert-warning'}`} style={{ flex: 1 }} data-testid="guardrail-summary">
          {e.blocking > 0 ? `Version ${version} has ${e.blocking} unexempted hard or soft failure(s): it cannot be approved until they are fixed, waived or overridden.` : e.passed ? `Version ${version} passes the guardrails.` : `Version ${version} has critical or high findings.`}
        </div>
        <button type="button" className="btn" disabled={record.isPending} onClick={() => record.mutate({ id: blueprintId, number: version })} data-testid="guardrail-record">
          {record.isPending ? 'Recording…' : 'Record evaluation'}
        </button>
      </div>
      <MutationError mutations={[record, waive, override, approve, revoke]} testId="guardrail-error" />

      {e.findings.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="guardrail-findings">
            <thead>
              <tr>
                <th>Policy</th>
                <th>Severity</th>
                <th>Enforcement</th>
                <th>Component</th>
                <th>Finding</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {e.findings.map((f, i) => (
                <tr key={i} data-testid="guardrail-finding" data-policy={f.policyKey}>
                  <td>{f.policyName}<br /><span className="faint small mono">{f.policyKey}</span></td>
                  <td><span className={`badge ${SEVERITY_BADGE[f.severity]}`}>{f.severity}</span></td>
                  <td>{f.enforcement}</td>
                  <td className="mono small">{f.componentId ?? 'design'}</td>
                  <td>
                    {f.message}
                    {f.exemptedBy && <div className="small muted" data-testid="finding-exempted">{f.exemptedBy.kind === 'waiver' ? 'Waived' : 'Overridden'}: {f.exemptedBy.reason}</div>}
                  </td>
                  <td className="nowrap">
                    {!f.exemptedBy && f.enforcement !== 'advisory' && canRequest && (
                      <button type="button" className="btn btn-sm" onClick={() => setAsking({ policyKey: f.policyKey, kind: 'waiver', reason: '', expires: inDays(30) })} data-testid="finding-waive">Request waiver</button>
                    )}
                    {!f.exemptedBy && f.enforcement === 'soft' && mayOverride && (
                      <button type="button" className="btn btn-sm" onClick={() => setAsking({ policyKey: f.policyKey, kind: 'override', reason: '', expires: '' })} data-testid="finding-override">Override</button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {asking && (
        <form
          className="card card-body stack"
          data-testid="exemption-form"
          onSubmit={(ev) => {
            ev.preventDefault();
            if (asking.kind === 'waiver') waive.mutate({ id: blueprintId, policyKey: asking.policyKey, reason: asking.reason, expiresAt: new Date(`${asking.expires}T23:59:59Z`).toISOString() });
            else override.mutate({ id: blueprintId, policyKey: asking.policyKey, reason: asking.reason });
          }}
        >
          <h3>{asking.kind === 'waiver' ? 'Request a waiver' : 'Override'} of {asking.policyKey}</h3>
          <label className="field">
            <span>Reason</span>
            <textarea className="textarea" value={asking.reason} onChange={(ev) => setAsking({ ...asking, reason: ev.target.value })} data-testid="exemption-reason" />
          </label>
          {asking.kind === 'waiver' && (
            <label className="field">
              <span>Expires</span>
              <input type="date" className="input" value={asking.expires} onChange={(ev) => setAsking({ ...asking, expires: ev.target.value })} data-testid="exemption-expires" />
            </label>
          )}
          <div className="row">
            <button type="submit" className="btn btn-primary" data-testid="exemption-submit">{asking.kind === 'waiver' ? 'Request' : 'Override'}</button>
            <button type="button" className="btn" onClick={() => setAsking(null)}>Cancel</button>
          </div>
        </form>
      )}

      {exemptions.data && exemptions.data.exemptions.length > 0 && (
        <div className="table-wrap">
          <h3>Waivers and overrides</h3>
          <table className="table" data-testid="exemptions">
            <thead>
              <tr>
                <th>Policy</th>
                <th>Kind</th>
                <th>Reason</th>
                <th>Expires</th>
                <th>Status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {exemptions.data.exemptions.map((x) => (
                <tr key={x.id} data-testid="exemption" data-status={x.status}>
                  <td className="mono small">{x.policyKey}</td>
                  <td>{x.kind}</td>
                  <td>{x.reason}</td>
                  <td className="small">{x.expiresAt ? new Date(x.expiresAt).toLocaleDateString() : '—'}</td>
                  <td data-testid="exemption-status">{x.status}</td>
                  <td className="nowrap">
                    {manage && x.status === 'pending' && <button type="button" className="btn btn-sm btn-primary" onClick={() => approve.mutate({ exemptionId: x.id })} data-testid="exemption-approve">Approve</button>}
                    {manage && (x.status === 'pending' || x.status === 'active') && <button type="button" className="btn btn-sm" onClick={() => revoke.mutate({ exemptionId: x.id })} data-testid="exemption-revoke">Revoke</button>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {history.length > 0 && (
        <div>
          <h3>Recorded evaluations</h3>
          <div className="chart-box" data-testid="guardrail-history">
            <ResponsiveContainer width="100%" height={180}>
              <LineChart data={history}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="n" tickFormatter={(n: number) => history[n - 1]?.label.split(' ')[0] ?? ''} />
                <YAxis domain={[0, 100]} />
                <Tooltip labelFormatter={(n) => history[Number(n) - 1]?.label ?? ''} />
                <Line type="monotone" dataKey="score" stroke="#2563eb" isAnimationActive={false} />
              </LineChart>
            </ResponsiveContainer>
          </div>
        </div>
      )}
    </div>
  );
}
