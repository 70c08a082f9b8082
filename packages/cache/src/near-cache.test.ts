import { describe, expect, it } from 'vitest';
import { createNearCache } from './near-cache';

const keys = ['e:1', 'g:1'];

function active(opts: Parameters<typeof createNearCache>[0] = {}) {
  const near = createNearCache(opts);
  near.activate();
  return near;
}

/** A read as the store makes it: begun when sent, filled with what came back. */
function read(near: ReturnType<typeof createNearCache>, values: (string | null)[], at = keys) {
  const ticket = near.begin();
  return { fill: () => near.fill(ticket, at, values), abandon: () => near.abandon(ticket) };
}

describe('near cache: what it holds', () => {
  it('holds nothing and answers nothing until tracking is confirmed', () => {
    const near = createNearCache();
    expect(near.begin()).toBeNull();
    near.fill(near.begin(), keys, ['entry', '7']);
    expect(near.get(keys)).toBeNull();
    expect(near.stats()).toMatchObject({ tracking: false, entries: 0, misses: 0 });
  });

  it('answers a read it was filled by, all keys or none', () => {
    const near = active();
    read(near, ['entry', '7']).fill();
    expect(near.get(keys)).toEqual(['entry', '7']);
    expect(near.get(['e:1', 'g:2'])).toBeNull();
    expect(near.stats()).toMatchObject({ tracking: true, entries: 2, hits: 1, misses: 1 });
  });

  it('does not hold missing keys, so a read of them goes to the server', () => {
    const near = active();
    read(near, [null, '7']).fill();
    expect(near.get(keys)).toBeNull();
    expect(near.get(['g:1'])).toEqual(['7']);
  });

  it('drops invalidated keys and leaves the others', () => {
    const near = active();
    read(near, ['entry', '7']).fill();
    near.invalidate(['g:1']);
    expect(near.get(keys)).toBeNull();
    expect(near.get(['e:1'])).toEqual(['entry']);
    expect(near.stats().invalidations).toBe(1);
  });

  it('drops everything when tracking lapses, and a read sent before the lapse never fills', () => {
    const near = active();
    read(near, ['entry', '7']).fill();
    const before = read(near, ['entry', '7'], ['e:2', 'g:2']);
    near.reset();
    near.activate();
    before.fill();
    expect(near.get(keys)).toBeNull();
    expect(near.get(['e:2', 'g:2'])).toBeNull();
    expect(near.stats()).toMatchObject({ tracking: true, entries: 0, resets: 1 });
  });

  it('a flush drops everything and stops reads in flight from filling, but keeps answering what is read next', () => {
    const near = active();
    read(near, ['entry', '7']).fill();
    const inFlight = read(near, ['entry', '7'], ['e:2', 'g:2']);
    near.flush();
    inFlight.fill();
    expect(near.get(keys)).toBeNull();
    expect(near.get(['e:2', 'g:2'])).toBeNull();
    read(near, ['entry', '8']).fill();
    expect(near.get(keys)).toEqual(['entry', '8']);
    expect(near.stats()).toMatchObject({ tracking: true, resets: 1 });
  });

  it('does not let a read sent before tracking was confirmed fill after it is', () => {
    const near = createNearCache();
    near.activate();
    const early = read(near, ['entry', '7']);
    near.activate(); // tracking confirmed again, for instance on a new connection
    early.fill();
    expect(near.get(keys)).toBeNull();
  });

  it('stops serving a copy after maxAgeMs, with no invalidation', () => {
    let now = 1000;
    const near = active({ maxAgeMs: 500, clock: { now: () => now } });
    read(near, ['entry', '7']).fill();
    now += 499;
    expect(near.get(keys)).toEqual(['entry', '7']);
    now += 2;
    expect(near.get(keys)).toBeNull();
  });

  it('keeps within maxBytes, dropping the least recently used', () => {
    const near = active({ maxBytes: 4 * 1024 });
    const big = 'x'.repeat(700);
    for (let i = 0; i < 5; i++) read(near, [big], [`e:${i}`]).fill();
    expect(near.stats().bytes).toBeLessThanOrEqual(4 * 1024);
    expect(near.get(['e:4'])).toEqual([big]);
    expect(near.get(['e:0'])).toBeNull();
  });
});

describe('near cache: a read and an invalidation that cross', () => {
  it('does not fill a key invalidated while its read was in flight, whichever arrives first', () => {
    const near = active();
    const stale = read(near, ['entry', 'old']);
    near.invalidate(['g:1']); // the push arrives before the read's reply
    stale.fill();
    expect(near.get(['g:1'])).toBeNull();
    expect(near.get(['e:1'])).toEqual(['entry']);
  });

  it('fills a key whose invalidation came before the read was sent', () => {
    const near = active();
    near.invalidate(['g:1']);
    read(near, ['entry', 'new']).fill();
    expect(near.get(keys)).toEqual(['entry', 'new']);
  });

  it('remembers the invalidation for every read in flight, until the last of them settles', () => {
    const near = active();
    const first = read(near, ['entry', 'old']);
    const second = read(near, ['entry', 'old']);
    near.invalidate(['g:1']);
    first.fill();
    second.fill(); // the first settling must not have made it forget
    expect(near.get(['g:1'])).toBeNull();
    const after = read(near, ['entry', 'new']);
    after.fill();
    expect(near.get(keys)).toEqual(['entry', 'new']);
  });

  it('a failed read fills nothing and does not leave reads counted in flight', () => {
    const near = active();
    const failed = read(near, ['entry', 'old']);
    near.invalidate(['g:1']);
    failed.abandon();
    read(near, ['entry', 'new']).fill();
    expect(near.get(keys)).toEqual(['entry', 'new']);
  });

  it('past maxRecentInvalidations, reads older than the trim do not fill at all; newer ones do', () => {
    const near = active({ maxRecentInvalidations: 3 });
    const old = read(near, ['entry', 'v'], ['e:9', 'g:9']);
    near.invalidate(['a', 'b', 'c', 'd']); // more than it may remember while `old` is in flight
    old.fill();
    expect(near.get(['e:9'])).toBeNull();
    read(near, ['entry', 'v'], ['e:9', 'g:9']).fill();
    expect(near.get(['e:9', 'g:9'])).toEqual(['entry', 'v']);
  });
});
