import { IDEMPOTENCY_HEADER } from './idempotency';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * The headers the tRPC proxy sends on to the services: only those the services read, each checked, plus the bearer
 * token from the httpOnly cookie. A malformed Idempotency-Key is refused rather than dropped: dropped, a retry would
 * quietly lose its protection against saving twice.
 */
export function upstreamHeaders(incoming: Headers, token: string | null): { headers: Headers; error: null } | { headers: null; error: string } {
  const headers = new Headers();
  const contentType = incoming.get('content-type');
  if (contentType) headers.set('content-type', contentType);
  const requestId = incoming.get('x-request-id');
  if (requestId && REQUEST_ID.test(requestId)) headers.set('x-request-id', requestId);
  const idempotencyKey = incoming.get(IDEMPOTENCY_HEADER);
  if (idempotencyKey !== null) {
    if (!IDEMPOTENCY_KEY.test(idempotencyKey)) {
      return { headers: null, error: 'Idempotency-Key header: must be 8 to 128 letters, digits, ".", "_", ":" or "-" (a UUID works)' };
    }
    headers.set(IDEMPOTENCY_HEADER, idempotencyKey);
  }
  if (token) headers.set('authorization', `Bearer ${token}`);
  return { headers, error: null };
}
