import type { TStoreInfo } from './store';

export type TRedisInfoNumbers = Omit<TStoreInfo, 'kind' | 'connected'>;

/**
 * Parses the text of Redis `INFO` (server, clients, memory, stats and keyspace sections) into the numbers the
 * services report. Pure, so it is tested on captured text. A field that is absent or not a number is null;
 * `keys` sums every `dbN` line; `maxMemoryBytes` is null when Redis has no limit (`maxmemory:0`).
 */
export function parseRedisInfo(text: string): TRedisInfoNumbers {
  const fields = new Map<string, string>();
  let keys: number | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1);
    if (/^db\d+$/.test(name)) {
      // Keyspace lines look like `db0:keys=12,expires=3,avg_ttl=0`.
      const match = /(?:^|,)keys=(\d+)/.exec(value);
      if (match?.[1] !== undefined) keys = (keys ?? 0) + Number(match[1]);
      continue;
    }
    fields.set(name, value);
  }
  const num = (name: string): number | null => {
    const value = fields.get(name);
    if (value === undefined || value === '') return null;
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  };
  const maxMemory = num('maxmemory');
  return {
    usedMemoryBytes: num('used_memory'),
    maxMemoryBytes: maxMemory === 0 ? null : maxMemory,
    // An empty keyspace section means zero keys, not unknown, once we know we read a real INFO reply.
    keys: keys ?? (fields.has('redis_version') ? 0 : null),
    opsPerSec: num('instantaneous_ops_per_sec'),
    keyspaceHits: num('keyspace_hits'),
    keyspaceMisses: num('keyspace_misses'),
    evictedKeys: num('evicted_keys'),
    connectedClients: num('connected_clients'),
    uptimeSeconds: num('uptime_in_seconds'),
  };
}
