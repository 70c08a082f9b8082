import { describe, expect, it } from 'vitest';
import { retryAfterMs } from './http';

describe('retryAfterMs', () => {
  it('reads delay-seconds, and falls back to one second when the header is missing or unreadable', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs(['0'])).toBe(0);
    expect(retryAfterMs(undefined)).toBe(1000);
    expect(retryAfterMs('Wed, 21 Oct 2026 07:28:00 GMT')).toBe(1000);
    expect(retryAfterMs('-3')).toBe(1000);
  });
});
