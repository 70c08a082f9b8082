import { LRUCache } from 'lru-cache';
import { createCounters } from './cache-stats';
import type { TCacheCounters, TCacheStats } from './cache-stats';
import {
  assertSegment,
  assertTail,
  CacheUsageError,
  decodeEntry,
  encodeEntry,
  entryKey,
  isFresh,
  tagKey,
  type TCacheEntry,
} from './entry';
import { createPendingBumps } from './pending-bumps';
import { createRefreshAhead, type TRefreshAheadOptions } from './refresh-ahead';
import type { TCacheStore } from './store';
import { withTimeout } from './timeout';

export type TCacheStatus = 'hit' | 'miss' | 'error' | 'bypass';

/**
 * One per getOrLoad call (its outcome) and one per invalidate call. `error` is set when a store call failed: on
 * 'error' the read, on 'miss' the write of the loaded value, on 'invalidate' the bump.
 */
export type TCacheEvent = {
  /** `refresh`: an entry reloaded ahead of readers after an invalidation (see `refreshAhead`), or warmed. */
  type: TCacheStatus | 'invalidate' | 'refresh';
  /** The namespace read; '*' for invalidations, which are per tenant and tag. */
  namespace: string;
  durationMs: number;
  error?: unknown;
};

export type TCacheOptions = {
  store: TCacheStore;
  /** First key segment, to share one Redis between deployments. Default 'dharma'. */
  prefix?: string;
  /** Budget for each store call; past it the call counts as failed and the loader answers. Default 100. */
  timeoutMs?: number;
  /**
   * Added to `timeoutMs` for each call: how late this process's event loop runs now (ms). A busy process reads a
   * reply late however fast the store sent it; without this a fixed budget turns the process's own overload into
   * "store timed out", every read falls back to the loader, and the database gets the load the cache was absorbing.
   */
  extraTimeoutMs?: () => number;
  defaultTtlSeconds?: number;
  /** Ceiling for any entry's TTL. Default 3600. */
  maxTtlSeconds?: number;
  /** Lifetime of an idle tag version, refreshed on each bump. Must exceed maxTtlSeconds. Default 86400. */
  tagTtlSeconds?: number;
  /** How often failed invalidations are retried. Default 1000. */
  invalidateRetryMs?: number;
  /** Most tag keys kept for retry during an outage. Default 10000. */
  maxPendingInvalidations?: number;
  onEvent?: (event: TCacheEvent) => void;
  /**
   * Reload recently read entries after an invalidation bumps one of their tags, off the readers' requests
   * (`refresh-ahead.ts`). Off by default.
   */
  refreshAhead?: TRefreshAheadOptions | false;
};

export type TGetOrLoadParams = {
  tenantId: string;
  namespace: string;
  key: string;
  /** Tags that invalidate this entry (for example 'blueprint:<id>', 'blueprints'). Tenant-scoped like the entry. */
  tags?: readonly string[];
  ttlSeconds?: number;
  /** Skip the cache entirely: no read, no write. */
  bypass?: boolean;
  /**
   * The read's input, as its loader takes it (not part of the key, which `key` is): kept with a recent read so that an
   * invalidation's `patch` can derive the entry's new value from it (`TEntryPatch`).
   */
  input?: unknown;
};

/**
 * With an invalidation: how a write changes entries of one namespace, so that the recently read ones are rewritten
 * from their current value (no loader) rather than reloaded. `apply` gets an entry's input and value and returns
 * its value after the write, or undefined when the value alone cannot tell (the entry is then reloaded).
 */
export type TEntryPatch = {
  namespace: string;
  apply: (input: unknown, value: unknown) => unknown;
  /**
   * Entries to rewrite whether or not this process read them (another process may have): those whose key the
   * writer can tell, such as the written record's own read. Each with its input, key (as `getOrLoad` builds it),
   * tags and TTL.
   */
  targets?: readonly { input: unknown; key: string; tags: readonly string[]; ttlSeconds?: number }[];
};

