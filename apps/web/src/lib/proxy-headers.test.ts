import { describe, expect, it } from 'vitest';
import { newIdempotencyKey } from './idempotency';
import { upstreamHeaders } from './proxy-headers';

describe('upstreamHeaders', () => {
  it('forwards the Idempotency-Key, the request id and the content type, and adds the token', () => {
    const key = newIdempotencyKey();
    const out = upstreamHeaders(new Headers({ 'Idempotency-Key': key, 'x-request-id': 'abc-1', 'content-type': 'application/json', cookie: 'x=1' }), 'tok');
    expect(out.error).toBeNull();
    expect(Object.fromEntries(out.headers!.entries())).toEqual({ 'idempotency-key': key, 'x-request-id': 'abc-1', 'content-type': 'application/json', authorization: 'Bearer tok' });
  });

  it('refuses a malformed key with a message naming the header, and sends no key when there is none', () => {
    expect(upstreamHeaders(new Headers({ 'idempotency-key': 'a b' }), null)).toEqual({ headers: null, error: expect.stringMatching(/^Idempotency-Key header: /) });
    expect(upstreamHeaders(new Headers(), null).headers?.has('idempotency-key')).toBe(false);
  });

  it('makes version 4 UUIDs', () => {
    expect(newIdempotencyKey()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
