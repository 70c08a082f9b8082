import type { NextRequest } from 'next/server';
import { env } from '../../../../env';
import { upstreamHeaders } from '../../../../lib/proxy-headers';
import { sessionTokenRenewedIfDue } from '../../../../lib/auth';

export const dynamic = 'force-dynamic';

const PREFIX = '/api/trpc/';

/**
 * The browser's only way to the services: forwards the tRPC call unchanged (path, query, body, so batching works),
 * with the headers the services read (request id, Idempotency-Key), and adds the bearer token from the httpOnly
 * cookie, which page scripts never see.
 */
async function forward(req: NextRequest): Promise<Response> {
  const url = new URL(req.url);
  const path = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : '';
  const target = `${env.SERVICES_URL}/trpc/${path}${url.search}`;

  const headers = upstreamHeaders(req.headers, await sessionTokenRenewedIfDue());

  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: req.method,
      headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : await req.arrayBuffer(),
      cache: 'no-store',
      redirect: 'manual',
    });
  } catch (error) {
    return unreachable(path, url.searchParams.has('batch'), error);
  }

  const out = new Headers({ 'cache-control': 'no-store' });
  for (const name of ['content-type', 'x-request-id']) {
    const value = upstream.headers.get(name);
    if (value) out.set(name, value);
  }
  return new Response(upstream.body, { status: upstream.status, headers: out });
}

/** The services did not answer: reply in tRPC's error shape so the console shows a message, not a parse error. */
function unreachable(path: string, batch: boolean, error: unknown): Response {
  const message = `the services at ${env.SERVICES_URL} did not answer (${(error as Error)?.message ?? String(error)})`;
  const one = (p: string) => ({ error: { message, code: -32603, data: { code: 'BAD_GATEWAY', httpStatus: 502, path: p } } });
  const procedures = path.split(',');
  const body = batch ? procedures.map(one) : one(path);
  return Response.json(body, { status: 502, headers: { 'cache-control': 'no-store' } });
}

export const GET = forward;
export const POST = forward;
