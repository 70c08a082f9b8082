import { inflateRawSync } from 'node:zlib';
import { TRPCError } from '@trpc/server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spEndpoints } from '@dharma/auth/sso/saml';
import { createDb } from '@dharma/db/client';
import { devKeys } from '@dharma/dev-idp/keys';
import { buildSamlResponse, encodePostResponse, type BuildSamlResponseOptions } from '@dharma/dev-idp/saml';
import { anonymousCaller, callerFor, makeDeps, scratchTenant, testEnv } from '../../testing/harness';

/**
 * SAML sign-in through the services (`sso.samlStart`, `sso.samlSignIn`), with responses built and signed by the dev
 * IdP's code and the dev key pairs: the good one signs in, each bad one is refused with its reason, creates no user
 * and no token, and leaves an `auth.sign_in_failed` event in the provider's tenant.
 */
const deps = makeDeps();
const keys = devKeys();
const IDP_ENTITY = 'http://localhost:4690/saml/metadata';
let acme: Awaited<ReturnType<typeof scratchTenant>>;
let other: Awaited<ReturnType<typeof scratchTenant>>;
let idpA: string;
let idpB: string;
afterAll(() => deps.close());

const samlConfig = (cert: string) => ({
  entityId: IDP_ENTITY,
  ssoUrl: 'http://localhost:4690/saml/sso',
  sloUrl: 'http://localhost:4690/saml/slo',
  certificates: [cert],
  attributes: { email: 'email', name: 'displayName', groups: 'groups' },
});

beforeAll(async () => {
  [acme, other] = await Promise.all([scratchTenant('saml-a'), scratchTenant('saml-b')]);
  const save = async (t: typeof acme, name: string) =>
    (
      await (await callerFor(deps, t.admin)).sso.save({
        kind: 'saml',
        name,
        config: samlConfig(keys.idp.cert),
        groupRoles: [{ group: 'architects', role: 'solution_architect' }, { group: 'dharma-admins', role: 'admin' }],
        defaultRoles: [],
        domains: [`${t.slug}.test`],
      })
    ).id;
  // Both tenants trust the same IdP with the same key (one Okta serving two customers): only the audience, the ACS
  // URL and the requests each provider sent tell them apart.
  [idpA, idpB] = await Promise.all([save(acme, 'Acme SAML'), save(other, 'Other SAML')]);
});

const anon = () => anonymousCaller(deps);

/** A fresh AuthnRequest from the SP; its ID, read back from the redirect URL. */
async function requestId(idpId: string): Promise<string> {
  const { url } = await anon().sso.samlStart({ idpId, relayState: '/blueprints' });
  const xml = inflateRawSync(Buffer.from(new URL(url).searchParams.get('SAMLRequest')!, 'base64')).toString();
  return /ID="([^"]+)"/.exec(xml)![1]!;
}

/** A response as the IdP would send it to `idpId`'s ACS, for `email`, with `over` changing any part of it. */
function response(idpId: string, email: string, over: Partial<BuildSamlResponseOptions> = {}): string {
  const sp = spEndpoints(deps.env.CONSOLE_URL, idpId);
  return buildSamlResponse({
    issuer: IDP_ENTITY,
    key: keys.idp.key,
    cert: keys.idp.cert,
    destination: sp.acsUrl,
    audience: sp.entityId,
    nameId: email,
    attributes: { email, displayName: 'Sally Saml', groups: ['architects'] },
    ...over,
  });
}

const signIn = (idpId: string, xml: string) => anon().sso.samlSignIn({ idpId, samlResponse: encodePostResponse(xml) });
const refusal = (p: Promise<unknown>) => p.then(() => 'signed in', (e: unknown) => (e instanceof TRPCError ? `${e.code}: ${(e.cause as { reason?: string } | undefined)?.reason ?? e.message}` : `unexpected: ${String(e)}`));

