import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCache } from './cache';
import { createRedisStore, type TRedisStore } from './redis-store';
import { startTestRedis, type TTestRedis } from './testing-redis';

// Two stores with near caches stand for two service processes sharing one Redis; `raw` is anyone else writing.
let redis: TTestRedis;
let raw: Redis;
const stores: TRedisStore[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(10);
  }
}

async function nearStore(): Promise<TRedisStore> {
  const store = createRedisStore(redis.url, { near: {}, log: () => {} });
  stores.push(store);
  await until('tracking is on', () => store.nearStats?.().tracking === true);
  return store;
}

const local = (store: TRedisStore, keys: string[]) => store.mgetLocal?.(keys) ?? null;

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  redis = await startTestRedis();
  raw = new Redis(redis.url);
});

afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  raw.disconnect();
  await redis.dispose();
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

describe('near cache on a real Redis (client tracking)', () => {
  it('answers a repeated read from memory, and drops it when anyone changes a key', async () => {
    const a = await nearStore();
    await raw.mset('n1:e', 'entry', 'n1:g', '5');
    expect(local(a, ['n1:e', 'n1:g'])).toBeNull();
    expect(await a.mget(['n1:e', 'n1:g'])).toEqual(['entry', '5']);
    expect(local(a, ['n1:e', 'n1:g'])).toEqual(['entry', '5']);

    await raw.incr('n1:g'); // a client without a near cache, and no fence: the push arrives on its own
    await until('the push drops the copy', () => local(a, ['n1:e', 'n1:g']) === null);
    expect(await a.mget(['n1:e', 'n1:g'])).toEqual(['entry', '6']);
    expect(local(a, ['n1:e', 'n1:g'])).toEqual(['entry', '6']);

    await raw.pexpire('n1:e', 1); // expiry is a change too
    await until('expiry drops the copy', async () => (await raw.exists('n1:e')) === 0 && local(a, ['n1:e']) === null);
  });

  it("never shadows a process's own write: the copy is gone when the write returns", async () => {
    const a = await nearStore();
    await a.incr(['n2:g'], 60_000);
    const [first] = await a.mget(['n2:g']);
    expect(local(a, ['n2:g'])).toEqual([first]);
    await a.incr(['n2:g'], 60_000);
    expect(local(a, ['n2:g'])).toBeNull();
    expect(await a.mget(['n2:g'])).toEqual([String(BigInt(first!) + 1n)]);
    await a.set('n2:e', 'v1', 60_000);
    await a.mget(['n2:e']);
    await a.set('n2:e', 'v2', 60_000);
    expect(local(a, ['n2:e'])).toBeNull();
  });

  it("another process's bump is seen by the next read, with no wait (200 times in a row)", async () => {
    const [a, b] = [await nearStore(), await nearStore()];
    await b.incr(['n3:g'], 60_000);
    for (let i = 0; i < 200; i++) {
      const [seen] = await a.mget(['n3:g']);
      expect(local(a, ['n3:g'])).toEqual([seen]);
      await b.incr(['n3:g'], 60_000);
      // Straight after the bump returns, with nothing awaited in between: the copy must already be gone.
      const now = local(a, ['n3:g']);
      expect(now === null || now[0] !== seen).toBe(true);
    }
  });

  it('reads racing bumps never leave a stale copy behind', async () => {
    const [a, b] = [await nearStore(), await nearStore()];
    for (let round = 0; round < 20; round++) {
      const key = `n4:g:${round % 3}`;
      await Promise.all([
        ...Array.from({ length: 40 }, () => a.mget([key])),
        ...Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? b.incr([key], 60_000) : raw.incr(key))),
      ]);
      const truth = await raw.get(key); // a round trip: every push sent before it has been read by now
      const held = local(a, [key]);
      expect(held === null || held[0] === truth).toBe(true);
      expect(await a.mget([key])).toEqual([truth]);
    }
  });

  it('drops everything when a connection is killed, and tracks again once it is back', async () => {
    const a = await nearStore();
    await raw.set('n5:k', 'v1');
    await a.mget(['n5:k']);
    const resetsBefore = a.nearStats!().resets;

    await raw.client('KILL', 'TYPE', 'pubsub'); // the invalidation subscriber
    await until('the reset', () => a.nearStats!().resets > resetsBefore);
    expect(local(a, ['n5:k'])).toBeNull();
    await until('tracking resumes', () => a.nearStats!().tracking);
    await a.mget(['n5:k']);
    expect(local(a, ['n5:k'])).toEqual(['v1']);
    await raw.set('n5:k', 'v2'); // pushes reach the new subscriber
    await until('the new subscriber drops the copy', () => local(a, ['n5:k']) === null);

    const mainId = await a.client.client('ID');
    await a.mget(['n5:k']);
    const resetsMid = a.nearStats!().resets;
    await raw.client('KILL', 'ID', String(mainId)); // the connection that reads (and is tracked)
    await until('the reset', () => a.nearStats!().resets > resetsMid);
    await until('tracking resumes', () => a.nearStats!().tracking);
    await a.mget(['n5:k']);
    await raw.set('n5:k', 'v3'); // tracked on the new connection
    await until('the copy is dropped', () => local(a, ['n5:k']) === null);
    expect(await a.mget(['n5:k'])).toEqual(['v3']);
  });

  it('drops everything on FLUSHALL', async () => {
    const a = await nearStore();
    await raw.set('n6:k', 'v');
    await a.mget(['n6:k']);
    await raw.flushall();
    await until('the flush reaches it', () => local(a, ['n6:k']) === null);
    expect(await a.mget(['n6:k'])).toEqual([null]);
    // Tracking goes on: the next reads are held again, and kept current.
    expect(a.nearStats!().tracking).toBe(true);
    await raw.set('n6:k', 'after');
    await raw.ping(); // the push for the key the read above saw missing has been read by now
    expect(await a.mget(['n6:k'])).toEqual(['after']);
    expect(local(a, ['n6:k'])).toEqual(['after']);
    await raw.set('n6:k', 'later');
    await until('the push drops the copy', () => local(a, ['n6:k']) === null);
  });

  it('survives Redis restarting: off during the outage, correct and tracking after', async () => {
    const a = await nearStore();
    await raw.set('n7:k', 'before');
    await a.mget(['n7:k']);
    await redis.stop();
    await until('tracking is off', () => !a.nearStats!().tracking);
    expect(local(a, ['n7:k'])).toBeNull();
    await redis.start(); // empty: nothing was saved
    await until('tracking resumes', () => a.nearStats!().tracking, 10_000);
    await until('raw is back', async () => (await raw.ping().catch(() => '')) === 'PONG', 10_000);
    expect(await a.mget(['n7:k'])).toEqual([null]);
    await raw.set('n7:k', 'after');
    await until('the copy of the missing key does not linger', async () => (await a.mget(['n7:k']))[0] === 'after');
  });
});

