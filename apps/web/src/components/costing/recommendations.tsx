'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useTRPC } from '../../lib/trpc/client';
import { MutationError } from '../ui/states';
import { formatUsd } from '../../lib/format';


/**
 * Savings advice for the current version: accepting saves the recommended change as the next version (and records
 * the decision); dismissing keeps a reason, and the advice is not shown again for this blueprint.
 */
export function Recommendations({ blueprintId, version, editable }: { blueprintId: string; version: number; editable: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const recs = useQuery(trpc.costing.recommendations.queryOptions({ id: blueprintId, number: version }));
  const current = useQuery(trpc.blueprints.byId.queryOptions({ id: blueprintId }));
  const save = useMutation(trpc.blueprints.saveVersion.mutationOptions());
  const decide = useMutation(trpc.costing.decideRecommendation.mutationOptions());
  const [dismissing, setDismissing] = useState<{ key: string; reason: string } | null>(null);
  if (!recs.data) return null;
  const { open, decided } = recs.data;

  const accept = async (r: (typeof open)[number]) => {
    const b = current.data;
    if (!b) return;
    const graph = { ...b.graph, components: b.graph.components.map((c) => (c.id === r.componentId ? { ...c, properties: { ...c.properties, ...r.patch } } : c)) };
    const saved = await save.mutateAsync({ id: blueprintId, baseVersion: b.currentVersion, graph, message: `Recommendation: ${r.title}` });
    await decide.mutateAsync({ id: blueprintId, number: version, key: r.key, decision: 'accepted', acceptedAs: saved.version });
    await qc.invalidateQueries({ queryKey: trpc.blueprints.pathKey() });
    router.push(`/blueprints/${blueprintId}?tab=versions&saved=${saved.version}`);
  };

  return (
    <div className="stack" data-testid="recommendations">
      <h3>Recommendations</h3>
      <MutationError mutations={[save, decide]} testId="recommendation-error" />
      {open.length === 0 && <div className="muted small">No savings advice for version {version}.</div>}
      {open.map((r) => (
        <div key={r.key} className="card card-body" data-testid="recommendation" data-key={r.key}>
          <div className="row">
            <strong>{r.title}</strong>
            <span className="spacer" />
            <span className="badge badge-ok" data-testid="recommendation-savings">saves {formatUsd(r.monthlySavings)}/mo</span>
          </div>
          <div className="muted small">{r.why}</div>
          {editable && (
            <div className="row">
              <button type="button" className="btn btn-sm btn-primary" disabled={save.isPending || decide.isPending} onClick={() => void accept(r)} data-testid="recommendation-accept">Accept (new version)</button>
              {dismissing?.key === r.key ? (
                <form className="row" onSubmit={(e) => { e.preventDefault(); decide.mutate({ id: blueprintId, number: version, key: r.key, decision: 'dismissed', reason: dismissing.reason }, { onSuccess: async () => { setDismissing(null); await recs.refetch(); } }); }}>
                  <input className="input" placeholder="why not" value={dismissing.reason} onChange={(e) => setDismissing({ key: r.key, reason: e.target.value })} data-testid="recommendation-reason" />
                  <button type="submit" className="btn btn-sm" data-testid="recommendation-dismiss-submit">Dismiss</button>
                </form>
              ) : (
                <button type="button" className="btn btn-sm" onClick={() => setDismissing({ key: r.key, reason: '' })} data-testid="recommendation-dismiss">Dismiss…</button>
              )}
            </div>
          )}
        </div>
      ))}
      {decided.length > 0 && (
        <table className="table small" data-testid="recommendation-decisions">
          <tbody>
            {decided.map((d) => (
              <tr key={d.key}>
                <td className="mono">{d.key}</td>
                <td>{d.decision}{d.version ? ` as v${d.version}` : ''}</td>
                <td>{d.reason}</td>
                <td className="num">{formatUsd(d.monthlySavings)}/mo</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
