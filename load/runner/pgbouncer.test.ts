import { describe, expect, it } from 'vitest';
import { poolSample, summarizePools } from './pgbouncer';

const row = (database: string, user: string, clActive: number, svActive: number) => ({
  database, user, clActive, clWaiting: 1, svActive, svIdle: 2, svUsed: 0, maxWaitSeconds: 0, poolMode: 'transaction',
});
const stats = (xacts: number, queries: number, waitUs: number) => ({
  database: 'dharma', totalXactCount: xacts, totalQueryCount: queries, avgXactTimeUs: 0, avgQueryTimeUs: 0, avgWaitTimeUs: 0, totalWaitTimeUs: waitUs,
});

describe('PgBouncer pool figures', () => {
  it('sums the pools of one database over its users', () => {
    const rows = [row('dharma', 'app_user', 10, 4), row('dharma', 'other', 2, 1), row('elsewhere', 'app_user', 50, 20)];
    expect(poolSample(rows, 'dharma')).toEqual({ clActive: 12, clWaiting: 2, svActive: 5, svIdle: 4 });
  });

  it('reports peaks, averages, stats deltas and clients per server connection', () => {
    const samples = [
      { clActive: 20, clWaiting: 0, svActive: 4, svIdle: 6 },
      { clActive: 10, clWaiting: 2, svActive: 5, svIdle: 5 },
    ];
    const s = summarizePools('dharma', samples, stats(100, 400, 1000), stats(1100, 4400, 6000));
    expect(s).toMatchObject({ samples: 2, transactions: 1000, queries: 4000, avgWaitUsPerTransaction: 5, clientsPerServer: 4 });
    expect(s.clActive).toEqual({ max: 20, avg: 15 });
    expect(s.clWaiting).toEqual({ max: 2, avg: 1 });
  });

  it('has no ratio when no server connection was ever active', () => {
    const s = summarizePools('dharma', [{ clActive: 0, clWaiting: 0, svActive: 0, svIdle: 3 }], undefined, undefined);
    expect(s.clientsPerServer).toBeNull();
    expect(s.avgWaitUsPerTransaction).toBeNull();
  });
});