describe('near cache where Redis refuses CLIENT (as some managed services do)', () => {
  it('stays off, says so once, and the store works as without one', async () => {
    const locked = await startTestRedis(['--rename-command', 'CLIENT', '']);
    const logs: string[] = [];
    const store = createRedisStore(locked.url, { near: {}, log: (message) => logs.push(message) });
    try {
      await until('the store connects', async () => (await store.ping().then(() => true, () => false)));
      await until('the near cache gave up', () => logs.length > 0);
      await store.set('k', 'v', 60_000);
      expect(await store.mget(['k'])).toEqual(['v']);
      expect(await store.mget(['k'])).toEqual(['v']);
      expect(store.mgetLocal?.(['k'])).toBeNull();
      expect(store.nearStats?.()).toMatchObject({ tracking: false, entries: 0 });
      await sleep(200);
      expect(logs).toEqual(['near cache: could not subscribe to invalidations; it stays off until the next reconnect']);
    } finally {
      await store.close();
      await locked.dispose();
    }
  });
});

describe('the cache on near stores', () => {
  it('hits from memory, and an invalidation in another process is seen by the next read there', async () => {
    const [storeA, storeB] = [await nearStore(), await nearStore()];
    const a = createCache({ store: storeA });
    const b = createCache({ store: storeB });
    const params = { tenantId: 'tn', namespace: 'things.byId', key: 'k1', tags: ['thing:1'] };
    let version = 1;
    const load = async () => ({ version });

    expect(await a.getOrLoad(params, load)).toEqual({ value: { version: 1 }, status: 'miss' });
    expect(await a.getOrLoad(params, load)).toEqual({ value: { version: 1 }, status: 'hit' });
    expect(a.peekLocal(params)?.json).toBe('{"version":1}');
    const hitsBefore = storeA.nearStats!().hits;
    expect(a.peekLocal(params)?.json).toBe('{"version":1}');
    expect(storeA.nearStats!().hits).toBe(hitsBefore + 1);

    version = 2;
    await b.invalidate({ tenantId: 'tn', tags: ['thing:1'] });
    expect(a.peekLocal(params) ?? null).toBeNull();
    expect(await a.getOrLoad(params, load)).toEqual({ value: { version: 2 }, status: 'miss' });
    expect(await b.getOrLoad(params, load)).toEqual({ value: { version: 2 }, status: 'hit' });
  });
});
