import { describe, expect, it } from 'vitest';
import { parseRedisInfo } from './redis-info';

// Trimmed from `INFO` of redis-server 7.0.15 (CRLF line ends, as on the wire).
const INFO = [
  '# Server',
  'redis_version:7.0.15',
  'redis_mode:standalone',
  'os:Linux 6.1.0-18-amd64 x86_64',
  'uptime_in_seconds:3725',
  'uptime_in_days:0',
  'executable:/usr/bin/redis-server',
  '',
  '# Clients',
  'connected_clients:7',
  'blocked_clients:0',
  '',
  '# Memory',
  'used_memory:1418736',
  'used_memory_human:1.35M',
  'maxmemory:268435456',
  'maxmemory_human:256.00M',
  'maxmemory_policy:allkeys-lru',
  'mem_fragmentation_ratio:3.91',
  '',
  '# Stats',
  'total_connections_received:42',
  'instantaneous_ops_per_sec:1834',
  'evicted_keys:12',
  'keyspace_hits:98213',
  'keyspace_misses:4410',
  '',
  '# Keyspace',
  'db0:keys=1520,expires=1519,avg_ttl=52310',
  'db3:keys=5,expires=0,avg_ttl=0',
  '',
].join('\r\n');

describe('parseRedisInfo', () => {
  it('reads the numbers the panels show', () => {
    expect(parseRedisInfo(INFO)).toEqual({
      usedMemoryBytes: 1418736,
      maxMemoryBytes: 268435456,
      keys: 1525,
      opsPerSec: 1834,
      keyspaceHits: 98213,
      keyspaceMisses: 4410,
      evictedKeys: 12,
      connectedClients: 7,
      uptimeSeconds: 3725,
    });
  });

  it('reports an empty keyspace as 0 keys and no memory limit as null', () => {
    const info = parseRedisInfo('# Server\nredis_version:7.0.15\n# Memory\nused_memory:900000\nmaxmemory:0\n# Keyspace\n');
    expect(info).toMatchObject({ keys: 0, maxMemoryBytes: null, usedMemoryBytes: 900000, opsPerSec: null });
  });

  it('returns nulls, not NaN, for text that is not INFO', () => {
    const info = parseRedisInfo('garbage\nused_memory:lots\n');
    expect(Object.values(info).every((v) => v === null)).toBe(true);
  });
});