/** What `peek` and `peekLocal` read. Treated as immutable once passed: the keys derived from it are kept per object. */
export type TPeekParams = Omit<TGetOrLoadParams, 'bypass' | 'ttlSeconds'>;

export type TCacheResult<T> = { value: T; status: TCacheStatus };

export type TCache = {
  getOrLoad<T>(params: TGetOrLoadParams, loader: () => Promise<T>): Promise<TCacheResult<T>>;
  /**
   * A fresh entry's value, or null. Never loads, never writes; counts (and emits) only hits, so a caller that falls
   * back to `getOrLoad` on null is counted once, there. For a front layer answering hits before the framework.
   */
  peek(params: TPeekParams): Promise<{ json: string } | null>;
  /**
   * `peek`'s answer without waiting, when the store's near cache holds the entry and its tag versions (then it is
   * the answer Redis would give); undefined when only `peek` can tell. For a front layer's synchronous fast path.
   */
  peekLocal(params: TPeekParams): { json: string } | null | undefined;
  /**
   * Bumps the tags: entries stamped with older versions become misses. Recently read entries under them are then
   * rewritten by `patch` where it applies (when the entry is stamped with exactly the versions before this bump, so
   * no other write is missing from it), else reloaded ahead of readers.
   */
  invalidate(params: { tenantId: string; tags: readonly string[]; patch?: TEntryPatch | readonly TEntryPatch[] }): Promise<{ ok: boolean; patched: number }>;
  /**
   * Loads an entry now and stores it, unless a fresh one is there: for a value a reader is about to ask for (the
   * blueprint just created). Counted as a refresh, not as a reader's hit or miss. Never throws: a failed load is
   * simply not stored.
   */
  warm(params: Omit<TGetOrLoadParams, 'bypass'>, loader: () => Promise<unknown>): Promise<void>;
  stats(): TCacheStats;
  statsByNamespace(): Record<string, TCacheCounters>;
};

type TFlight = { value: unknown; writeError?: unknown };

/**
 * A tenant-scoped cache-aside reader with tag invalidation.
 *
 * Guarantees:
 * - Isolation: every key embeds the tenant id; tenants never share entries or tags. A bad tenant id, namespace, key
 *   or tag throws {@link CacheUsageError} synchronously (a caller bug, not a cache failure).
 * - Race-free invalidation: an entry is stamped with the tag versions read before its loader ran and served only
 *   while they are still current, so a value loaded across a concurrent invalidation is never served.
 * - One store round trip per read (MGET of the entry and its tag versions), or none when the store's near cache
 *   holds current copies of them all (`near-cache.ts`).
 * - Single flight: concurrent misses in this process for the same entry and tag versions share one loader call.
 *   They share the value object too: treat results as immutable.
 * - Fail-open: no store failure or timeout (`timeoutMs` per call) ever throws; the loader answers (status 'error')
 *   and nothing is written. Loader errors propagate unchanged and are never cached.
 * - Invalidation never throws either; when the bump fails it returns `{ ok: false }`, counts `invalidateErrors`, keeps
 *   retrying in the background, and until it lands this process reads those tags straight from the loader.
 *   Other processes may serve the old entry until the retry lands or the entry's TTL ends, whichever is first.
 * - Values come back as JSON: a hit returns `JSON.parse(JSON.stringify(value))` of what the loader returned.
 */
