/** The header the services read to recognise a retried creating mutation (`blueprints.create`, `saveVersion`). */
export const IDEMPOTENCY_HEADER = 'idempotency-key';

/**
 * A random UUID. `crypto.randomUUID` exists only in secure contexts (https, localhost); a console opened over plain
 * http on a LAN address still gets a key, built from `getRandomValues`, which every context has.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
