import { describe, expect, it } from 'vitest';
import { newIdempotencyKey } from './idempotency';
import { upstreamHeaders } from './proxy-headers';

describe('upstreamHeaders', () => {
  it('forwards the Idempotency-Key, the request id and the content type, adds the token, and drops the rest', () => {
    const key = newIdempotencyKey();
    const out = upstreamHeaders(new Headers({ 'Idempotency-Key': key, 'x-request-id': 'abc-1', 'content-type': 'application/json', cookie: 'x=1' }), 'tok');
    expect(Object.fromEntries(out.entries())).toEqual({ 'idempotency-key': key, 'x-request-id': 'abc-1', 'content-type': 'application/json', authorization: 'Bearer tok' });
  });

  it('sends no key when the request has none', () => {
    expect(upstreamHeaders(new Headers(), null).has('idempotency-key')).toBe(false);
  });

  it('makes version 4 UUIDs', () => {
    expect(newIdempotencyKey()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
