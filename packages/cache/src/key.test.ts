import { describe, expect, it } from 'vitest';
import { stableKey } from './key';

describe('stableKey', () => {
  it('ignores the order of object keys, at every depth', () => {
    const a = stableKey({ tenant: 't', filter: { status: 'open', owner: 'me' }, page: 2 });
    const b = stableKey({ page: 2, filter: { owner: 'me', status: 'open' }, tenant: 't' });
    expect(a).toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('gives different keys for different inputs', () => {
    const inputs: unknown[] = [
      null,
      {},
      [],
      '',
      0,
      1,
      '1',
      true,
      'true',
      { a: 1 },
      { a: '1' },
      { a: [1, 2] },
      { a: [2, 1] },
      { a: 1, b: 2 },
      { a: { b: 2 } },
      { 'a.b': 2 },
      [null],
      ['null'],
    ];
    const keys = inputs.map(stableKey);
    expect(new Set(keys).size).toBe(inputs.length);
  });

  it('follows JSON: undefined properties vanish, Dates use toJSON, undefined input is "_"', () => {
    expect(stableKey(undefined)).toBe('_');
    expect(stableKey({ a: 1, b: undefined })).toBe(stableKey({ a: 1 }));
    expect(stableKey([undefined])).toBe(stableKey([null]));
    const when = new Date('2025-01-02T03:04:05.000Z');
    expect(stableKey({ when })).toBe(stableKey({ when: '2025-01-02T03:04:05.000Z' }));
  });

  it('refuses what JSON cannot carry instead of colliding', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => stableKey({ n: 1n })).toThrow(TypeError);
    expect(() => stableKey(cyclic)).toThrow(TypeError);
    // The same object twice is not a cycle.
    const shared = { x: 1 };
    expect(stableKey({ a: shared, b: shared })).toBe(stableKey({ a: { x: 1 }, b: { x: 1 } }));
  });
});
