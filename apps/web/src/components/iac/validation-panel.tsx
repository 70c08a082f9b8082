'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '../../lib/trpc/client';
import { ErrorState, SkeletonBlock } from '../ui/states';

/**
 * Validation of one version against the catalog and the tenant's rules: each finding with its severity, component,
 * field, reason and fix. A finding on a component links to that component in the editor.
 */
export function ValidationPanel({ blueprintId, version, editable }: { blueprintId: string; version: number; editable: boolean }) {
  const trpc = useTRPC();
  const validation = useQuery(trpc.iac.validate.queryOptions({ id: blueprintId, number: version }));
  if (validation.isError) return <div className="card-body"><ErrorState error={validation.error} title="Could not validate this version" /></div>;
  if (validation.isPending) return <div className="card-body"><SkeletonBlock /></div>;
  const { findings, errors, warnings } = validation.data;
  return (
    <div className="stack">
      <div className="card-body">
        {findings.length === 0 ? (
          <div className="alert alert-success" data-testid="validation-clean">Version {version} passes validation: every component is in the catalog with valid properties, regions and names.</div>
        ) : (
          <div className={`alert ${errors > 0 ? 'alert-error' : 'alert-warning'}`} data-testid="validation-summary">
            Version {version}: {errors} error{errors === 1 ? '' : 's'}, {warnings} warning{warnings === 1 ? '' : 's'}.{errors > 0 ? ' Errors block code generation.' : ''}
          </div>
        )}
      </div>
      {findings.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="validation-findings">
            <thead>
              <tr>
                <th>Severity</th>
                <th>Component</th>
                <th>Field</th>
                <th>Problem</th>
                <th>Fix</th>
              </tr>
            </thead>
            <tbody>
              {findings.map((f, i) => (
                <tr key={i} data-testid="finding" data-code={f.code}>
                  <td>
                    <span className={`badge ${f.severity === 'error' ? 'badge-bad' : 'badge-review'}`}>{f.severity}</span>
                  </td>
                  <td className="mono small">
                    {f.componentId && editable ? <Link href={`/blueprints/${blueprintId}/edit#component-${f.componentId}`}>{f.componentId}</Link> : (f.componentId ?? '—')}
                  </td>
                  <td className="mono small">{f.field ?? '—'}</td>
                  <td>
                    {f.message} <span className="faint small mono">({f.code})</span>
                  </td>
                  <td className="muted small">{f.hint}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
