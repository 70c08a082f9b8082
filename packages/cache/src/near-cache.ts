import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

/**
 * A near cache: copies of Redis values in this process, kept current by Redis itself (server-assisted client-side
 * caching, `CLIENT TRACKING`). Redis remembers which keys this process read and pushes an invalidation the moment
 * one changes, expires or is evicted; the copy is dropped on arrival. A read of held keys then costs no round trip.
 *
 * Guarantees:
 * - A value is held only while Redis is tracking it for this process: filled only from a read sent while tracking
 *   was confirmed on both connections, and all of it is dropped whenever either connection closes (tracking lapses
 *   with it) or Redis flushes (tracking goes on, so copies are filled again from the next reads).
 * - No stale fill: a read that was in flight when one of its keys was invalidated does not fill that key, whichever
 *   of the read's reply and the invalidation (they come on different connections) arrives first.
 * - This process's own writes are never shadowed: `written` drops the keys before and after the write, so a read
 *   that starts after a write has returned goes to Redis.
 * - Other processes' writes: Redis queues the push while the write executes. A tag bump through the store returns
 *   only after a later round trip (`redis-store.ts`), by which time every push is in its subscriber's socket, ahead
 *   of any request sent to another process after the bump returned; that process reads it first.
 * - Bounded: at most `maxBytes` of keys and values (least recently used go first), and each copy lives at most
 *   `maxAgeMs`, a ceiling on staleness should an invalidation ever be lost without its connection closing.
 */
export type TNearCacheOptions = {
  /** Approximate bound on keys plus values held (UTF-16 bytes). Default 64 MiB. */
  maxBytes?: number;
  /** A copy is read again from Redis after this long, even with no invalidation. Default 10 000. */
  maxAgeMs?: number;
  /** Invalidated keys remembered for reads in flight before the oldest such reads stop filling. Default 10 000. */
  maxRecentInvalidations?: number;
  /** The clock `maxAgeMs` is measured on (milliseconds, monotonic). Default `performance`. */
  clock?: { now(): number };
};

export type TNearStats = {
  /** Tracking confirmed: reads are answered from and fill the near cache. */
  tracking: boolean;
  entries: number;
  bytes: number;
  /** Reads answered from the near cache, and reads sent to Redis while tracking was on. */
  hits: number;
  misses: number;
  /** Keys dropped by an invalidation (Redis's push or this process's own write). */
  invalidations: number;
  /** Times everything was dropped: a connection closed or Redis flushed. */
  resets: number;
};

/** A read sent to Redis, as the near cache saw it when it was sent. */
export type TNearTicket = { epoch: number; seq: number } | null;

/** What a near cache holds and when a read may fill it, with no I/O (see {@link trackWithRedis} for the wiring). */
export function createNearCache(opts: TNearCacheOptions = {}) {
  const maxRecent = opts.maxRecentInvalidations ?? 10_000;
  const values = new LRUCache<string, string>({
    maxSize: opts.maxBytes ?? 64 * 1024 * 1024,
    sizeCalculation: (value, key) => Math.max(1, (key.length + value.length) * 2),
    ttl: opts.maxAgeMs ?? 10_000,
    ttlResolution: 0,
    updateAgeOnGet: false,
    ...(opts.clock === undefined ? {} : { perf: opts.clock }),
  });
  let active = false;
  // `epoch` changes whenever tracking starts or lapses: a read sent in another epoch never fills.
  let epoch = 0;
  // `seq` counts invalidations; `recent` remembers when each key was last invalidated while reads were in flight,
  // and `floor` is the oldest read start that `recent` still covers (it is trimmed, not grown without bound).
  let seq = 0;
  let floor = 0;
  let inFlight = 0;
  const recent = new Map<string, number>();
  const stats = { hits: 0, misses: 0, invalidations: 0, resets: 0 };
  /** Every copy dropped, and no read in flight may fill. */
  const dropAll = (): void => {
    stats.resets += 1;
    epoch += 1;
    values.clear();
    recent.clear();
  };

  return {
    get active(): boolean {
      return active;
    },
    /** Every key's value, or null unless all of them are held (then the caller reads them all from Redis). */
    get(keys: readonly string[]): (string | null)[] | null {
      if (!active) return null;
      const out: (string | null)[] = new Array(keys.length);
      for (let i = 0; i < keys.length; i++) {
        const value = values.get(keys[i]!);
        if (value === undefined) return null;
        out[i] = value;
      }
      stats.hits += 1;
      return out;
    },
    /** Call when a read is sent; pass the ticket to `fill` or `abandon` when it settles. */
    begin(): TNearTicket {
      if (!active) return null;
      stats.misses += 1;
      inFlight += 1;
      return { epoch, seq };
    },
    /** Holds what a read returned, except keys invalidated since it was sent. Missing keys are not held. */
    fill(ticket: TNearTicket, keys: readonly string[], read: readonly (string | null)[]): void {
      if (ticket === null) return;
      if (ticket.epoch === epoch && ticket.seq >= floor) {
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i]!;
          const value = read[i];
          if (typeof value !== 'string') continue;
          const at = recent.get(key);
          if (at !== undefined && at > ticket.seq) continue;
          values.set(key, value);
        }
      }
      // Only now: the last read in flight settling forgets the recent invalidations this one was checked against.
      this.abandon(ticket);
    },
    abandon(ticket: TNearTicket): void {
      if (ticket === null) return;
      inFlight -= 1;
      if (inFlight === 0) recent.clear();
    },
    /** Drops the keys, and stops reads in flight from filling them. */
    invalidate(keys: Iterable<string>): void {
      seq += 1;
      for (const key of keys) {
        if (values.delete(key)) stats.invalidations += 1;
        if (inFlight > 0) recent.set(key, seq);
      }
      if (recent.size > maxRecent) {
        // Reads that started before now can no longer be told apart: they simply do not fill.
        recent.clear();
        floor = seq;
      }
    },
    /**
     * Redis dropped everything (FLUSHALL, FLUSHDB): drop every copy and let no read in flight fill. Tracking itself
     * goes on, so reads sent from now on fill again.
     */
    flush(): void {
      dropAll();
    },
    /** Tracking lapsed (a connection closed, tracking could not be enabled): drop everything and stop. */
    reset(): void {
      if (active || values.size > 0) dropAll();
      active = false;
      epoch += 1;
    },
    /** Tracking is confirmed on the connection that reads: reads sent from now on may fill. */
    activate(): void {
      epoch += 1;
      active = true;
    },
    stats(): TNearStats {
      return { tracking: active, entries: values.size, bytes: values.calculatedSize, ...stats };
    },
  };
}

