import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackUrls } from './testing';

/**
 * postgres.js 3.4.9 starts every connection with a query for the array types (fetch_types) and dropped that
 * query's promise: when it failed, here cancelled by a 1 ms statement_timeout as a killed or overloaded server
 * would, the rejection was unhandled and took the process down (porsager/postgres#1192, #1205, #1223, #279).
 * patches/postgres+3.4.9.patch handles it; without the patch this test reports unhandled rejections.
 */
describe('postgres.js array-types query failing at connection start', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  beforeAll(() => process.on('unhandledRejection', onUnhandled));
  afterAll(() => process.off('unhandledRejection', onUnhandled));

  it('leaves no unhandled rejection, and the connection still answers or fails its own query', async () => {
    const outcomes: string[] = [];
    for (let i = 0; i < 8; i++) {
      const sql = postgres(stackUrls().DATABASE_DIRECT_URL, { max: 1, prepare: false, onnotice: () => {}, connection: { statement_timeout: 1, application_name: `fetch-types-${i}` } });
      try {
        outcomes.push(await sql.unsafe('select 1 as one').then(() => 'ok', (e: { code?: string }) => String(e.code)));
      } finally {
        await sql.end({ timeout: 1 });
      }
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(unhandled).toEqual([]);
    // Every query settled: a result, or the cancellation of the statement_timeout itself.
    expect(outcomes.every((o) => o === 'ok' || o === '57014')).toBe(true);
  });
});
