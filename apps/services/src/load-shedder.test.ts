import { describe, expect, it } from 'vitest';
import { createLoadShedder } from './load-shedder';

describe('load shedder', () => {
  it('admits everything while the loop keeps time, and sheds a growing share past the lag threshold', () => {
    let roll = 0.5;
    const shedder = createLoadShedder({ lagMs: 100, maxInflight: 1000, timer: false, random: () => roll });
    shedder.sample(20);
    expect(shedder.refuse()).toBeNull();
    // Smoothed: one late tick does not flip it, a run of them does.
    shedder.sample(400);
    expect(shedder.stats().lagMs).toBeLessThan(150);
    for (let i = 0; i < 10; i++) shedder.sample(150);
    const lag = shedder.stats().lagMs;
    expect(lag).toBeGreaterThan(140);
    expect(lag).toBeLessThan(160);
    // At ~150 ms (1.5x the threshold) about half is refused: a low roll is refused, a high one admitted.
    roll = 0.2;
    expect(shedder.refuse()).toBe('lag');
    roll = 0.8;
    expect(shedder.refuse()).toBeNull();
    // From twice the threshold everything is.
    for (let i = 0; i < 20; i++) shedder.sample(300);
    roll = 0.999;
    expect(shedder.refuse()).toBe('lag');
    // And it recovers as soon as the loop is on time again.
    for (let i = 0; i < 20; i++) shedder.sample(0);
    expect(shedder.refuse()).toBeNull();
  });

  it('refuses beyond the in-flight limit whatever the lag, and admits again as requests finish', () => {
    const shedder = createLoadShedder({ lagMs: 100, maxInflight: 2, timer: false, random: () => 0 });
    expect(shedder.refuse()).toBeNull();
    shedder.started();
    shedder.started();
    expect(shedder.refuse()).toBe('inflight');
    shedder.finished();
    expect(shedder.refuse()).toBeNull();
    expect(shedder.stats().inflight).toBe(1);
  });

  it('measures real event-loop lag with its timer', async () => {
    const shedder = createLoadShedder({ lagMs: 50, maxInflight: 10, random: () => 0 });
    try {
      await new Promise((r) => setTimeout(r, 60));
      const until = performance.now() + 300;
      while (performance.now() < until) {
        // Block the loop: the shedder's timer cannot run, and is late by this much when it does.
      }
      await new Promise((r) => setTimeout(r, 30));
      expect(shedder.stats().lagMs).toBeGreaterThan(50);
      expect(shedder.refuse()).toBe('lag');
    } finally {
      shedder.close();
    }
  });
});
