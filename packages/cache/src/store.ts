import { randomFillSync } from 'node:crypto';
import type { TNearStats } from './near-cache';

/** What a store knows about itself, for /readyz and the console's system panels. Unknown numbers are null. */
export type TStoreInfo = {
  kind: 'redis' | 'memory';
  connected: boolean;
  usedMemoryBytes: number | null;
  maxMemoryBytes: number | null;
  keys: number | null;
  opsPerSec: number | null;
  keyspaceHits: number | null;
  keyspaceMisses: number | null;
  /** Keys dropped under memory pressure; a rising value means entries and tag versions are being lost early. */
  evictedKeys: number | null;
  connectedClients: number | null;
  uptimeSeconds: number | null;
};

/**
 * The few operations the cache needs, so Redis and the embedded in-memory store are interchangeable.
 *
 * Tag versions are opaque decimal strings. A version key is never reset to a value it held before: when a key is
 * missing (never written, expired or evicted) `incr` and `ensureVersions` start it from a random 62-bit base, so an
 * entry stamped with an older incarnation of the tag can never match again.
 */
export interface TCacheStore {
  readonly kind: 'redis' | 'memory';
  /** One round trip: values in the order of `keys`, null where missing or expired. */
  mget(keys: string[]): Promise<(string | null)[]>;
  /**
   * The same values from this process's memory, with no round trip, when the store holds current copies of every
   * key (a near cache kept current by the server); otherwise null, and the caller uses `mget`.
   */
  mgetLocal?(keys: string[]): (string | null)[] | null;
  /** What the near cache holds and has done, when the store has one. */
  nearStats?(): TNearStats;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Bumps each tag version (atomically per key) and refreshes its TTL. */
  incr(keys: string[], ttlMs: number): Promise<string[]>;
  /** Returns each version, first creating missing ones from a random base (with `ttlMs`); atomic per key. */
  ensureVersions(keys: string[], ttlMs: number): Promise<string[]>;
  /** Never rejects: a store that cannot answer reports `connected: false`. */
  info(): Promise<TStoreInfo>;
  /** Rejects when the store cannot answer; for readiness probes. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Unknown-everything info, the starting point for a store that cannot be asked. */
export function emptyStoreInfo(kind: TStoreInfo['kind'], connected: boolean): TStoreInfo {
  return {
    kind,
    connected,
    usedMemoryBytes: null,
    maxMemoryBytes: null,
    keys: null,
    opsPerSec: null,
    keyspaceHits: null,
    keyspaceMisses: null,
    evictedKeys: null,
    connectedClients: null,
    uptimeSeconds: null,
  };
}

const randomPool = Buffer.alloc(8 * 512);
let randomOffset = randomPool.length;

/**
 * A fresh starting point for a missing tag version. 62 random bits keep every later INCR far below Redis's signed
 * 64-bit limit, and make landing on a value an earlier incarnation of the key held (with entries still stamped with
 * it) a 1-in-2^62 event instead of a certainty, which restarting from 0 or 1 would be.
 */
export function randomVersionBase(): string {
  // Every bump asks for one per tag (Redis uses it only for a missing key): drawn from a buffer filled 512 at a time,
  // since a call into the system's random source per tag cost 2% of a create's CPU.
  if (randomOffset === randomPool.length) {
    randomFillSync(randomPool);
    randomOffset = 0;
  }
  const value = randomPool.readBigUInt64BE(randomOffset);
  randomOffset += 8;
  return BigInt.asUintN(62, value).toString();
}
