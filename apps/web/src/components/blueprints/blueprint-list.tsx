'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { CLOUDS } from '@dharma/db/blueprint-graph';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useRef, useState, useTransition } from 'react';
import { announceNavigation } from '../../lib/navigation-events';
import { formatDate, relativeTime } from '../../lib/format';
import { listHref, PAGE_SIZE, readListState, STATUSES, toListInput, type TListState } from '../../lib/list-params';
import { canCreateBlueprint } from '../../lib/roles';
import { useNow } from '../../lib/use-now';
import { useTRPC } from '../../lib/trpc/client';
import { useSessionUser } from '../shell/session-context';
import { CloudBadge, StatusBadge } from '../ui/badges';
import { EmptyState, ErrorState, SkeletonRows } from '../ui/states';

const COLUMNS = 8;

export function BlueprintList() {
  const trpc = useTRPC();
  const router = useRouter();
  const params = useSearchParams();
  const user = useSessionUser();
  const state = readListState((k) => params.get(k));
  const input = toListInput(state);

  const list = useQuery(trpc.blueprints.list.queryOptions(input, { placeholderData: keepPreviousData }));
  const projects = useQuery(trpc.projects.list.queryOptions());

  // Changes build on the last state asked for, not the last one rendered: a second change made before the first
  // navigation commits (Clear, then a filter) must not bring back what the first one removed.
  // While navigations are in flight the URL lags behind; it is trusted again once they have all committed.
  const latest = useRef(state);
  const [navigating, startNavigation] = useTransition();
  const query = params.toString();
  // The box follows the URL only when the URL changed by itself (back button), never to undo what is being typed.
  const [search, setSearch] = useState(state.q);
  // True while the current history entry was made by the search box: the rest of what is typed replaces it, so
  // Back skips the intermediate searches but still returns to the list as it was before the search began.
  const searching = useRef(false);
  useEffect(() => {
    if (state.q.trim() !== latest.current.q.trim()) {
      searching.current = false;
      setSearch(state.q);
    }
  }, [state.q]);
  useEffect(() => {
    if (!navigating) latest.current = readListState((k) => new URLSearchParams(query).get(k));
  }, [query, navigating]);
  // Every page and filter change is a history entry of its own, so Back returns to the previous list state.
  const go = (patch: Partial<TListState>, { fromSearch = false } = {}) => {
    latest.current = { ...latest.current, page: 1, ...patch };
    const href = listHref(latest.current);
    const replace = fromSearch && searching.current;
    searching.current = fromSearch;
    if (href !== listHref(readListState((k) => params.get(k)))) announceNavigation();
    startNavigation(() => (replace ? router.replace(href, { scroll: false }) : router.push(href, { scroll: false })));
  };

  // The search box types freely; the URL (and so the query) follows 300 ms after the last keystroke.
  // A link clicked inside the debounce window wins: the pending search must not pull the user back to the list.
  const leaving = useRef(false);
  useEffect(() => {
    if (search.trim() === state.q.trim()) return;
    const t = setTimeout(() => {
      if (!leaving.current && latest.current.q.trim() !== search.trim()) go({ q: search }, { fromSearch: true });
    }, 300);
    return () => clearTimeout(t);
    // Re-armed by keystrokes only: state.q is read through latest.current, so a navigation never re-arms the
    // debounce and undoes itself (the bug this shape fixes).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [search]);

  const data = list.data;
  const total = data?.total ?? 0;
  const first = total === 0 ? 0 : (state.page - 1) * PAGE_SIZE + 1;
  const last = Math.min(total, state.page * PAGE_SIZE);
  const lastPage = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const filtered = Boolean(state.q || state.project || state.cloud || state.status || state.archived !== 'live');
  const now = useNow(30_000);

  return (
    <div
      className="stack"
      onClickCapture={(e) => {
        if ((e.target as HTMLElement).closest('a')) leaving.current = true;
      }}
    >
      <div className="page-header">
        <div>
          <h1>Blueprints</h1>
          <div className="subtitle">Versioned infrastructure designs in your tenant.</div>
        </div>
        {canCreateBlueprint(user.permissions) && (
          <Link href="/blueprints/new" className="btn btn-primary" data-testid="new-blueprint">
            + New blueprint
          </Link>
        )}
      </div>

      <div className="card">
        <div className="filters">
          <input
            type="search"
            className="input"
            placeholder="Search by name…"
            aria-label="Search blueprints"
            data-testid="search"
            value={search}
            maxLength={120}
            onChange={(e) => setSearch(e.target.value)}
          />
          <select className="select" aria-label="Project" data-testid="filter-project" value={state.project} onChange={(e) => go({ project: e.target.value })}>
            <option value="">All projects</option>
            {(projects.data ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          <select className="select" aria-label="Cloud" data-testid="filter-cloud" value={state.cloud} onChange={(e) => go({ cloud: e.target.value })}>
            <option value="">All clouds</option>
            {CLOUDS.map((c) => (
              <option key={c} value={c}>
                {c.toUpperCase()}
              </option>
            ))}
          </select>
          <select className="select" aria-label="Status" data-testid="filter-status" value={state.status} onChange={(e) => go({ status: e.target.value })}>
            <option value="">All statuses</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
          <select
            className="select"
            aria-label="Archived"
            data-testid="filter-archived"
            value={state.archived}
            onChange={(e) => go({ archived: e.target.value as TListState['archived'] })}
          >
            <option value="live">Live</option>
            <option value="archived">Archived</option>
            <option value="all">Live and archived</option>
          </select>
          {filtered && (
            <button type="button" className="btn btn-ghost btn-sm" data-testid="clear-filters" onClick={() => {
                setSearch('');
                go({ q: '', project: '', cloud: '', status: '', archived: 'live' });
              }}>
              Clear
            </button>
          )}
          <span className="spacer" />
          {(navigating || list.isFetching) && <span className="muted small" data-testid="list-fetching" role="status">Loading…</span>}
        </div>

        {list.isError && !data ? (
          <div className="card-body">
            <ErrorState error={list.error} title="Could not load blueprints" action={<button className="btn btn-sm" onClick={() => void list.refetch()}>Retry</button>} />
          </div>
        ) : (
          <div className="table-wrap" style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
            <table className="table reflow" data-testid="blueprint-table">
              <thead>
                <tr>
                  {/* Names stay readable: below this the table scrolls in its box (and reflows on phones). */}
                  <th style={{ minWidth: 220 }}>Name</th>
                  <th>Project</th>
                  <th>Cloud</th>
                  <th>Status</th>
                  <th className="num">Version</th>
                  <th className="num">Components</th>
                  <th>Updated</th>
                  <th>Author</th>
                </tr>
              </thead>
              <tbody>
                {!data ? (
                  <SkeletonRows cols={COLUMNS} />
                ) : data.items.length === 0 && total > 0 ? (
                  <tr>
                    <td colSpan={COLUMNS} className="reflow-full">
                      <EmptyState title={`Page ${state.page} is past the end`}>
                        <button type="button" className="btn btn-sm" onClick={() => go({ page: lastPage })}>
                          Go to page {lastPage}
                        </button>
                      </EmptyState>
                    </td>
                  </tr>
                ) : data.items.length === 0 ? (
                  <tr>
                    <td colSpan={COLUMNS} className="reflow-full">
                      <EmptyState title={filtered ? 'No blueprints match these filters' : 'No blueprints yet'}>
                        {filtered ? 'Try a different search or clear the filters.' : 'Create the first one with “New blueprint”.'}
                      </EmptyState>
                    </td>
                  </tr>
                ) : (
                  data.items.map((b) => (
                    <tr key={b.id} data-testid="blueprint-row">
                      <td className="reflow-full">
                        <Link href={`/blueprints/${b.id}`} data-testid="blueprint-link">
                          <strong>{b.name}</strong>
                        </Link>
                        {b.archivedAt && (
                          <>
                            {' '}
                            <span className="badge badge-archived">archived</span>
                          </>
                        )}
                        {b.description && <div className="muted small">{b.description}</div>}
                      </td>
                      <td className="nowrap" data-label="Project">{b.projectName}</td>
                      <td data-label="Cloud">
                        <CloudBadge cloud={b.cloud} />
                      </td>
                      <td data-label="Status">
                        <StatusBadge status={b.status} />
                      </td>
                      <td className="num" data-label="Version">v{b.currentVersion}</td>
                      <td className="num" data-label="Components">{b.componentCount}</td>
                      <td className="nowrap" data-label="Updated" title={formatDate(b.updatedAt)} suppressHydrationWarning>
                        {relativeTime(b.updatedAt, now)}
                      </td>
                      <td className="nowrap" data-label="Author">{b.createdByName ?? '—'}</td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
        )}

        <div className="pager">
          <span className="muted" data-testid="pager-range">
            {!data ? '…' : first > last ? `none of ${total}` : `${first}–${last} of ${total}`}
          </span>
          <div className="row">
            <button type="button" className="btn btn-sm" data-testid="page-prev" disabled={state.page <= 1} onClick={() => go({ page: Math.max(1, latest.current.page - 1) })}>
              ← Previous
            </button>
            <span className="muted small" data-testid="page-number">
              Page {state.page}
              {data ? ` of ${lastPage}` : ''}
            </span>
            <button type="button" className="btn btn-sm" data-testid="page-next" disabled={!data || last >= total} onClick={() => go({ page: latest.current.page + 1 })}>
              Next →
            </button>
          </div>
        </div>
      </div>
    </div>
  );
}
