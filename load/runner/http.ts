import { Agent, request } from 'node:http';
import type { TCacheHeader } from './stats';

export interface TCallResult {
  status: number;
  ms: number;
  cache: TCacheHeader | null;
  body: string;
}

export interface TTrpcClient {
  /** GET `/trpc/<procedure>?input=…` (a query) or POST a JSON body (a mutation); one procedure per request, unbatched. */
  call(procedure: string, kind: 'query' | 'mutation', input: unknown, token?: string): Promise<TCallResult>;
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
    call(procedure, kind, input, token) {
      const headers: Record<string, string> = { accept: 'application/json' };
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
              done({ status: res.statusCode ?? 0, cache, body: Buffer.concat(chunks).toString('utf8') });
            });
            res.on('error', (e) => done({ status: 0, cache: null, body: String(e.message) }));
          },
        );
        req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
        req.on('error', (e) => done({ status: 0, cache: null, body: e.message }));
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
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
