import type { TBlueprintSummary } from '@dharma/db/queries/blueprints';

/** A list page as `blueprints.list` returns (and caches) it. */
export interface TListPage {
  items: TBlueprintSummary[];
  total: number;
  page: number;
  pageSize: number;
}

/** The filters of a list page (the procedure's parsed input). */
export interface TListFilter {
  search?: string | undefined;
  projectId?: string | undefined;
  cloud?: string | undefined;
  status?: string | undefined;
  archived: 'live' | 'archived' | 'all';
  page: number;
  pageSize: number;
}

/** What a write did to one blueprint, with its list row as the list query now returns it. */
export interface TListChange {
  kind: 'create' | 'save';
  row: TBlueprintSummary;
}

const matches = (f: TListFilter, row: TBlueprintSummary) =>
  (!f.projectId || f.projectId === row.projectId) && (!f.cloud || f.cloud === row.cloud) && (!f.status || f.status === row.status);

/**
 * The first page of a list after a create or a version save, from the page before it and the written row, exactly as
 * the list query would return it; undefined whenever that cannot be known from the page alone (then the page is read
 * again): pages after the first, name searches, archived lists, an order the page cannot settle (two rows in the same
 * millisecond: the database orders by microseconds, the page shows milliseconds), a row that leaves a full page or
 * joins one from beyond its end, a page that disagrees with the write.
 *
 * The page may be older than the write (the usual case) or already include it (read after the commit, before the
 * write's invalidation): a save gives the same answer either way; a create whose row is there already cannot tell
 * whether the total counts it, and leaves the page to a reload. Two writes to one row may invalidate in the other
 * order than they committed: the row on the page is replaced only by a newer state of it.
 */
export function patchListPage(filter: TListFilter, page: TListPage, change: TListChange): TListPage | undefined {
  if (filter.page !== 1 || filter.search || filter.archived !== 'live' || page.page !== 1 || page.pageSize !== filter.pageSize) return undefined;
  const { row } = change;
  // A write elsewhere bumped a tag this page shares (a project's lists also have other filters): nothing changes.
  if (!matches(filter, row)) return page;
  const current = page.items.find((i) => i.id === row.id);
  // A create finding its row already there: the page was read after the commit (its total counts the row), or a
  // later save of the row, whose invalidation overtook this one, put it there (its total does not): cannot tell.
  if (change.kind === 'create' && current) return undefined;
  // Two writes to one row can invalidate out of order: never put an older state of the row over a newer one.
  if (current && (current.currentVersion > row.currentVersion || (current.currentVersion === row.currentVersion && current.updatedAt >= row.updatedAt))) {
    return page;
  }
  const present = current !== undefined;
  const others = page.items.filter((i) => i.id !== row.id);
  if (others.some((i) => i.updatedAt === row.updatedAt)) return undefined;
  // Newest first, then by id, descending: the list query's order.
  let at = others.findIndex((i) => i.updatedAt < row.updatedAt || (i.updatedAt === row.updatedAt && i.id < row.id));
  if (at < 0) at = others.length;
  const full = page.total > page.items.length || page.items.length === page.pageSize;
  if (at === others.length && full) {
    // The row sorts after everything on a full page: it belongs further on, unless it was on this page (a save) and
    // nothing beyond the page is newer, which the page cannot tell.
    if (change.kind === 'save' && !present) return page;
    return undefined;
  }
  if (change.kind === 'save' && !present && !full) return undefined;
  const items = [...others.slice(0, at), row, ...others.slice(at)].slice(0, page.pageSize);
  return { ...page, items, total: change.kind === 'create' ? page.total + 1 : page.total };
}
