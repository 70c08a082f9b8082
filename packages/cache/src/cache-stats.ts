/** Cumulative per-process counts of getOrLoad calls by outcome, plus loader calls and store failures. */
export type TCacheCounters = {
  hits: number;
  misses: number;
  /** Store calls that failed or timed out (reads, writes and invalidations). */
  errors: number;
  bypass: number;
  /** Loader calls actually made (single-flight followers do not add one). */
  loads: number;
  /** Entries reloaded ahead of readers after an invalidation (refresh-ahead); these loads are not reader misses. */
  refreshes: number;
  /** Entries rewritten by an invalidation's patch instead of reloaded (no loader call). */
  patches: number;
};

export type TCacheStats = TCacheCounters & {
  /** Loads running now, shared by their single-flight followers. */
  inflight: number;
  invalidations: number;
  /** Invalidations whose bump did not reach the store in time; each is retried in the background. */
  invalidateErrors: number;
  /** Tag keys still waiting for a retried bump. */
  pendingInvalidations: number;
  /** Pending bumps dropped because too many piled up during an outage: those invalidations were lost. */
  droppedInvalidations: number;
  /** Refresh-ahead bookkeeping (null when it is off): reads remembered, reloads queued and running, totals. */
  refreshAhead: { remembered: number; queued: number; running: number; reloads: number; failed: number } | null;
};

export type TCounterName = keyof TCacheCounters;

export function zeroCounters(): TCacheCounters {
  return { hits: 0, misses: 0, errors: 0, bypass: 0, loads: 0, refreshes: 0, patches: 0 };
}

/** Counters kept in total and per namespace. */
export function createCounters() {
  const total = zeroCounters();
  const byNamespace = new Map<string, TCacheCounters>();
  return {
    total,
    add(namespace: string | null, name: TCounterName, by = 1): void {
      total[name] += by;
      if (namespace === null) return;
      let counters = byNamespace.get(namespace);
      if (counters === undefined) {
        counters = zeroCounters();
        byNamespace.set(namespace, counters);
      }
      counters[name] += by;
    },
    snapshotByNamespace(): Record<string, TCacheCounters> {
      return Object.fromEntries([...byNamespace].map(([namespace, counters]) => [namespace, { ...counters }]));
    },
  };
}
