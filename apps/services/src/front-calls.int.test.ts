import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDeps, scratchTenant, seededUsers, startHttp, tokenFor } from './testing/harness';
import { smallGraph } from './testing/graphs';

/**
 * The front call layer answers single calls without tRPC's adapter; these tests send the same calls to a process
 * with it (FRONT_CALLS on) and one without (every call through tRPC), and require the same status, body and headers.
 */
const fast = makeDeps();
const plain = makeDeps({ FRONT_CALLS: 'false' });
let servers: { fast: Awaited<ReturnType<typeof startHttp>>; plain: Awaited<ReturnType<typeof startHttp>> };
let scratch: Awaited<ReturnType<typeof scratchTenant>>;
let admin: string;
let viewer: string;
let ghostToken: string;
let id: string;

beforeAll(async () => {
  servers = { fast: await startHttp(fast), plain: await startHttp(plain) };
  scratch = await scratchTenant('front-calls');
  admin = await tokenFor(scratch.admin, fast.env.AUTH_SECRET);
  const users = await seededUsers(fast);
  viewer = await tokenFor(users.vic, fast.env.AUTH_SECRET);
  ghostToken = await tokenFor({ ...scratch.admin, userId: '00000000-0000-4000-8000-000000000000' }, fast.env.AUTH_SECRET);
  const res = await fetch(`${servers.plain.url}/trpc/blueprints.create`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ projectId: scratch.projectId, name: 'Target', cloud: 'aws', graph: smallGraph() }),
  });
  id = ((await res.json()) as { result: { data: { id: string } } }).result.data.id;
});
afterAll(async () => {
  await Promise.all([servers.fast.close(), servers.plain.close()]);
  await Promise.all([fast.close(), plain.close()]);
});

interface TCall {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  input?: unknown;
  /** A raw body instead of JSON of `input`. */
  body?: string;
  token?: string;
  headers?: Record<string, string>;
}

/** Values that differ between two runs of the same call (times, tokens, ids made by the call), masked. */
const masked = (text: string) =>
  text
    .replace(/"(time|expiresAt)":"[^"]+"/g, '"$1":"…"')
    .replace(/"token":"[^"]+"/g, '"token":"…"')
    .replace(/"(id|graphHash)":"[0-9a-f-]{36,64}"/g, '"$1":"…"')
    .replace(/Target \d/g, 'Target N');

