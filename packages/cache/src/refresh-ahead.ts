/**
 * Refresh-ahead: after an invalidation, reload the entries under the bumped tags that were read within `windowMs`,
 * so the next reader finds a fresh entry instead of paying the miss. The reload goes through the ordinary read path
 * (versions read before the loader runs, single flight), so it is exactly as safe as a reader's miss; it only moves
 * the load off the reader's request, and it costs database work: in the baseline load (a create every ~270 ms per
 * tenant) lists were reloaded about four times per list read, for 92.8% hits against 66% without it
 * (docs/PERFORMANCE.md). Bounded on every side: at most `concurrency` reloads at once, at most `maxEntries` remembered reads (least recently read forgotten first), one
 * queued reload per entry however many bumps arrive (coalescing), at most one reload per entry per `minIntervalMs`
 * (later bumps wait for the interval and share one reload; 250 ms measured 85% hits at 2.6 reloads per read), and
 * a reload that fails is dropped, never retried.
 */
export type TRefreshAheadOptions = {
  /** Remembered recent reads, across tenants. Default 2000. */
  maxEntries?: number;
  /** A read older than this is not worth reloading. Default 30000. */
  windowMs?: number;
  /**
   * Reloads running at once in this process. Default 16: the reloads one write triggers start in the same turn, and
   * reads of one tenant issued in the same turn share one database message (`createTenantReader`), so the many lists a
   * write invalidates are rebuilt in one round trip rather than queued two at a time behind each other.
   */
  concurrency?: number;
  /** Least time between two reloads of one entry. Default 0 (coalescing only). */
  minIntervalMs?: number;
};

export type TRecentRead = {
  /** The tag keys (store keys) whose bump makes this entry worth reloading. */
  tagKeys: readonly string[];
  reload: () => Promise<unknown>;
  /** What an invalidation's patch needs to rewrite the entry instead (`TEntryPatch`): its namespace, input and TTL. */
  namespace?: string;
  input?: unknown;
  ttlMs?: number;
};

export function createRefreshAhead(options: TRefreshAheadOptions, now: () => number = Date.now) {
  const maxEntries = options.maxEntries ?? 2000;
  const windowMs = options.windowMs ?? 30_000;
  const concurrency = options.concurrency ?? 16;
  const minIntervalMs = options.minIntervalMs ?? 0;
  // Insertion order is recency order: a read deletes and re-inserts its entry.
  const recent = new Map<string, TRecentRead & { at: number }>();
  const queued = new Map<string, () => Promise<unknown>>();
  /** When each entry's last reload started (bounded like `recent`: forgotten with it). */
  const reloadedAt = new Map<string, number>();
  /** Reloads waiting for their entry's interval to pass. */
  const waiting = new Map<string, () => Promise<unknown>>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running = 0;
  let reloads = 0;
  let dropped = 0;

  const pump = (): void => {
    while (running < concurrency && queued.size > 0) {
      const [entryKey, reload] = queued.entries().next().value as [string, () => Promise<unknown>];
      queued.delete(entryKey);
      reloadedAt.set(entryKey, now());
      running += 1;
      reloads += 1;
      reload()
        .catch(() => {
          dropped += 1;
        })
        .finally(() => {
          running -= 1;
          pump();
        });
    }
  };

  const enqueue = (entryKey: string, reload: () => Promise<unknown>): boolean => {
    if (queued.has(entryKey) || waiting.has(entryKey)) return false;
    const due = (reloadedAt.get(entryKey) ?? -Infinity) + minIntervalMs - now();
    if (due <= 0) {
      queued.set(entryKey, reload);
      return true;
    }
    waiting.set(entryKey, reload);
    if (timer === null) {
      timer = setTimeout(() => {
        timer = null;
        const ready = [...waiting];
        waiting.clear();
        for (const [key, r] of ready) enqueue(key, r);
        pump();
      }, due);
      timer.unref?.();
    }
    return true;
  };

  return {
    /** Remembers a read of `entryKey` (a hit or a miss) as worth reloading when one of its tags is bumped. */
    touch(entryKey: string, read: TRecentRead): void {
      if (read.tagKeys.length === 0) return;
      recent.delete(entryKey);
      recent.set(entryKey, { ...read, at: now() });
      if (recent.size > maxEntries) {
        const oldest = recent.keys().next().value as string;
        recent.delete(oldest);
        reloadedAt.delete(oldest);
      }
    },
    /** The recently read entries under one of `tagKeys` (within the window), with their entry keys. */
    recentUnder(tagKeys: readonly string[]): (TRecentRead & { entryKey: string; namespace: string; ttlMs: number })[] {
      const bumpedKeys = new Set(tagKeys);
      const since = now() - windowMs;
      const out: (TRecentRead & { entryKey: string; namespace: string; ttlMs: number })[] = [];
      for (const [entryKey, read] of recent) {
        if (read.at >= since && read.namespace !== undefined && read.ttlMs !== undefined && read.tagKeys.some((k) => bumpedKeys.has(k))) {
          out.push({ ...read, entryKey, namespace: read.namespace, ttlMs: read.ttlMs });
        }
      }
      return out;
    },
    /** Queues a reload of every recently read entry under one of `tagKeys`, but those in `done` (patched already). */
    bumped(tagKeys: readonly string[], done: ReadonlySet<string> = new Set()): number {
      const bumpedKeys = new Set(tagKeys);
      const since = now() - windowMs;
      let count = 0;
      for (const [entryKey, read] of recent) {
        if (read.at < since) {
          recent.delete(entryKey);
          reloadedAt.delete(entryKey);
          continue;
        }
        if (!done.has(entryKey) && read.tagKeys.some((k) => bumpedKeys.has(k)) && enqueue(entryKey, read.reload)) count += 1;
      }
      pump();
      return count;
    },
    stats: () => ({ remembered: recent.size, queued: queued.size + waiting.size, running, reloads, failed: dropped }),
  };
}
