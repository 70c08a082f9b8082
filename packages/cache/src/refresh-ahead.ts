/**
 * Refresh-ahead: after an invalidation, reload the entries under the bumped tags that were read recently, so the
 * next reader finds a fresh entry instead of paying the miss. The reload goes through the ordinary read path
 * (versions read before the loader runs, single flight), so it is exactly as safe as a reader's miss; it only moves
 * the load off the reader's request. Bounded on every side: at most `maxEntries` remembered reads (least recently
 * read forgotten first), only reads within `windowMs`, at most `concurrency` reloads at once, one queued reload per
 * entry however many invalidations arrive (coalescing), and a reload that fails is dropped, never retried.
 */
export type TRefreshAheadOptions = {
  /** Remembered recent reads, across tenants. Default 2000. */
  maxEntries?: number;
  /** A read older than this is not worth reloading. Default 30000. */
  windowMs?: number;
  /** Reloads running at once in this process. Default 4. */
  concurrency?: number;
};

export type TRecentRead = {
  /** The tag keys (store keys) whose bump makes this entry worth reloading. */
  tagKeys: readonly string[];
  reload: () => Promise<unknown>;
};

export function createRefreshAhead(options: TRefreshAheadOptions, now: () => number = Date.now) {
  const maxEntries = options.maxEntries ?? 2000;
  const windowMs = options.windowMs ?? 30_000;
  const concurrency = options.concurrency ?? 4;
  // Insertion order is recency order: a read deletes and re-inserts its entry.
  const recent = new Map<string, TRecentRead & { at: number }>();
  const queued = new Map<string, () => Promise<unknown>>();
  let running = 0;
  let reloads = 0;
  let dropped = 0;

  const pump = (): void => {
    while (running < concurrency && queued.size > 0) {
      const [entryKey, reload] = queued.entries().next().value as [string, () => Promise<unknown>];
      queued.delete(entryKey);
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

  return {
    /** Remembers a read of `entryKey` (a hit or a miss) as worth reloading when one of its tags is bumped. */
    touch(entryKey: string, read: TRecentRead): void {
      if (read.tagKeys.length === 0) return;
      recent.delete(entryKey);
      recent.set(entryKey, { ...read, at: now() });
      if (recent.size > maxEntries) recent.delete(recent.keys().next().value as string);
    },
    /** Queues a reload of every recently read entry under one of `tagKeys`. */
    bumped(tagKeys: readonly string[]): number {
      const bumpedKeys = new Set(tagKeys);
      const since = now() - windowMs;
      let count = 0;
      for (const [entryKey, read] of recent) {
        if (read.at < since) {
          recent.delete(entryKey);
          continue;
        }
        if (!queued.has(entryKey) && read.tagKeys.some((k) => bumpedKeys.has(k))) {
          queued.set(entryKey, read.reload);
          count += 1;
        }
      }
      pump();
      return count;
    },
    stats: () => ({ remembered: recent.size, queued: queued.size, running, reloads, failed: dropped }),
  };
}