export type TNearCache = ReturnType<typeof createNearCache>;

const CHANNEL = '__redis__:invalidate';

/**
 * Keeps `near` current for reads made on `main`: a second connection subscribes to Redis's invalidation channel,
 * and `main` turns tracking on with its pushes redirected there (RESP2 redirect mode, which ioredis speaks). Both are
 * set up again whenever either connection comes back; until then the near cache is off and reads go to Redis.
 */
export function trackWithRedis(main: Redis, near: TNearCache, log: (message: string, error?: unknown) => void): { close(): void } {
  const sub = main.duplicate({ autoResubscribe: false, enableAutoPipelining: false, connectionName: 'dharma-near-cache' });
  let subId: string | null = null;
  let closed = false;
  let warned = false;
  // Every attempt to turn tracking on gets a number; a slower, older attempt must not activate after a newer lapse.
  let attempt = 0;

  const lapse = (): void => {
    attempt += 1;
    near.reset();
  };
  const enable = async (): Promise<void> => {
    const mine = ++attempt;
    near.reset();
    if (closed || subId === null || main.status !== 'ready') return;
    try {
      // NOLOOP: no pushes for this connection's own writes. The store drops those keys itself, before and after
      // each write (`written` in redis-store.ts); a push arriving later would only throw away fresh copies.
      await main.client('TRACKING', 'ON', 'REDIRECT', subId, 'NOLOOP');
    } catch (error) {
      if (!warned) log('redis client tracking unavailable; the near cache stays off', error);
      warned = true;
      return;
    }
    if (mine === attempt && !closed && main.status === 'ready' && sub.status === 'ready') near.activate();
  };

  sub.on('error', () => {
    // The main connection reports outages; this one only has to come back, which ioredis does on its own.
  });
  sub.on('messageBuffer', (channel: Buffer, message: unknown) => {
    if (channel.toString() !== CHANNEL) return;
    // A null message means Redis dropped everything this client tracked (FLUSHALL, FLUSHDB); tracking goes on.
    if (Array.isArray(message)) near.invalidate(message.map((key: Buffer) => key.toString()));
    else near.flush();
  });
  sub.on('ready', () => {
    subId = null;
    lapse();
    void (async () => {
      try {
        const id = await sub.client('ID');
        await sub.subscribe(CHANNEL);
        subId = String(id);
        await enable();
      } catch (error) {
        if (!warned) log('near cache: could not subscribe to invalidations; it stays off until the next reconnect', error);
        warned = true;
      }
    })();
  });
  sub.on('close', () => {
    subId = null;
    lapse();
  });
  main.on('ready', () => void enable());
  main.on('close', lapse);
  // A subscriber connection that died without closing would never deliver another invalidation: a ping that gets
  // no answer makes ioredis destroy the socket (its socket timeout), which closes it, which resets the near cache.
  const keepAlive = setInterval(() => {
    if (sub.status === 'ready') sub.ping().catch(() => undefined);
  }, 5000);
  keepAlive.unref();

  return {
    close() {
      closed = true;
      clearInterval(keepAlive);
      lapse();
      sub.disconnect();
    },
  };
}