async function owner<T>(fn: (db: ReturnType<typeof createDb>['db']) => Promise<T>): Promise<T> {
  const o = createDb({ url: testEnv.DATABASE_OWNER_URL, max: 1 });
  try {
    return await fn(o.db);
  } finally {
    await o.close();
  }
}
const usersNamed = (tenantId: string, email: string) => owner(async (db) => (await db.execute(sql`select id from users where tenant_id = ${tenantId} and lower(email) = lower(${email})`)).length);
const failures = (tenantId: string) =>
  owner(async (db) => (await db.execute<{ reason: string }>(sql`select after->>'reason' as reason from audit_events where tenant_id = ${tenantId} and action = 'auth.sign_in_failed' order by at, id`)).map((r) => r.reason));

describe('SAML sign-in', () => {
  it('SP-initiated: a signed response to our request signs the person in, just in time, with the roles their groups map to', async () => {
    const email = `sally@${acme.slug}.test`;
    const out = await signIn(idpA, response(idpA, email, { inResponseTo: await requestId(idpA) }));
    expect(out.user).toMatchObject({ email, tenantId: acme.tenantId, name: 'Sally Saml', roles: ['solution_architect'] });
    expect(out.justInTime).toBe(true);
    expect(out.saml).toMatchObject({ nameId: email });
    const me = await anonymousCaller(deps, `Bearer ${out.token}`).identity.me();
    expect(me.roles).toEqual(['solution_architect']);

    // The next sign-in re-maps the roles from the groups: now an admin, no longer an architect.
    const again = await signIn(idpA, response(idpA, email, { inResponseTo: await requestId(idpA), attributes: { email, displayName: 'Sally Saml', groups: ['dharma-admins'] } }));
    expect(again.justInTime).toBe(false);
    expect((await anonymousCaller(deps, `Bearer ${again.token}`).identity.me()).roles).toEqual(['admin']);
  });

  it('IdP-initiated: a response without InResponseTo is accepted once', async () => {
    const email = `ida@${acme.slug}.test`;
    const xml = response(idpA, email);
    expect((await signIn(idpA, xml)).user.email).toBe(email);
    expect(await refusal(signIn(idpA, xml))).toBe('UNAUTHORIZED: replay');
  });

  describe('each bad response is refused with its reason, and creates no session and no user', () => {
    const cases: { name: string; reason: string; build: (email: string) => Promise<string> }[] = [
      { name: 'unsigned', reason: 'signature', build: async (e) => response(idpA, e, { inResponseTo: await requestId(idpA), sign: 'none' }) },
      { name: 'signed by another key', reason: 'signature', build: async (e) => response(idpA, e, { inResponseTo: await requestId(idpA), key: keys.other.key, cert: keys.other.cert }) },
      {
        name: 'assertion changed after signing',
        reason: 'signature',
        build: async (e) => response(idpA, e, { inResponseTo: await requestId(idpA) }).replace('<saml:AttributeValue xsi:type="xs:string">architects<', '<saml:AttributeValue xsi:type="xs:string">dharma-admins<'),
      },
      {
        name: 'signature wrapping: a signed assertion plus an unsigned one',
        reason: 'signature',
        build: async (e) => {
          const signed = response(idpA, `legit-${e}`, { inResponseTo: await requestId(idpA) });
          const evil = response(idpA, e, { sign: 'none', assertionId: '_evil' });
          const evilAssertion = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(evil)![0];
          // The unsigned assertion first, where a naive SP would read the subject; the signed one stays beside it.
          return signed.replace('<saml:Assertion ', `${evilAssertion}<saml:Assertion `);
        },
      },
      {
        name: 'signature wrapping: the signed assertion hidden inside an unsigned one',
        reason: 'signature',
        build: async (e) => {
          const signed = response(idpA, `legit-${e}`, { inResponseTo: await requestId(idpA) });
          const signedAssertion = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(signed)![0];
          const evil = response(idpA, e, { sign: 'none', assertionId: '_evil' });
          return evil.replace('</saml:Subject>', `</saml:Subject><saml:Advice>${signedAssertion}</saml:Advice>`);
        },
      },
      { name: 'another audience', reason: 'audience', build: async (e) => response(idpA, e, { inResponseTo: await requestId(idpA), audience: 'https://elsewhere.example/saml/metadata' }) },
      { name: 'another recipient', reason: 'recipient', build: async (e) => response(idpA, e, { inResponseTo: await requestId(idpA), recipient: 'https://elsewhere.example/acs' }) },
      { name: 'another destination', reason: 'destination', build: async (e) => response(idpA, e, { inResponseTo: await requestId(idpA), destination: 'https://elsewhere.example/acs', recipient: spEndpoints(deps.env.CONSOLE_URL, idpA).acsUrl }) },
      {
        name: 'expired',
        reason: 'expired',
        build: async (e) => response(idpA, e, { inResponseTo: await requestId(idpA), issueInstant: new Date(Date.now() - 3_600_000), notOnOrAfter: new Date(Date.now() - 1_800_000) }),
      },
      {
        name: 'not yet valid',
        reason: 'not_yet_valid',
        build: async (e) => response(idpA, e, { inResponseTo: await requestId(idpA), notBefore: new Date(Date.now() + 600_000), notOnOrAfter: new Date(Date.now() + 1_200_000) }),
      },
      { name: 'an InResponseTo this SP never issued', reason: 'in_response_to', build: async (e) => response(idpA, e, { inResponseTo: '_never-issued-by-this-sp' }) },
      { name: "an InResponseTo of a request sent to another tenant's IdP", reason: 'in_response_to', build: async (e) => response(idpA, e, { inResponseTo: await requestId(idpB) }) },
      { name: "a response for another tenant's IdP", reason: 'audience', build: async (e) => response(idpB, e, { inResponseTo: await requestId(idpA) }) },
    ];

    it.each(cases)('$name', async ({ build, reason }) => {
      const email = `mallory-${Math.random().toString(36).slice(2, 8)}@${acme.slug}.test`;
      const before = await failures(acme.tenantId);
      expect(await refusal(signIn(idpA, await build(email)))).toBe(`UNAUTHORIZED: ${reason}`);
      expect(await usersNamed(acme.tenantId, email)).toBe(0);
      expect(await usersNamed(acme.tenantId, `legit-${email}`)).toBe(0);
      expect((await failures(acme.tenantId)).slice(before.length)).toEqual([reason]);
    });

    it('a response replayed (the same SP-initiated response twice)', async () => {
      const email = `rita@${acme.slug}.test`;
      const xml = response(idpA, email, { inResponseTo: await requestId(idpA) });
      expect((await signIn(idpA, xml)).user.email).toBe(email);
      expect(await refusal(signIn(idpA, xml))).toMatch(/^UNAUTHORIZED: (replay|in_response_to)$/);
    });
  });

  it('a person outside the provider domains, or whose groups map to no role, is refused', async () => {
    expect(await refusal(signIn(idpA, response(idpA, `eve@${other.slug}.test`)))).toBe('UNAUTHORIZED: domain');
    const email = `nogroup@${acme.slug}.test`;
    expect(await refusal(signIn(idpA, response(idpA, email, { attributes: { email, displayName: 'No Group', groups: ['unmapped'] } })))).toBe('UNAUTHORIZED: no_role');
    expect(await usersNamed(acme.tenantId, email)).toBe(0);
  });

  it('bad input names the field: not base64, an unknown provider, a provider of the other kind', async () => {
    const bad = (p: Promise<unknown>) => p.then(() => 'OK', (e: unknown) => (e instanceof TRPCError ? `${e.code} ${e.message}` : String(e)));
    expect(await bad(anon().sso.samlSignIn({ idpId: idpA, samlResponse: '<xml/>' }))).toMatch(/^BAD_REQUEST .*samlResponse.*base64/s);
    expect(await bad(anon().sso.samlSignIn({ idpId: 'not-a-uuid', samlResponse: 'AAAA' }))).toMatch(/^BAD_REQUEST .*idpId/s);
    expect(await bad(anon().sso.samlStart({ idpId: '00000000-0000-4000-8000-000000000000', relayState: '/' }))).toMatch(/^NOT_FOUND idpId/);
    expect(await bad(signIn(idpA, 'not xml at all'))).toMatch(/^UNAUTHORIZED/);
  });
});
