import { describe, expect, it } from 'vitest';
import { createRequestWindow } from './request-window';

describe('request window', () => {
  it('reports rate, p95 bucket and error shares over complete seconds only', () => {
    let t = 100_000;
    const w = createRequestWindow({ now: () => t });
    for (let s = 0; s < 10; s++) {
      for (let i = 0; i < 20; i++) w.record(i < 19 ? 3 : 150, 'ok');
      t += 1000;
    }
    w.record(4, 'server_error'); // the current, partial second is not counted yet
    expect(w.snapshot(10)).toEqual({ windowSeconds: 10, perSecond: 20, p95Ms: 5, serverErrorRate: 0, clientErrorRate: 0 });
    t += 1000;
    const s = w.snapshot(10);
    expect(s.serverErrorRate).toBeCloseTo(1 / 181);
  });

  it('finds a slow tail and counts client and server errors apart', () => {
    let t = 0;
    const w = createRequestWindow({ now: () => t });
    for (let i = 0; i < 100; i++) w.record(i < 90 ? 1 : 800, i % 10 === 0 ? 'client_error' : i === 1 ? 'server_error' : 'ok');
    t += 1000;
    expect(w.snapshot(5)).toMatchObject({ p95Ms: 1000, clientErrorRate: 0.1, serverErrorRate: 0.01, perSecond: 20 });
  });

  it('forgets seconds that have left the window, and says null with no traffic', () => {
    let t = 0;
    const w = createRequestWindow({ slots: 10, now: () => t });
    w.record(1, 'ok');
    t += 30_000;
    expect(w.snapshot(5)).toEqual({ windowSeconds: 5, perSecond: 0, p95Ms: null, serverErrorRate: null, clientErrorRate: null });
  });
});
