export type TPendingBumps = {
  /** Remembers tag version keys whose bump failed, and schedules a retry. */
  add(keys: readonly string[]): void;
  has(key: string): boolean;
  /** A marker to pass to {@link TPendingBumps.settled} once a bump that started now has landed. */
  mark(): number;
  /** Forgets keys a successful bump has covered, unless they failed again after `mark` (that failure may be newer). */
  settled(keys: readonly string[], mark: number): void;
  readonly size: number;
};

/**
 * Keeps failed invalidations and retries them until the store takes them, so an outage delays an invalidation
 * instead of losing it (a lost bump would let the store serve a stale entry until its TTL once it is back).
 *
 * Bounded by `maxKeys`; beyond it the oldest keys are dropped and `onDrop` is told, because those invalidations are
 * then lost. The retry timer is unref'd so it never keeps a process alive.
 */
export function createPendingBumps(opts: {
  retry: (keys: string[]) => Promise<void>;
  intervalMs: number;
  maxKeys: number;
  onDrop?: (count: number) => void;
}): TPendingBumps {
  // key -> generation of the latest failure; a retry only clears keys that did not fail again meanwhile, since
  // that later failure may belong to a mutation committed after the retry's INCR reached the store.
  const pending = new Map<string, number>();
  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const schedule = (): void => {
    if (timer !== undefined || pending.size === 0) return;
    timer = setTimeout(() => void flush(), opts.intervalMs);
    timer.unref();
  };

  const flush = async (): Promise<void> => {
    const batch = [...pending.entries()];
    try {
      await opts.retry(batch.map(([key]) => key));
      for (const [key, gen] of batch) if (pending.get(key) === gen) pending.delete(key);
    } catch {
      // Still down; try again after the interval.
    }
    timer = undefined;
    schedule();
  };

  return {
    add(keys) {
      generation += 1;
      for (const key of keys) {
        pending.delete(key);
        pending.set(key, generation);
      }
      let dropped = 0;
      for (const key of pending.keys()) {
        if (pending.size <= opts.maxKeys) break;
        pending.delete(key);
        dropped += 1;
      }
      if (dropped > 0) opts.onDrop?.(dropped);
      schedule();
    },
    has: (key) => pending.has(key),
    mark: () => generation,
    settled(keys, mark) {
      if (pending.size === 0) return;
      for (const key of keys) {
        const gen = pending.get(key);
        if (gen !== undefined && gen <= mark) pending.delete(key);
      }
    },
    get size() {
      return pending.size;
    },
  };
}