async function send(base: string, c: TCall, n: number) {
  const headers: Record<string, string> = { 'x-request-id': `req-${n}`, ...c.headers };
  if (c.token) headers.authorization = `Bearer ${c.token}`;
  let url = `${base}/trpc/${c.path}`;
  let body: string | undefined;
  if (c.method === 'GET') {
    if (c.input !== undefined) url += `?input=${encodeURIComponent(JSON.stringify(c.input))}`;
  } else {
    body = c.body ?? JSON.stringify(c.input);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(url, { method: c.method, headers, ...(body === undefined ? {} : { body }) });
  return {
    status: res.status,
    body: masked(await res.text()),
    headers: Object.fromEntries(['content-type', 'x-request-id', 'retry-after', 'x-cache', 'vary'].map((h) => [h, res.headers.get(h)])),
  };
}

const CALLS = (): TCall[] => [
  { name: 'public query', method: 'GET', path: 'health.ping' },
  { name: 'public query with an input it ignores', method: 'GET', path: 'health.ping', input: { x: 1 } },
  { name: 'authed query', method: 'GET', path: 'identity.whoami', token: admin },
  { name: 'tenant query', method: 'GET', path: 'identity.me', token: admin },
  { name: 'no token', method: 'GET', path: 'identity.me' },
  { name: 'garbage token', method: 'GET', path: 'identity.me', token: 'not-a-token' },
  { name: 'token of no member', method: 'GET', path: 'identity.me', token: ghostToken },
  { name: 'sign-in', method: 'POST', path: 'identity.devSignIn', input: { userId: scratch.admin.userId } },
  { name: 'sign-in, unknown user', method: 'POST', path: 'identity.devSignIn', input: { userId: '00000000-0000-4000-8000-000000000000' } },
  { name: 'sign-in, bad input', method: 'POST', path: 'identity.devSignIn', input: { userId: 'ada' } },
  { name: 'sign-in, body not JSON', method: 'POST', path: 'identity.devSignIn', body: 'notjson' },
  { name: 'sign-in, empty body', method: 'POST', path: 'identity.devSignIn', body: '' },
  { name: 'sign-in, not JSON content type', method: 'POST', path: 'identity.devSignIn', body: '{}', headers: { 'content-type': 'text/plain' } },
  { name: 'query sent as POST', method: 'POST', path: 'identity.me', input: {}, token: admin },
  { name: 'mutation sent as GET', method: 'GET', path: 'identity.devSignIn', input: { userId: scratch.admin.userId } },
  { name: 'unknown procedure', method: 'GET', path: 'blueprints.nothing', token: admin },
  { name: 'prototype name', method: 'GET', path: 'constructor', token: admin },
  { name: 'create, field errors', method: 'POST', path: 'blueprints.create', input: { projectId: 'x', name: '', cloud: 'mars', graph: {} }, token: admin },
  { name: 'create, viewer not allowed', method: 'POST', path: 'blueprints.create', input: { projectId: scratch.projectId, name: 'Nope', cloud: 'aws', graph: smallGraph() }, token: viewer },
  { name: 'create, unknown project', method: 'POST', path: 'blueprints.create', input: { projectId: '00000000-0000-4000-8000-000000000000', name: 'Nope', cloud: 'aws', graph: smallGraph() }, token: admin },
  { name: 'create, name taken', method: 'POST', path: 'blueprints.create', input: { projectId: scratch.projectId, name: 'Target', cloud: 'aws', graph: smallGraph() }, token: admin },
  { name: 'create, bad idempotency key', method: 'POST', path: 'blueprints.create', input: { projectId: scratch.projectId, name: 'Key', cloud: 'aws', graph: smallGraph() }, token: admin, headers: { 'idempotency-key': 'has space' } },
  { name: 'save, stale base (409 with currentVersion)', method: 'POST', path: 'blueprints.saveVersion', input: { id, baseVersion: 7, graph: smallGraph(), message: 'stale' }, token: admin },
  { name: 'save, unchanged', method: 'POST', path: 'blueprints.saveVersion', input: { id, baseVersion: 1, graph: smallGraph(), message: 'same' }, token: admin },
  { name: 'archive, unknown id', method: 'POST', path: 'blueprints.archive', input: { id: '00000000-0000-4000-8000-000000000000' }, token: admin },
  { name: 'batch (left to tRPC on both)', method: 'GET', path: 'health.ping,health.ping?batch=1&input=%7B%7D' },
];

describe('front call layer', () => {
  it('answers every call with the status, body and headers tRPC sends for it', async () => {
    let n = 0;
    for (const c of CALLS()) {
      n += 1;
      const [a, b] = [await send(servers.fast.url, c, n), await send(servers.plain.url, c, n)];
      expect(a, c.name).toEqual(b);
    }
  });

  it('runs mutations through the procedure: a create made through it is there, once', async () => {
    const create = (base: string, name: string) =>
      send(base, { name, method: 'POST', path: 'blueprints.create', input: { projectId: scratch.projectId, name, cloud: 'aws', graph: smallGraph() }, token: admin }, 0);
    const made = await create(servers.fast.url, 'Target 2');
    expect(made.status).toBe(200);
    const list = await send(servers.plain.url, { name: 'list', method: 'GET', path: 'blueprints.list', input: { search: 'Target 2' }, token: admin }, 0);
    expect(list.body).toContain('"total":1');
  });

  it('answers a body over MAX_BODY_BYTES with tRPC\'s 413', async () => {
    const c: TCall = { name: 'too large', method: 'POST', path: 'identity.devSignIn', body: JSON.stringify({ userId: 'x'.repeat(fast.env.MAX_BODY_BYTES) }) };
    const [a, b] = [await send(servers.fast.url, c, 1), await send(servers.plain.url, c, 1)];
    expect(a.status).toBe(413);
    expect(a).toEqual(b);
  });
});
