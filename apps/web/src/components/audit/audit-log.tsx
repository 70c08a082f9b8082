'use client';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { errorCode } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc/client';
import { EmptyState, ErrorState, SkeletonRows } from '../ui/states';

type TFilter = { action?: string; targetId?: string; actorId?: string };

const clean = (f: TFilter): TFilter => Object.fromEntries(Object.entries(f).filter(([, v]) => v)) as TFilter;
const show = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v));

/**
 * The audit log: every change and sign-in of the tenant, newest first, filtered by action (or a prefix such as
 * `blueprint.`), target and actor, a page at a time; exported as CSV or JSON with the same filters.
 */
export function AuditLog() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [draft, setDraft] = useState<TFilter>({});
  const [filter, setFilter] = useState<TFilter>({});
  const [exporting, setExporting] = useState<string | null>(null);
  const [exportError, setExportError] = useState<unknown>(null);
  const events = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions({ ...filter, limit: 50 }, { getNextPageParam: (last) => last.next ?? undefined, initialCursor: undefined, retry: false }),
  );
  const download = async (format: 'csv' | 'json') => {
    setExporting(format);
    setExportError(null);
    try {
      const file = await qc.fetchQuery(trpc.audit.export.queryOptions({ ...filter, format }, { staleTime: 0 }));
      const url = URL.createObjectURL(new Blob([file.body], { type: file.contentType }));
      const a = Object.assign(document.createElement('a'), { href: url, download: file.filename });
      a.click();
      URL.revokeObjectURL(url);
    } catch (error) {
      setExportError(error);
    } finally {
      setExporting(null);
    }
  };
  const rows = events.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="stack">
      <div className="page-header">
        <div>
          <h1>Audit log</h1>
          <div className="subtitle">Every change and sign-in in this tenant: who, what, when and from where. Events cannot be changed or deleted.</div>
        </div>
        <div className="row">
          <button type="button" className="btn" disabled={exporting !== null} onClick={() => void download('csv')} data-testid="export-csv">
            {exporting === 'csv' ? 'Exporting…' : 'Export CSV'}
          </button>
          <button type="button" className="btn" disabled={exporting !== null} onClick={() => void download('json')} data-testid="export-json">
            {exporting === 'json' ? 'Exporting…' : 'Export JSON'}
          </button>
        </div>
      </div>
      <form
        className="card card-body row"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter(clean(draft));
        }}
      >
        <label className="field">
          <span>Action</span>
          <input value={draft.action ?? ''} placeholder="blueprint. or role.grant" onChange={(e) => setDraft({ ...draft, action: e.target.value.trim() })} data-testid="filter-action" />
        </label>
        <label className="field">
          <span>Target id</span>
          <input value={draft.targetId ?? ''} onChange={(e) => setDraft({ ...draft, targetId: e.target.value.trim() })} data-testid="filter-target" />
        </label>
        <label className="field">
          <span>Actor id</span>
          <input value={draft.actorId ?? ''} onChange={(e) => setDraft({ ...draft, actorId: e.target.value.trim() })} data-testid="filter-actor" />
        </label>
        <button type="submit" className="btn btn-primary" data-testid="filter-apply">
          Apply
        </button>
      </form>
      {exportError !== null && <ErrorState error={exportError} title="The export failed" />}
      {events.isError ? (
        <ErrorState error={events.error} title={errorCode(events.error) === 'FORBIDDEN' ? 'Your roles may not read the audit log' : 'Could not load the audit log'} />
      ) : events.isPending ? (
        <SkeletonRows rows={6} cols={5} />
      ) : rows.length === 0 ? (
        <EmptyState title="No events match these filters" />
      ) : (
        <div className="card">
          <table className="table" data-testid="audit-table">
            <thead>
              <tr>
                <th>When</th>
                <th>Actor</th>
                <th>Action</th>
                <th>Target</th>
                <th>Change</th>
                <th>From</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={e.id} data-testid="audit-row">
                  <td className="small">{new Date(e.at).toLocaleString()}</td>
                  <td>{e.actorLabel || e.actorType}</td>
                  <td>
                    <code data-testid="audit-action">{e.action}</code>
                  </td>
                  <td className="small">
                    {e.targetType} <code>{e.targetId}</code>
                  </td>
                  <td className="small mono" style={{ maxWidth: 360, overflowWrap: 'anywhere' }}>
                    {e.before !== null && e.before !== undefined && <div className="muted">− {show(e.before)}</div>}
                    {e.after !== null && e.after !== undefined && <div>+ {show(e.after)}</div>}
                  </td>
                  <td className="small muted" title={e.userAgent ?? ''}>
                    {e.ip}
                    <div>request {e.requestId?.slice(0, 8)}</div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {events.hasNextPage && (
            <div className="card-body">
              <button type="button" className="btn" disabled={events.isFetchingNextPage} onClick={() => void events.fetchNextPage()} data-testid="audit-more">
                {events.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
