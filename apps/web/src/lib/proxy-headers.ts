import { IDEMPOTENCY_HEADER } from './idempotency';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * The headers the tRPC proxy sends on to the services: only those the services read, plus the bearer token from
 * the httpOnly cookie. The Idempotency-Key goes on as it came: the services check it (and refuse a malformed one
 * naming the header), so there is one rule for it, not a second copy here.
 */
export function upstreamHeaders(incoming: Headers, token: string | null): Headers {
  const headers = new Headers();
  const contentType = incoming.get('content-type');
  if (contentType) headers.set('content-type', contentType);
  const requestId = incoming.get('x-request-id');
  if (requestId && REQUEST_ID.test(requestId)) headers.set('x-request-id', requestId);
  const idempotencyKey = incoming.get(IDEMPOTENCY_HEADER);
  if (idempotencyKey !== null) headers.set(IDEMPOTENCY_HEADER, idempotencyKey);
  if (token) headers.set('authorization', `Bearer ${token}`);
  return headers;
}
