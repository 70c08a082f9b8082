/** Small node:http helpers shared by the dev IdPs. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Reads an `application/x-www-form-urlencoded` body (at most `limit` bytes, default 1 MiB). */
export async function readForm(req: IncomingMessage, limit = 1024 * 1024): Promise<URLSearchParams> {
  const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new HttpError(415, 'expected an application/x-www-form-urlencoded body');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw new HttpError(413, 'request body too large');
    chunks.push(buf);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function redirect(res: ServerResponse, location: string, status = 302): void {
  res.writeHead(status, { location, 'cache-control': 'no-store', 'content-length': '0' });
  res.end();
}

/**
 * True when `value` is a canonical absolute URL (no fragment, no credentials) that starts with one of
 * `prefixes` and has the same origin as that prefix. The origin check stops `http://localhost:3000.evil.test/`
 * from passing a prefix written without a trailing slash; the canonical-form check stops `..` tricks, since the
 * value must equal what a URL parser makes of it.
 */
export function urlHasAllowedPrefix(value: string, prefixes: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.href !== value || url.hash || url.username || url.password) return false;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  return prefixes.some((prefix) => {
    try {
      return value.startsWith(prefix) && new URL(prefix).origin === url.origin;
    } catch {
      return false;
    }
  });
}
