import { CLOUDS } from '@dharma/db/blueprint-graph';
import type { TArchivedFilter, TListInput, TStatus } from './api-types';

export const PAGE_SIZE = 20;
export const STATUSES = ['draft', 'review', 'approved', 'deprecated'] as const satisfies readonly TStatus[];
const ARCHIVED = ['live', 'archived', 'all'] as const satisfies readonly TArchivedFilter[];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The list page's whole state lives in the URL: `?q=&project=&cloud=&status=&archived=&page=`. */
export interface TListState {
  q: string;
  project: string;
  cloud: string;
  status: string;
  archived: TArchivedFilter;
  page: number;
}

const oneOf = <T extends string>(values: readonly T[], v: string | null | undefined): T | undefined =>
  values.find((x) => x === v);

/** Unknown or malformed values are dropped rather than sent (they would only come back as BAD_REQUEST). */
export function readListState(get: (key: string) => string | null | undefined): TListState {
  const page = Number.parseInt(get('page') ?? '1', 10);
  return {
    q: (get('q') ?? '').slice(0, 120),
    project: UUID.test(get('project') ?? '') ? (get('project') as string) : '',
    cloud: oneOf(CLOUDS, get('cloud')) ?? '',
    status: oneOf(STATUSES, get('status')) ?? '',
    archived: oneOf(ARCHIVED, get('archived')) ?? 'live',
    page: Number.isFinite(page) && page >= 1 && page <= 100_000 ? page : 1,
  };
}

export function toListInput(s: TListState): TListInput {
  const q = s.q.trim();
  return {
    search: q || undefined,
    projectId: s.project || undefined,
    cloud: oneOf(CLOUDS, s.cloud),
    status: oneOf(STATUSES, s.status),
    archived: s.archived,
    page: s.page,
    pageSize: PAGE_SIZE,
  };
}

export function listHref(s: TListState): string {
  const p = new URLSearchParams();
  if (s.q.trim()) p.set('q', s.q.trim());
  if (s.project) p.set('project', s.project);
  if (s.cloud) p.set('cloud', s.cloud);
  if (s.status) p.set('status', s.status);
  if (s.archived !== 'live') p.set('archived', s.archived);
  if (s.page > 1) p.set('page', String(s.page));
  const qs = p.toString();
  return qs ? `/blueprints?${qs}` : '/blueprints';
}

export type TSearchParams = Record<string, string | string[] | undefined>;
export const searchParam = (params: TSearchParams, key: string) => {
  const v = params[key];
  return typeof v === 'string' ? v : Array.isArray(v) ? v[0] : undefined;
};

/** The blueprints offered as a starting point on "new" ("copy one"): live ones, newest first. */
export const COPY_SOURCES_INPUT: TListInput = { archived: 'live', page: 1, pageSize: 100 };
