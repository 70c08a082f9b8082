import { describe, expect, it } from 'vitest';
import type { TBlueprintSummary } from '@dharma/db/queries/blueprints';
import { patchListPage, type TListFilter, type TListPage } from './list-patch';

const at = (second: number) => new Date(Date.UTC(2026, 11, 1, 12, 0, second)).toISOString();
const row = (id: string, second: number, over: Partial<TBlueprintSummary> = {}): TBlueprintSummary => ({
  id,
  projectId: 'p1',
  projectName: 'Project',
  name: `bp ${id}`,
  description: '',
  cloud: 'aws',
  status: 'draft',
  currentVersion: 1,
  componentCount: 1,
  createdBy: null,
  createdByName: null,
  createdAt: at(second),
  updatedAt: at(second),
  archivedAt: null,
  ...over,
});
const filter = (over: Partial<TListFilter> = {}): TListFilter => ({ archived: 'live', page: 1, pageSize: 3, ...over });
const page = (items: TBlueprintSummary[], total: number, pageSize = 3): TListPage => ({ items, total, page: 1, pageSize });
const ids = (p: TListPage | undefined) => p && { ids: p.items.map((i) => i.id), total: p.total };

describe('patchListPage: a create', () => {
  const old = page([row('c', 30), row('b', 20), row('a', 10)], 5);

  it('puts the new row first and drops the last of a full page; the total grows', () => {
    expect(ids(patchListPage(filter(), old, { kind: 'create', row: row('d', 40) }))).toEqual({ ids: ['d', 'c', 'b'], total: 6 });
  });

  it('appends to a page that shows everything', () => {
    expect(ids(patchListPage(filter({ pageSize: 5 }), page([row('b', 20)], 1, 5), { kind: 'create', row: row('a', 10) }))).toEqual({ ids: ['b', 'a'], total: 2 });
  });

  it('cannot tell whether the total counts a row the page already has (read after the commit, or put there by a later save)', () => {
    const already = page([row('d', 40), row('c', 30), row('b', 20)], 6);
    expect(patchListPage(filter(), already, { kind: 'create', row: row('d', 40) })).toBeUndefined();
  });

  it('leaves pages whose filters the row does not match unchanged', () => {
    const azure = page([row('x', 5, { cloud: 'azure' })], 1);
    expect(patchListPage(filter({ cloud: 'azure' }), azure, { kind: 'create', row: row('d', 40) })).toBe(azure);
    expect(patchListPage(filter({ projectId: 'p2' }), old, { kind: 'create', row: row('d', 40) })).toBe(old);
    expect(patchListPage(filter({ status: 'approved' }), old, { kind: 'create', row: row('d', 40) })).toBe(old);
  });

  it('cannot tell when the row sorts after a full page, or ties on the millisecond, or the page is not the first', () => {
    expect(patchListPage(filter(), old, { kind: 'create', row: row('z', 1) })).toBeUndefined();
    expect(patchListPage(filter(), old, { kind: 'create', row: row('d', 30) })).toBeUndefined();
    expect(patchListPage(filter({ page: 2 }), { ...old, page: 2 }, { kind: 'create', row: row('d', 40) })).toBeUndefined();
    expect(patchListPage(filter({ search: 'bp' }), old, { kind: 'create', row: row('d', 40) })).toBeUndefined();
    expect(patchListPage(filter({ archived: 'all' }), old, { kind: 'create', row: row('d', 40) })).toBeUndefined();
  });
});

describe('patchListPage: a version save', () => {
  const old = page([row('c', 30), row('b', 20), row('a', 10)], 5);

  it('moves the saved row to the top with its new values; the total stays', () => {
    const saved = row('a', 50, { currentVersion: 2, componentCount: 4, name: 'renamed' });
    const out = patchListPage(filter(), old, { kind: 'save', row: saved });
    expect(ids(out)).toEqual({ ids: ['a', 'c', 'b'], total: 5 });
    expect(out?.items[0]).toEqual(saved);
  });

  it('brings a row from beyond the page onto it, pushing the last one off', () => {
    expect(ids(patchListPage(filter(), old, { kind: 'save', row: row('q', 50) }))).toEqual({ ids: ['q', 'c', 'b'], total: 5 });
  });

  it('is the same whether the page was read before or after the save', () => {
    const saved = row('a', 50, { currentVersion: 2 });
    const before = patchListPage(filter(), old, { kind: 'save', row: saved });
    const after = patchListPage(filter(), page([saved, row('c', 30), row('b', 20)], 5), { kind: 'save', row: saved });
    expect(after).toEqual(before);
  });

  it('leaves a full page alone when the row stays beyond it', () => {
    expect(patchListPage(filter(), old, { kind: 'save', row: row('q', 1) })).toBe(old);
  });

  it('cannot tell when a row on a full page falls to its end, or is missing from a page that shows everything', () => {
    expect(patchListPage(filter(), old, { kind: 'save', row: row('c', 5, { currentVersion: 2 }) })).toBeUndefined();
    expect(patchListPage(filter({ pageSize: 5 }), page([row('b', 20)], 1, 5), { kind: 'save', row: row('x', 50) })).toBeUndefined();
  });

  it('never puts an older state of a row over a newer one (invalidations out of order)', () => {
    const newer = page([row('a', 50, { currentVersion: 3 }), row('c', 30), row('b', 20)], 5);
    expect(patchListPage(filter(), newer, { kind: 'save', row: row('a', 45, { currentVersion: 2 }) })).toBe(newer);
    expect(patchListPage(filter(), newer, { kind: 'save', row: row('a', 40, { currentVersion: 3 }) })).toBe(newer);
    expect(ids(patchListPage(filter(), newer, { kind: 'save', row: row('a', 60, { currentVersion: 3, name: 'renamed' }) }))).toEqual({ ids: ['a', 'c', 'b'], total: 5 });
  });

  it('puts a row saved again in its new place among the others', () => {
    const p = page([row('m', 30), row('k', 20)], 2, 5);
    expect(ids(patchListPage(filter({ pageSize: 5 }), p, { kind: 'save', row: row('k', 40) }))).toEqual({ ids: ['k', 'm'], total: 2 });
  });
});