export function createCache(options: TCacheOptions): TCache {
  const {
    store,
    prefix = 'dharma',
    timeoutMs: baseTimeoutMs = 100,
    extraTimeoutMs,
    defaultTtlSeconds = 60,
    maxTtlSeconds = 3600,
    tagTtlSeconds = 86_400,
    invalidateRetryMs = 1000,
    maxPendingInvalidations = 10_000,
    onEvent,
    refreshAhead = false,
  } = options;
  assertSegment('prefix', prefix);
  if (!(defaultTtlSeconds > 0 && maxTtlSeconds > 0 && baseTimeoutMs > 0)) {
    throw new CacheUsageError('defaultTtlSeconds, maxTtlSeconds and timeoutMs must be positive');
  }
  // Tag versions must outlive every entry stamped with them, or an expired-then-reseeded version would turn a
  // would-be-stale entry into a miss only by the luck of the random seed.
  if (tagTtlSeconds <= maxTtlSeconds) throw new CacheUsageError('tagTtlSeconds must exceed maxTtlSeconds');
  const tagTtlMs = tagTtlSeconds * 1000;

  /** The budget of one store call: the base, plus the process's current event-loop lag when told it. */
  const budget = (): number => baseTimeoutMs + (extraTimeoutMs?.() ?? 0);
  const counters = createCounters();
  const refresher = refreshAhead === false ? null : createRefreshAhead(refreshAhead);
  const inflight = new Map<string, Promise<TFlight>>();
  let invalidations = 0;
  let invalidateErrors = 0;
  let droppedInvalidations = 0;
  const pending = createPendingBumps({
    retry: (keys) => withTimeout('cache invalidate retry', budget(), () => store.incr(keys, tagTtlMs)).then(() => undefined),
    intervalMs: invalidateRetryMs,
    maxKeys: maxPendingInvalidations,
    onDrop: (count) => {
      droppedInvalidations += count;
    },
  });

  const emit = (event: TCacheEvent): void => {
    if (onEvent === undefined) return;
    try {
      onEvent(event);
    } catch {
      // A metrics hook must not turn a served read into a failed one.
    }
  };

  /** An entry and its tag versions: from the store's near cache when it holds them all (no round trip), else one MGET. */
  const readEntry = (keys: string[]): (string | null)[] | Promise<(string | null)[]> =>
    store.mgetLocal?.(keys) ?? withTimeout('cache read', budget(), () => store.mget(keys));

  const loadCounted = <T>(namespace: string, loader: () => Promise<T>): Promise<T> => {
    counters.add(namespace, 'loads');
    return loader();
  };

  async function run<T>(p: TGetOrLoadParams, tags: readonly string[], loader: () => Promise<T>, mode: 'read' | 'refresh' = 'read'): Promise<TCacheResult<T>> {
    const started = performance.now();
    const { namespace } = p;
    let status: TCacheStatus = 'bypass';
    let eKey = '';
    let tKeys: string[] = [];
    let storeError: unknown;
    let failed = false;
    const fail = (error: unknown): void => {
      failed = true;
      storeError = error;
    };
    try {
      if (p.bypass === true) {
        return { value: await loadCounted(namespace, loader), status };
      }
      eKey = entryKey(prefix, p.tenantId, namespace, p.key);
      tKeys = tags.map((tag) => tagKey(prefix, p.tenantId, tag));
      if (pending.size > 0 && tKeys.some((key) => pending.has(key))) {
        // A reload ahead of readers would not be stored either: leave it to the readers.
        if (mode === 'refresh') return { value: undefined as T, status: 'hit' };
        // This process failed to invalidate one of these tags: the stored entry may be stale, so do not trust it.
        status = 'error';
        return { value: await loadCounted(namespace, loader), status };
      }

      let read: (string | null)[];
      try {
        read = await readEntry([eKey, ...tKeys]);
      } catch (error) {
        fail(error);
        status = 'error';
        return { value: await loadCounted(namespace, loader), status };
      }
      const [raw, ...current] = read;
      const entry = decodeEntry(raw);
      if (entry !== null && isFresh(entry, current)) {
        let value: T;
        try {
          value = (entry.json === '' ? undefined : JSON.parse(entry.json)) as T;
        } catch (error) {
          // A corrupt stored value: answer from the loader and count it, rather than fail the read.
          fail(error);
          status = 'error';
          return { value: await loadCounted(namespace, loader), status };
        }
        status = 'hit';
        return { value, status };
      }

      let versions: string[];
      if (current.every((version): version is string => typeof version === 'string')) {
        versions = current;
      } else {
        try {
          versions = await withTimeout('cache seed versions', budget(), () => store.ensureVersions(tKeys, tagTtlMs));
        } catch (error) {
          fail(error);
          status = 'error';
          return { value: await loadCounted(namespace, loader), status };
        }
      }

      status = 'miss';
      const ttlMs = Math.min(p.ttlSeconds ?? defaultTtlSeconds, maxTtlSeconds) * 1000;
      // Keyed by versions too: a read that starts after an invalidation must not join a load that began before it.
      const flightKey = `${eKey}\n${versions.join(',')}`;
      let flight = inflight.get(flightKey);
      const leader = flight === undefined;
      if (flight === undefined) {
        flight = loadAndStore(namespace, eKey, versions, ttlMs, loader);
        inflight.set(flightKey, flight);
        const settled = (): void => {
          inflight.delete(flightKey);
        };
        flight.then(settled, settled);
      }
      const result = await flight;
      if (leader && 'writeError' in result) fail(result.writeError);
      return { value: result.value as T, status };
    } finally {
      if (mode === 'refresh') {
        // A reload ahead of readers: only the load it made (if the entry was not fresh already) is counted.
        if (status === 'miss') counters.add(namespace, 'refreshes');
        if (status === 'error' || failed) counters.add(namespace, 'errors');
        if (status !== 'hit') emit({ type: 'refresh', namespace, durationMs: performance.now() - started, ...(failed ? { error: storeError } : {}) });
      } else {
        if (status === 'hit') counters.add(namespace, 'hits');
        else if (status === 'miss') counters.add(namespace, 'misses');
        else if (status === 'bypass') counters.add(namespace, 'bypass');
        // At most one error per call: a read answered without the cache, or a miss whose write failed.
        if (status === 'error' || failed) counters.add(namespace, 'errors');
        emit({
          type: status,
          namespace,
          durationMs: performance.now() - started,
          ...(failed ? { error: storeError } : {}),
        });
        if (refresher && (status === 'hit' || status === 'miss')) {
          const ttlMs = Math.min(p.ttlSeconds ?? defaultTtlSeconds, maxTtlSeconds) * 1000;
          refresher.touch(eKey, { tagKeys: tKeys, reload: () => run(p, tags, loader, 'refresh'), namespace, input: p.input, ttlMs });
        }
      }
    }
  }

  async function loadAndStore(
    namespace: string,
    eKey: string,
    versions: string[],
    ttlMs: number,
    loader: () => Promise<unknown>,
  ): Promise<TFlight> {
    const value = await loadCounted(namespace, loader);
    try {
      const encoded = encodeEntry(value, versions);
      await withTimeout('cache write', budget(), () => store.set(eKey, encoded, ttlMs));
      return { value };
    } catch (error) {
      return { value, writeError: error };
    }
  }

  async function bump(tenantId: string, keys: string[], patch?: TEntryPatch | readonly TEntryPatch[]): Promise<{ ok: boolean; patched: number }> {
    const started = performance.now();
    invalidations += 1;
    const mark = pending.mark();
    let versions: string[];
    try {
      versions = await withTimeout('cache invalidate', budget(), () => store.incr(keys, tagTtlMs));
      pending.settled(keys, mark);
    } catch (error) {
      invalidateErrors += 1;
      counters.add(null, 'errors');
      pending.add(keys);
      emit({ type: 'invalidate', namespace: '*', durationMs: performance.now() - started, error });
      return { ok: false, patched: 0 };
    }
    const patches = patch === undefined ? [] : Array.isArray(patch) ? patch : [patch as TEntryPatch];
    const patched = patches.length > 0 ? await patchRecent(tenantId, keys, versions, patches) : new Set<string>();
    refresher?.bumped(keys, patched);
    emit({ type: 'invalidate', namespace: '*', durationMs: performance.now() - started });
    return { ok: true, patched: patched.size };
  }

  /**
   * Rewrites the recently read entries of the patches' namespaces whose tags were all bumped just now, from their stored
   * value, stamped with the new versions. Only an entry stamped with exactly the versions before this bump (each one
   * less) is patched: it then reflects every earlier write, and this write is the only one it lacks. Anything else
   * (an older or newer entry, a patch that cannot tell, a store error) is left to the reload. Returns what it rewrote.
   */
  async function patchRecent(tenantId: string, keys: string[], versions: string[], patches: readonly TEntryPatch[]): Promise<Set<string>> {
    const done = new Set<string>();
    const bumpedTo = new Map(keys.map((key, i) => [key, versions[i]!]));
    const byNamespace = new Map(patches.map((p) => [p.namespace, p]));
    const found = new Map<string, { entryKey: string; namespace: string; input: unknown; tagKeys: readonly string[]; ttlMs: number }>();
    for (const r of refresher?.recentUnder(keys) ?? []) if (byNamespace.has(r.namespace)) found.set(r.entryKey, { ...r, input: r.input });
    for (const p of patches) {
      for (const t of p.targets ?? []) {
        const eKey = entryKey(prefix, tenantId, p.namespace, t.key);
        if (!found.has(eKey)) {
          const ttlMs = Math.min(t.ttlSeconds ?? defaultTtlSeconds, maxTtlSeconds) * 1000;
          found.set(eKey, { entryKey: eKey, namespace: p.namespace, input: t.input, tagKeys: t.tags.map((tag) => tagKey(prefix, tenantId, tag)), ttlMs });
        }
      }
    }
    const candidates = [...found.values()].filter((r) => r.tagKeys.every((k) => bumpedTo.has(k)));
    if (candidates.length === 0) return done;
    try {
      const raws = await withTimeout('cache patch read', budget(), () => store.mget(candidates.map((c) => c.entryKey)));
      await Promise.all(
        candidates.map(async (c, i) => {
          const entry = decodeEntry(raws[i]);
          const next = c.tagKeys.map((k) => bumpedTo.get(k)!);
          if (entry === null || entry.g.length !== next.length || entry.g.some((v, j) => BigInt(v) + 1n !== BigInt(next[j]!))) return;
          const value = byNamespace.get(c.namespace)!.apply(c.input, entry.json === '' ? undefined : JSON.parse(entry.json));
          if (value === undefined) return;
          await withTimeout('cache patch write', budget(), () => store.set(c.entryKey, encodeEntry(value, next), c.ttlMs));
          counters.add(c.namespace, 'patches');
          done.add(c.entryKey);
        }),
      );
    } catch {
      // A store that fails now fails the reloads too; whatever was not rewritten is reloaded or missed as usual.
    }
    return done;
  }

  // A caller that passes the same parameters object again (a front layer keeps one per URL and tenant) gets the
  // keys validated and built the first time: the same string objects, whose hashes V8 has already computed.
  const keysByParams = new WeakMap<TPeekParams, string[]>();
  /** The keys a peek reads (entry, then tag versions), or null when a failed invalidation makes any answer untrustworthy. */
  function peekKeys(p: TPeekParams): string[] | null {
    let keys = keysByParams.get(p);
    if (keys === undefined) {
      assertSegment('tenantId', p.tenantId);
      assertSegment('namespace', p.namespace);
      assertTail('key', p.key);
      const tags = p.tags ?? [];
      for (const tag of tags) assertTail('tag', tag);
      keys = [entryKey(prefix, p.tenantId, p.namespace, p.key), ...tags.map((tag) => tagKey(prefix, p.tenantId, tag))];
      keysByParams.set(p, keys);
    }
    if (pending.size > 0 && keys.some((key, i) => i > 0 && pending.has(key))) return null;
    return keys;
  }

  // A near cache returns the same string object for an entry until it changes, so local reads decode each entry once
  // and hand out the same object (a front layer can keep what it derives from it in a WeakMap). Keyed by the raw
  // string: V8 keeps a string's hash, so a lookup with the same object does not rescan it.
  const decodedLocal = new LRUCache<string, TCacheEntry | false>({ maxSize: 32 * 1024 * 1024, sizeCalculation: (_entry, raw) => raw.length * 2 + 64 });
  const decodeLocal = (raw: string | null | undefined): TCacheEntry | null => {
    if (typeof raw !== 'string') return null;
    let entry = decodedLocal.get(raw);
    if (entry === undefined) decodedLocal.set(raw, (entry = decodeEntry(raw) ?? false));
    return entry || null;
  };

  /** A peek's answer from what it read: the entry when its tag versions are current (a hit, counted). */
  function peeked(namespace: string, read: readonly (string | null)[], started: number, local: boolean): TCacheEntry | null {
    const [raw, ...current] = read;
    const entry = local ? decodeLocal(raw) : decodeEntry(raw);
    if (entry === null || !isFresh(entry, current)) return null;
    counters.add(namespace, 'hits');
    emit({ type: 'hit', namespace, durationMs: performance.now() - started });
    return entry;
  }

  async function peek(p: TPeekParams): Promise<{ json: string } | null> {
    const started = performance.now();
    const keys = peekKeys(p);
    if (keys === null) return null;
    const local = store.mgetLocal?.(keys);
    if (local) return peeked(p.namespace, local, started, true);
    let read: (string | null)[];
    try {
      read = await withTimeout('cache read', budget(), () => store.mget(keys));
    } catch {
      return null;
    }
    return peeked(p.namespace, read, started, false);
  }

  function peekLocal(p: TPeekParams): { json: string } | null | undefined {
    const started = performance.now();
    const keys = peekKeys(p);
    if (keys === null) return null;
    const local = store.mgetLocal?.(keys);
    return local ? peeked(p.namespace, local, started, true) : undefined;
  }

  return {
    peek,
    peekLocal,
    getOrLoad<T>(params: TGetOrLoadParams, loader: () => Promise<T>): Promise<TCacheResult<T>> {
      // Validated before any await so that a caller bug throws where it is made.
      assertSegment('tenantId', params.tenantId);
      assertSegment('namespace', params.namespace);
      assertTail('key', params.key);
      const tags = params.tags ?? [];
      for (const tag of tags) assertTail('tag', tag);
      const ttl = params.ttlSeconds;
      if (ttl !== undefined && !(Number.isFinite(ttl) && ttl > 0)) {
        throw new CacheUsageError(`ttlSeconds must be a positive number, got ${ttl}`);
      }
      if (typeof loader !== 'function') throw new CacheUsageError('loader must be a function');
      return run(params, tags, loader);
    },

    async warm(params, loader) {
      assertSegment('tenantId', params.tenantId);
      assertSegment('namespace', params.namespace);
      assertTail('key', params.key);
      const tags = params.tags ?? [];
      for (const tag of tags) assertTail('tag', tag);
      try {
        await run(params, tags, loader, 'refresh');
      } catch {
        // Warming is a favour to a later reader: a failed load is not stored and that reader loads it itself.
      }
    },

    invalidate(params) {
      assertSegment('tenantId', params.tenantId);
      for (const tag of params.tags) assertTail('tag', tag);
      const keys = [...new Set(params.tags.map((tag) => tagKey(prefix, params.tenantId, tag)))];
      if (keys.length === 0) return Promise.resolve({ ok: true, patched: 0 });
      return bump(params.tenantId, keys, params.patch);
    },

    stats: () => ({
      ...counters.total,
      inflight: inflight.size,
      invalidations,
      invalidateErrors,
      pendingInvalidations: pending.size,
      droppedInvalidations,
      refreshAhead: refresher?.stats() ?? null,
    }),
    statsByNamespace: () => counters.snapshotByNamespace(),
  };
}
