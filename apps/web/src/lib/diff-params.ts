import type { TSearchParams } from './list-params';
import { searchParam } from './list-params';

/** `?from=2&to=3`: a version number is a whole number from 1; anything else counts as not given. */
export function readVersionParam(params: TSearchParams, key: string): number | null {
  const raw = searchParam(params, key);
  if (!raw || !/^\d{1,9}$/.test(raw)) return null;
  const n = Number(raw);
  return n >= 1 ? n : null;
}

/** Defaults when the URL names no versions: the previous version against the current one. */
export function diffVersions(from: number | null, to: number | null, current: number): { from: number; to: number } {
  return { from: from ?? Math.max(1, current - 1), to: to ?? current };
}
