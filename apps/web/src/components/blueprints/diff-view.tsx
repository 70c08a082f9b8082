'use client';
import { skipToken, useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import type { TDiffResult, TVersionSummary } from '../../lib/api-types';
import { diffVersions } from '../../lib/diff-params';
import { isMissing } from '../../lib/errors';
import { formatDate, inlineValue, summariseRecord } from '../../lib/format';
import { useTRPC } from '../../lib/trpc/client';
import { ErrorState, NotFoundState, SkeletonBlock } from '../ui/states';
import { BlueprintHeader } from './blueprint-header';

type TDiff = TDiffResult['diff'];

/** How an added or a removed component or relation is shown: row class, mark and its colour. */
const SIDE = {
  added: { row: 'diff-added', cell: 'diff-after', mark: '+' },
  removed: { row: 'diff-removed', cell: 'diff-before', mark: '−' },
} as const;
const SIDES = ['added', 'removed'] as const;

export function DiffView({ id, from: fromParam, to: toParam }: { id: string; from: number | null; to: number | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const bp = useQuery(trpc.blueprints.byId.queryOptions({ id }));
  const versions = useQuery(trpc.blueprints.versions.queryOptions({ id }));
  const range = bp.data ? diffVersions(fromParam, toParam, bp.data.currentVersion) : null;
  const diff = useQuery(trpc.blueprints.diff.queryOptions(range ? { id, ...range } : skipToken));

  if (bp.isPending) return <div className="card card-body"><SkeletonBlock lines={6} /></div>;
  if (bp.isError) return isMissing(bp.error) ? <NotFoundState /> : <ErrorState error={bp.error} title="Could not load the blueprint" />;
  const { from, to } = range!;
  const pick = (next: { from: number; to: number }) => router.replace(`/blueprints/${id}/diff?from=${next.from}&to=${next.to}`, { scroll: false });

  return (
    <div className="stack">
      <BlueprintHeader blueprint={bp.data} crumb="Compare versions" />
      <div className="card">
        <div className="filters">
          <VersionSelect label="From" testId="diff-from" value={from} versions={versions.data} onChange={(v) => pick({ from: v, to })} />
          <span className="muted">→</span>
          <VersionSelect label="To" testId="diff-to" value={to} versions={versions.data} onChange={(v) => pick({ from, to: v })} />
          <button type="button" className="btn btn-sm btn-ghost" onClick={() => pick({ from: to, to: from })} data-testid="diff-swap">
            ⇄ Swap
          </button>
          <span className="spacer" />
          <span className="muted small">Canvas layout (component positions) is not compared.</span>
        </div>
        <div className="card-body">
          {diff.isPending ? (
            <SkeletonBlock />
          ) : diff.isError ? (
            <ErrorState error={diff.error} title="Could not compare these versions" />
          ) : (
            <DiffBody result={diff.data} />
          )}
        </div>
      </div>
    </div>
  );
}

function VersionSelect({ label, testId, value, versions, onChange }: { label: string; testId: string; value: number; versions: TVersionSummary[] | undefined; onChange: (v: number) => void }) {
  const list = versions ?? [];
  const known = list.some((v) => v.number === value);
  return (
    <label className="row small" style={{ gap: 6 }}>
      <span className="label">{label}</span>
      <select className="select" value={value} data-testid={testId} onChange={(e) => onChange(Number(e.target.value))}>
        {!known && <option value={value}>v{value}</option>}
        {list.map((v) => (
          <option key={v.number} value={v.number}>
            v{v.number} — {v.message.length > 40 ? `${v.message.slice(0, 37)}…` : v.message}
          </option>
        ))}
      </select>
    </label>
  );
}

export function DiffBody({ result }: { result: TDiffResult }) {
  const d: TDiff = result.diff;
  return (
    <div className="stack" data-testid="diff-result">
      <div className="row muted small">
        <span>
          v{result.from.number} by {result.from.authorName ?? '—'}, {formatDate(result.from.createdAt)}
        </span>
        <span>→</span>
        <span>
          v{result.to.number} by {result.to.authorName ?? '—'}, {formatDate(result.to.createdAt)}: “{result.to.message}”
        </span>
      </div>
      <div className="row" data-testid="diff-summary">
        <span className="muted">Components</span>
        <span className="summary-chip added" data-testid="sum-components-added">+{d.components.added.length}</span>
        <span className="summary-chip removed" data-testid="sum-components-removed">−{d.components.removed.length}</span>
        <span className="summary-chip changed" data-testid="sum-components-changed">~{d.components.changed.length}</span>
        <span className="muted small">({d.components.unchanged} unchanged)</span>
        <span style={{ width: 16 }} />
        <span className="muted">Relations</span>
        <span className="summary-chip added" data-testid="sum-relations-added">+{d.relations.added.length}</span>
        <span className="summary-chip removed" data-testid="sum-relations-removed">−{d.relations.removed.length}</span>
        <span className="summary-chip changed" data-testid="sum-relations-changed">~{d.relations.changed.length}</span>
      </div>

      {d.identical ? (
        <div className="alert alert-info" data-testid="diff-identical">
          {result.from.number === result.to.number ? 'These are the same version.' : 'The two versions have identical components and relations.'}
        </div>
      ) : (
        <>
          {(d.components.added.length > 0 || d.components.removed.length > 0) && (
            <section className="card">
              <div className="card-header">
                <h2>Added and removed components</h2>
              </div>
              <div className="table-wrap">
                <table className="table" data-testid="diff-components">
                  <thead>
                    <tr>
                      <th style={{ width: 30 }} />
                      <th>Id</th>
                      <th>Kind</th>
                      <th>Name</th>
                      <th>Region</th>
                      <th>Properties</th>
                    </tr>
                  </thead>
                  <tbody>
                    {SIDES.flatMap((side) =>
                      d.components[side].map((c) => (
                        <tr key={`${SIDE[side].mark}${c.id}`} className={SIDE[side].row} data-testid={`diff-${side}-${c.id}`}>
                          <td className={SIDE[side].cell}>{SIDE[side].mark}</td>
                          <td><code>{c.id}</code></td>
                          <td>{c.kind}</td>
                          <td>{c.name}</td>
                          <td>{c.region}</td>
                          <td className="small">{summariseRecord(c.properties).join(', ')}</td>
                        </tr>
                      )),
                    )}
                  </tbody>
                </table>
              </div>
            </section>
          )}

          {d.components.changed.map((c) => (
            <section key={c.id} className="card" data-testid={`diff-changed-${c.id}`}>
              <div className="card-header">
                <h2>
                  ~ <code>{c.id}</code> <span className="muted">{c.kind} · {c.name}</span>
                </h2>
                <span className="muted small">{c.changes.length} change{c.changes.length === 1 ? '' : 's'}</span>
              </div>
              <ChangeTable changes={c.changes} />
            </section>
          ))}

          {(d.relations.added.length > 0 || d.relations.removed.length > 0 || d.relations.changed.length > 0) && (
            <section className="card">
              <div className="card-header">
                <h2>Relation changes</h2>
              </div>
              <div className="table-wrap">
                <table className="table" data-testid="diff-relations">
                  <thead>
                    <tr>
                      <th style={{ width: 30 }} />
                      <th>From</th>
                      <th>To</th>
                      <th>Type</th>
                      <th>Properties</th>
                    </tr>
                  </thead>
                  <tbody>
                    {SIDES.flatMap((side) =>
                      d.relations[side].map((r) => (
                        <tr key={`${SIDE[side].mark}${r.from}>${r.to}:${r.type}`} className={SIDE[side].row} data-testid={`diff-relation-${side}`}>
                          <td className={SIDE[side].cell}>{SIDE[side].mark}</td>
                          <td><code>{r.from}</code></td>
                          <td><code>{r.to}</code></td>
                          <td>{r.type}</td>
                          <td className="small">{summariseRecord(r.properties).join(', ') || '—'}</td>
                        </tr>
                      )),
                    )}
                    {d.relations.changed.map((r) => (
                      <tr key={`~${r.from}>${r.to}:${r.type}`} data-testid="diff-relation-changed">
                        <td style={{ color: 'var(--warning)' }}>~</td>
                        <td><code>{r.from}</code></td>
                        <td><code>{r.to}</code></td>
                        <td>{r.type}</td>
                        <td className="small">
                          {r.changes.map((ch) => (
                            <div key={ch.path}>
                              {ch.path}: <span className="diff-before">{inlineValue(ch.before)}</span> → <span className="diff-after">{inlineValue(ch.after)}</span>
                            </div>
                          ))}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          )}
        </>
      )}
    </div>
  );
}

function ChangeTable({ changes }: { changes: TDiff['components']['changed'][number]['changes'] }) {
  return (
    <table className="table" style={{ tableLayout: 'fixed' }}>
      <thead>
        <tr>
          <th style={{ width: '30%' }}>Path</th>
          <th style={{ width: '35%' }}>Before</th>
          <th style={{ width: '35%' }}>After</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((ch) => (
          <tr key={ch.path} data-testid="diff-change">
            <td><code>{ch.path}</code></td>
            <td className="diff-before mono" style={{ wordBreak: 'break-word' }}>{inlineValue(ch.before)}</td>
            <td className="diff-after mono" style={{ wordBreak: 'break-word' }}>{inlineValue(ch.after)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
