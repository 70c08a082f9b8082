import { Agent, request } from 'node:http';
import type { TCacheHeader } from './stats';

export interface TCallResult {
  status: number;
  ms: number;
  cache: TCacheHeader | null;
  body: string;
  /** Retry-After of a 429 or 503, in ms (a client comes back no sooner); 0 otherwise. */
  retryAfterMs: number;
}

export interface TTrpcClient {
  /** GET `/trpc/<procedure>?input=…` (a query) or POST a JSON body (a mutation); one procedure per request, unbatched. */
  call(procedure: string, kind: 'query' | 'mutation', input: unknown, token?: string, headers?: Record<string, string>): Promise<TCallResult>;
  close(): void;
}

const CACHE_VALUES = new Set(['HIT', 'MISS', 'ERROR', 'BYPASS']);

/**
 * A tRPC client on node:http with one keep-alive socket per virtual user (each VU has at most one request in
 * flight), so connection setup is not measured and the client spends as little of the shared CPU as possible.
 * Latency is from sending the request to the last byte of the body, as k6's http_req_duration.
 */
export function createTrpcClient(baseUrl: string, maxSockets: number, timeoutMs = 30_000): TTrpcClient {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, keepAliveMsecs: 30_000 });
  return {
    call(procedure, kind, input, token, extra) {
      const headers: Record<string, string> = { accept: 'application/json', ...extra };
      if (token) headers.authorization = `Bearer ${token}`;
      let path = `/trpc/${procedure}`;
      let body: string | undefined;
      if (kind === 'query') {
        if (input !== undefined) path += `?input=${encodeURIComponent(JSON.stringify(input))}`;
      } else {
        body = JSON.stringify(input ?? null);
        headers['content-type'] = 'application/json';
        headers['content-length'] = String(Buffer.byteLength(body));
      }
      return new Promise<TCallResult>((resolveCall) => {
        const started = performance.now();
        let settled = false;
        const done = (r: Omit<TCallResult, 'ms'>) => {
          if (settled) return;
          settled = true;
          resolveCall({ ...r, ms: performance.now() - started });
        };
        const req = request(
          { host: url.hostname, port: url.port, method: kind === 'query' ? 'GET' : 'POST', path, headers, agent },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const header = res.headers['x-cache'];
              const cache = typeof header === 'string' && CACHE_VALUES.has(header) ? (header as TCacheHeader) : null;
              const status = res.statusCode ?? 0;
              done({ status, cache, body: Buffer.concat(chunks).toString('utf8'), retryAfterMs: status === 429 || status === 503 ? retryAfterMs(res.headers['retry-after']) : 0 });
            });
            res.on('error', (e) => done({ status: 0, cache: null, body: String(e.message), retryAfterMs: 0 }));
          },
        );
        req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
        req.on('error', (e) => done({ status: 0, cache: null, body: e.message, retryAfterMs: 0 }));
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}

/** Retry-After in ms: delay-seconds (RFC 9110; an HTTP-date is not sent by the services); 1 s when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined): number {
  const seconds = Number(Array.isArray(header) ? header[0] : header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 1000;
}

/** `result.data` of a tRPC response, or undefined when the body is not one. */
export function trpcData<T>(body: string): T | undefined {
  try {
    return (JSON.parse(body) as { result?: { data?: T } }).result?.data;
  } catch {
    return undefined;
  }
}

/** The error message of a tRPC error response, for the failure table; the body itself when it is not one. */
export function trpcErrorMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: string; data?: { code?: string } } };
    if (parsed.error) return `${parsed.error.data?.code ?? 'ERROR'}: ${parsed.error.message ?? ''}`;
  } catch {
    // not JSON: fall through to the raw text
  }
  return body.slice(0, 160);
}
