/**
 * The key layout and entry format shared by the cache and anything else that reads its entries (for example a front
 * layer answering hits before tRPC), so both agree on what is fresh.
 *
 *   entry:       `${prefix}:t:${tenantId}:e:${namespace}:${key}`  →  JSON `{ "v": value, "g": [tagVersion, ...] }`
 *   tag version: `${prefix}:t:${tenantId}:g:${tag}`               →  decimal string, bumped by invalidation
 *
 * Reading one entry is a single MGET of the entry key followed by its tag keys, in the order of `tags`.
 */

/** A misuse of the cache API (an empty tenant id, a ':' in a namespace...): a bug in the caller, never fail-open. */
export class CacheUsageError extends Error {
  override name = 'CacheUsageError';
}

export type TCacheEntry = {
  /** The cached value as JSON text, '' when the loader returned undefined; parse it to use it. */
  json: string;
  /** Versions of the entry's tags read before its loader ran. */
  g: string[];
};

// Tenant ids, namespaces and the prefix are separators' neighbours: a ':' in one would let two different
// (tenant, namespace, key) triples spell the same Redis key, which for tenants is a data leak.
const SEGMENT = /^[^\s:]{1,128}$/;

/** Throws {@link CacheUsageError} unless `value` is a non-empty string with no ':' or whitespace, at most 128 chars. */
export function assertSegment(what: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || !SEGMENT.test(value)) {
    throw new CacheUsageError(`${what} must be 1-128 characters without ':' or whitespace, got ${JSON.stringify(value)}`);
  }
}

/** Throws {@link CacheUsageError} unless `value` is a non-empty string of at most 1024 characters (':' allowed). */
export function assertTail(what: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 1024) {
    throw new CacheUsageError(`${what} must be a non-empty string of at most 1024 characters`);
  }
}

/** The Redis key of one cached value; tenantId and namespace must have passed {@link assertSegment}. */
export function entryKey(prefix: string, tenantId: string, namespace: string, key: string): string {
  return `${prefix}:t:${tenantId}:e:${namespace}:${key}`;
}

/** The Redis key of one tag's version within a tenant. */
export function tagKey(prefix: string, tenantId: string, tag: string): string {
  return `${prefix}:t:${tenantId}:g:${tag}`;
}

/**
 * `<version>,<version>…` + newline + the value's JSON. Versions first, so freshness is checked without parsing the
 * value, and a front layer can send the JSON on without parsing it at all. Throws (TypeError) when the value is not
 * JSON-serialisable (BigInt, cycles).
 */
export function encodeEntry(value: unknown, versions: readonly string[]): string {
  const json: string | undefined = JSON.stringify(value);
  return `${versions.join(',')}\n${json ?? ''}`;
}

const VERSIONS = /^(\d+(,\d+)*)?$/;

/** The entry stored under an entry key, or null when it is missing or not an entry (a corrupt value is a miss). */
export function decodeEntry(raw: string | null | undefined): TCacheEntry | null {
  if (raw === null || raw === undefined) return null;
  const nl = raw.indexOf('\n');
  if (nl < 0) return null;
  const head = raw.slice(0, nl);
  if (!VERSIONS.test(head)) return null;
  return { g: head === '' ? [] : head.split(','), json: raw.slice(nl + 1) };
}

/**
 * True when the entry was stamped with exactly the current tag versions. A missing current version (never seeded,
 * expired or evicted) is never fresh: versions are seeded from a random base, so no entry is stamped "missing".
 */
export function isFresh(entry: TCacheEntry, current: readonly (string | null | undefined)[]): boolean {
  if (entry.g.length !== current.length) return false;
  return entry.g.every((version, i) => {
    const now = current[i];
    return typeof now === 'string' && now === version;
  });
}
