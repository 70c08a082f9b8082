import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Scheduler } from './scheduler';

/** Runs the scheduler on simulated time: deterministic however busy the machine is. */
async function runFor(scheduler: Scheduler, ms: number) {
  const done = scheduler.run();
  await vi.advanceTimersByTimeAsync(ms);
  return done;
}

describe('Scheduler (ramping VUs with think time)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs each VU as a loop, never more at once than the target, and stops them all at the end', async () => {
    let inFlight = 0;
    let peak = 0;
    const perVu = new Map<number, number>();
    const scheduler = new Scheduler({
      stages: [
        { seconds: 0.2, target: 4 },
        { seconds: 0.4, target: 4 },
      ],
      iterate: async (index) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        perVu.set(index, (perVu.get(index) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 5));
        inFlight -= 1;
      },
      thinkMs: () => 20,
    });
    const { seconds, unfinished } = await runFor(scheduler, 11_000);
    expect(peak).toBeLessThanOrEqual(4);
    expect([...perVu.keys()].sort()).toEqual([0, 1, 2, 3]);
    // 4 VUs for ~0.4 s at ~25 ms per iteration, the ramp adding a little: well over a handful each, far from a hot loop.
    for (const n of perVu.values()) expect(n).toBeGreaterThan(3);
    for (const n of perVu.values()) expect(n).toBeLessThan(40);
    expect(unfinished).toBe(0);
    expect(seconds).toBeGreaterThanOrEqual(0.6);
    expect(scheduler.running).toBe(0);
  });

  it('ends promptly: a VU whose request outlives the last stage skips its think time', async () => {
    const scheduler = new Scheduler({
      stages: [{ seconds: 0.2, target: 2 }],
      iterate: () => new Promise((r) => setTimeout(r, 150)),
      thinkMs: () => 5_000,
    });
    const { seconds, unfinished } = await runFor(scheduler, 11_000);
    expect(seconds).toBeLessThan(0.6);
    expect(unfinished).toBe(0);
  });

  it('keeps running when an iteration throws, reporting the error', async () => {
    const errors: unknown[] = [];
    const scheduler = new Scheduler({
      stages: [{ seconds: 0.2, target: 1 }],
      iterate: async () => {
        throw new Error('boom');
      },
      thinkMs: () => 10,
      onError: (e) => errors.push(e),
    });
    await runFor(scheduler, 11_000);
    expect(errors.length).toBeGreaterThan(1);
  });

  it('waits at least the Retry-After an iteration returns, instead of the shorter think time', async () => {
    const starts: number[] = [];
    const scheduler = new Scheduler({
      stages: [{ seconds: 3, target: 1 }],
      iterate: async () => {
        starts.push(performance.now());
        return starts.length === 1 ? 1000 : 0;
      },
      thinkMs: () => 10,
    });
    await runFor(scheduler, 14_000);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(1000);
    expect(starts[2]! - starts[1]!).toBeLessThan(100);
  });
});
