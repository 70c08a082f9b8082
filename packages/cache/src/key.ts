import { createHash } from 'node:crypto';

/**
 * A short deterministic cache key for a procedure input: the same input always gives the same key, whatever the
 * order of object properties, and different JSON values give different keys (SHA-256, 22 base64url characters =
 * 132 bits, so a collision is not a practical concern). `undefined` (a procedure without input) is `'_'`.
 *
 * Follows JSON semantics, because the input arrived as JSON: properties whose value is undefined are dropped,
 * functions and symbols are dropped from objects and become null in arrays, `toJSON` is honoured (Dates). What JSON
 * cannot represent at all (BigInt, cycles, a bare function) throws a TypeError rather than silently sharing a key.
 */
export function stableKey(input: unknown): string {
  if (input === undefined) return '_';
  const canonical = canonicalJson(input, new Set());
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 22);
}

function canonicalJson(value: unknown, seen: Set<object>): string {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      // JSON has no NaN or Infinity; like JSON.stringify they become null.
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'object':
      break;
    default:
      throw new TypeError(`stableKey: cannot key a ${typeof value}`);
  }
  const obj = value as object;
  if (seen.has(obj)) throw new TypeError('stableKey: input has a cycle');
  seen.add(obj);
  let out: string;
  if (Array.isArray(obj)) {
    // Inside arrays JSON writes these as null; keep that so the key agrees with what went over the wire.
    out = `[${obj.map((item) => (isDropped(item) ? 'null' : canonicalJson(item, seen))).join(',')}]`;
  } else {
    const record = obj as Record<string, unknown>;
    const parts: string[] = [];
    for (const name of Object.keys(record).sort()) {
      const item = record[name];
      if (isDropped(item)) continue;
      parts.push(`${JSON.stringify(name)}:${canonicalJson(item, seen)}`);
    }
    out = `{${parts.join(',')}}`;
  }
  seen.delete(obj);
  return out;
}

function isDropped(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}
