import { inflateRawSync } from 'node:zlib';
import { TRPCError } from '@trpc/server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spEndpoints } from '@dharma/auth/sso/saml';
import { devKeys } from '@dharma/dev-idp/keys';
import { buildSamlResponse, encodePostResponse, idpMetadata, redirectBindingSign, type BuildSamlResponseOptions } from '@dharma/dev-idp/saml';
import { DEV_OIDC_CLIENT_ID, OTHER_OIDC_CLIENT, startDevIdp } from '@dharma/dev-idp/server';
import { devIdToken } from '@dharma/dev-idp/testing';
import { signInternalToken } from '@dharma/auth/token';
import { anonymousCaller, callerFor, makeDeps, memberWith, scratchTenant, asOwner } from '../../testing/harness';

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

const owner = asOwner;
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

  it('IdP-initiated single logout: a LogoutRequest signed by the IdP is answered; unsigned or signed by another key, refused', async () => {
    const sp = spEndpoints(deps.env.CONSOLE_URL, idpA);
    const request = (key: string) =>
      redirectBindingSign({
        kind: 'SAMLRequest',
        key,
        relayState: 'back',
        xml:
          `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_lr${Date.now()}" Version="2.0" IssueInstant="${new Date().toISOString()}" Destination="${sp.sloUrl}">` +
          `<saml:Issuer>${IDP_ENTITY}</saml:Issuer><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">sally@${acme.slug}.test</saml:NameID><samlp:SessionIndex>_s1</samlp:SessionIndex></samlp:LogoutRequest>`,
      });
    const answered = await anon().sso.samlIdpLogout({ idpId: idpA, query: request(keys.idp.key) });
    expect(answered.nameId).toBe(`sally@${acme.slug}.test`);
    expect(answered.url).toMatch(/^http:\/\/localhost:4690\/saml\/slo\?SAMLResponse=.*RelayState=back/);
    expect(await refusal(anon().sso.samlIdpLogout({ idpId: idpA, query: request(keys.other.key) }))).toBe('BAD_REQUEST: signature');
    const unsigned = request(keys.idp.key).replace(/&SigAlg=[^&]*&Signature=.*$/, '');
    expect(await refusal(anon().sso.samlIdpLogout({ idpId: idpA, query: unsigned }))).toBe('BAD_REQUEST: signature');
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

describe('OIDC sign-in: the services verify the ID token Auth.js received', () => {
  const PORT = 4691;
  const CALLBACK_PREFIX = 'http://localhost:3000/api/auth/callback/';
  let idp: Awaited<ReturnType<typeof startDevIdp>>;
  let oidcA: string;
  beforeAll(async () => {
    idp = await startDevIdp({ port: PORT, webOrigins: ['http://localhost:3000'], clientSecret: 'oidc-test-secret' });
    oidcA = (
      await (await callerFor(deps, acme.admin)).sso.save({
        kind: 'oidc',
        name: 'Acme OIDC',
        config: { issuer: idp.oidcIssuer, clientId: DEV_OIDC_CLIENT_ID, clientSecret: 'oidc-test-secret' },
        groupRoles: [{ group: 'tech-architects', role: 'technical_architect' }],
        defaultRoles: ['viewer'],
        domains: [],
      })
    ).id;
  });
  afterAll(() => idp?.close());

  const anon = () => anonymousCaller(deps).sso;
  const idToken = (clientId: string, secret: string, email = 'tara@acme.test') => devIdToken({ issuer: idp.oidcIssuer, clientId, clientSecret: secret, redirectUri: `${CALLBACK_PREFIX}${oidcA}`, email });

  it("a token for this provider's client signs in with the mapped roles", async () => {
    const out = await anon().oidcSignIn({ idpId: oidcA, idToken: await idToken(DEV_OIDC_CLIENT_ID, 'oidc-test-secret') });
    expect(out.user).toMatchObject({ email: 'tara@acme.test', tenantId: acme.tenantId, name: 'Tara Technical' });
    expect((await anonymousCaller(deps, `Bearer ${out.token}`).identity.me()).roles).toEqual(['technical_architect']);
  });

  it('an ID token issued to another client is refused, and so is one changed after signing', async () => {
    const other = await idToken(OTHER_OIDC_CLIENT.clientId, OTHER_OIDC_CLIENT.clientSecret, 'vic@acme.test');
    expect(await refusal(anon().oidcSignIn({ idpId: oidcA, idToken: other }))).toBe('UNAUTHORIZED: audience');
    const good = await idToken(DEV_OIDC_CLIENT_ID, 'oidc-test-secret', 'vic@acme.test');
    const [h, p, sig] = good.split('.');
    const forged = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
    forged.groups = ['dharma-admins', 'tech-architects'];
    expect(await refusal(anon().oidcSignIn({ idpId: oidcA, idToken: `${h}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${sig}` }))).toBe('UNAUTHORIZED: signature');
    expect(await usersNamed(acme.tenantId, 'vic@acme.test')).toBe(0);
  });

  it("the client secret is handed only to the console server, and never listed", async () => {
    expect(await refusal(anon().oidcClient({ idpId: oidcA }))).toMatch(/^UNAUTHORIZED/);
    const console = anonymousCaller(deps, `Bearer ${signInternalToken(deps.env.AUTH_SECRET)}`);
    expect(await console.sso.oidcClient({ idpId: oidcA })).toMatchObject({ clientId: DEV_OIDC_CLIENT_ID, clientSecret: 'oidc-test-secret', issuer: idp.oidcIssuer });
    const listed = JSON.stringify(await (await callerFor(deps, acme.admin)).sso.list());
    expect(listed).toContain('"clientSecretSet":true');
    expect(listed).not.toContain('oidc-test-secret');
  });

  it('an unreachable provider answers 503 (retry), not a refusal', async () => {
    const down = (
      await (await callerFor(deps, acme.admin)).sso.save({ kind: 'oidc', name: 'Down', config: { issuer: 'http://127.0.0.1:9', clientId: 'x', clientSecret: 'y' }, groupRoles: [], defaultRoles: ['viewer'], domains: [] })
    ).id;
    expect(await refusal(anon().oidcSignIn({ idpId: down, idToken: 'a.b.c' }))).toMatch(/^SERVICE_UNAVAILABLE: .*could not be reached/);
  });
});

describe('Settings -> Identity providers: who may, and bad input', () => {
  const bad = (p: Promise<unknown>) => p.then(() => 'OK', (e: unknown) => (e instanceof TRPCError ? `${e.code} ${e.message}` : String(e)));
  const count = (tenantId: string) => owner(async (db) => Number((await db.execute<{ n: number }>(sql`select count(*)::int as n from identity_providers where tenant_id = ${tenantId}`))[0]!.n));

  it('only holders of tenant:update manage providers; a viewer is told which permission is missing', async () => {
    const viewer = await callerFor(deps, await memberWith(acme, ['viewer'], 'idp-viewer'));
    expect(await bad(viewer.sso.list())).toMatch(/^FORBIDDEN missing permission tenant:read/);
    expect(await bad(viewer.sso.save({ kind: 'oidc', name: 'x', config: {}, groupRoles: [], defaultRoles: [], domains: [] }))).toMatch(/^FORBIDDEN missing permission tenant:update/);
  });

  it("another tenant's admin can neither see, change nor delete a provider, by list or by id", async () => {
    const otherAdmin = await callerFor(deps, other.admin);
    expect((await otherAdmin.sso.list()).providers.map((p) => p.id)).not.toContain(idpA);
    expect(await bad(otherAdmin.sso.delete({ id: idpA }))).toMatch(/^NOT_FOUND/);
    expect(await bad(otherAdmin.sso.save({ id: idpA, kind: 'saml', name: 'hijack', config: samlConfig(keys.other.cert), groupRoles: [], defaultRoles: ['admin'], domains: [] }))).toMatch(/^NOT_FOUND/);
    expect((await (await callerFor(deps, acme.admin)).sso.list()).providers.find((p) => p.id === idpA)?.name).toBe('Acme SAML');
  });

  it('a bad setting names its field, and nothing is written', async () => {
    const admin = await callerFor(deps, acme.admin);
    const before = await count(acme.tenantId);
    const base = { kind: 'oidc' as const, name: 'Bad', groupRoles: [], defaultRoles: [], domains: [] };
    expect(await bad(admin.sso.save({ ...base, config: { issuer: 'not a url', clientId: 'c', clientSecret: 's' } }))).toMatch(/^BAD_REQUEST config\.issuer: must be an http\(s\) URL/);
    expect(await bad(admin.sso.save({ ...base, config: { issuer: 'https://idp.example', clientId: 'c' } }))).toMatch(/^BAD_REQUEST config\.clientSecret: /);
    expect(await bad(admin.sso.save({ ...base, kind: 'saml', config: { ...samlConfig(keys.idp.cert), certificates: ['not a certificate'] } }))).toMatch(/^BAD_REQUEST config\.certificates\.0: must be an X\.509 certificate/);
    expect(await bad(admin.sso.save({ ...base, config: { issuer: 'https://idp.example', clientId: 'c', clientSecret: 's' }, groupRoles: [{ group: 'g', role: 'no-such-role' }] }))).toMatch(/^BAD_REQUEST no role "no-such-role"/);
    expect(await bad(admin.sso.save({ ...base, config: { issuer: 'https://idp.example', clientId: 'c', clientSecret: 's' }, domains: ['not a domain'] }))).toMatch(/^BAD_REQUEST .*domains.*must be a domain name/s);
    expect(await bad(admin.sso.save({ ...base, name: 'Acme SAML', kind: 'saml', config: samlConfig(keys.idp.cert) }))).toMatch(/^CONFLICT an identity provider named "Acme SAML" already exists/);
    expect(await count(acme.tenantId)).toBe(before);
  });

  it('metadata XML: read when good; refused with the reason when malformed, huge, or carrying an external entity', async () => {
    const admin = await callerFor(deps, acme.admin);
    const good = idpMetadata({ entityId: IDP_ENTITY, baseUrl: 'http://localhost:4690/saml', cert: keys.idp.cert });
    expect(await admin.sso.parseMetadata({ xml: good })).toMatchObject({ entityId: IDP_ENTITY, ssoUrl: 'http://localhost:4690/saml/sso', sloUrl: 'http://localhost:4690/saml/slo' });
    expect(await bad(admin.sso.parseMetadata({ xml: '<EntityDescriptor><unclosed>' }))).toMatch(/^BAD_REQUEST xml: the metadata is not well-formed XML/);
    expect(await bad(admin.sso.parseMetadata({ xml: `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><x>&xxe;</x>` }))).toMatch(/^BAD_REQUEST xml: the metadata must not contain a DOCTYPE/);
    expect(await bad(admin.sso.parseMetadata({ xml: `<x>${'a'.repeat(600 * 1024)}</x>` }))).toMatch(/^BAD_REQUEST .*xml.*larger than 512 KiB/s);
    expect(await bad(admin.sso.parseMetadata({ xml: '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>' }))).toMatch(/^BAD_REQUEST xml: the metadata is not an identity provider metadata document/);
  });

  it('SSO required: refused without an enabled provider; once on, the development sign-in is refused for the tenant', async () => {
    const lone = await scratchTenant('sso-required');
    expect(await bad((await callerFor(deps, lone.admin)).sso.setSsoRequired({ ssoRequired: true }))).toMatch(/^BAD_REQUEST add and enable an identity provider first/);
    const admin = await callerFor(deps, other.admin);
    await admin.sso.setSsoRequired({ ssoRequired: true });
    expect(await bad(anon().identity.devSignIn({ userId: other.admin.userId }))).toMatch(/^FORBIDDEN .*requires single sign-on/);
    await admin.sso.setSsoRequired({ ssoRequired: false });
    expect((await anon().identity.devSignIn({ userId: other.admin.userId })).user.userId).toBe(other.admin.userId);
  });
});
