/**
 * Integration tests of the dev IdPs, driven over HTTP like a browser would (cookies carried by hand) and checked
 * with the libraries the product uses on the other side: jose for OIDC ID tokens, @node-saml/node-saml 5.1.0
 * for SAML.
 *
 *   cd /work/main && npx vitest run --project int packages/dev-idp
 */
import { createHash, randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { SAML, ValidateInResponseTo, type SamlConfig } from '@node-saml/node-saml';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devKeys } from './keys';
import { buildSamlResponse, encodePostResponse, parseSamlXml, signXml } from './saml';
import { startDevIdp, type DevIdp } from './server';
import { Browser } from './testing';

const PORT = Number(process.env.DEV_IDP_TEST_PORT ?? 4690);
const WEB = 'http://localhost:3000';
const CALLBACK = `${WEB}/api/auth/callback/x`;
const SECRET = 'test-secret';

let idp: DevIdp;

beforeAll(async () => {
  idp = await startDevIdp({ port: PORT, webOrigins: [WEB], clientSecret: SECRET, faults: true });
});

afterAll(async () => {
  await idp?.close();
});

function location(res: Response, base: string): string {
  const loc = res.headers.get('location');
  expect(loc, `expected a redirect, got ${res.status}`).toBeTruthy();
  return new URL(loc!, base).href;
}

function unescapeHtml(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function formAction(html: string): string {
  const m = /<form[^>]*action="([^"]+)"/.exec(html);
  expect(m, 'form action').toBeTruthy();
  return unescapeHtml(m![1]!);
}

function hiddenInput(html: string, name: string): string | undefined {
  const m = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`).exec(html);
  return m ? unescapeHtml(m[1]!) : undefined;
}

// -------------------------------------------------------------------------------------------------------------
// OIDC
// -------------------------------------------------------------------------------------------------------------

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  end_session_endpoint: string;
}

async function discovery(): Promise<Discovery> {
  const res = await fetch(`${idp.oidcIssuer}/.well-known/openid-configuration`);
  expect(res.status).toBe(200);
  return (await res.json()) as Discovery;
}

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

/** Authorization request -> pick a user -> callback. Returns the callback URL and what the client sent. */
async function authorize(o: {
  browser: Browser;
  clientId?: string;
  email: string;
  loginHint?: string;
  redirectUri?: string;
}) {
  const d = await discovery();
  const { verifier, challenge } = pkce();
  const state = randomBytes(8).toString('hex');
  const nonce = randomBytes(8).toString('hex');
  const redirectUri = o.redirectUri ?? CALLBACK;
  const auth = new URL(d.authorization_endpoint);
  auth.search = new URLSearchParams({
    client_id: o.clientId ?? 'dharma-console',
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: 'openid email profile groups',
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...(o.loginHint ? { login_hint: o.loginHint } : {}),
  }).toString();

  let res = await o.browser.get(auth.href);
  expect(res.status).toBe(303);
  const interactionUrl = location(res, auth.href);
  expect(interactionUrl).toContain('/oidc/interaction/');
  res = await o.browser.get(interactionUrl);
  expect(res.status).toBe(200);
  const html = await res.text();
  expect(html).toContain('Dharma dev OIDC provider');
  expect(html).toContain(`data-testid="idp-user-${o.email}"`);

  res = await o.browser.post(new URL(formAction(html), interactionUrl).href, { email: o.email });
  expect(res.status).toBe(303);
  let next = location(res, interactionUrl);
  // Follow the provider's redirects (resume) until we land on the client's callback.
  for (let i = 0; i < 5 && !next.startsWith(redirectUri); i++) {
    res = await o.browser.get(next);
    expect([302, 303]).toContain(res.status);
    next = location(res, next);
  }
  expect(next.startsWith(`${redirectUri}?`)).toBe(true);
  const cb = new URL(next);
  expect(cb.searchParams.get('state')).toBe(state);
  expect(cb.searchParams.get('iss')).toBe(idp.oidcIssuer); // RFC 9207
  const code = cb.searchParams.get('code');
  expect(code).toBeTruthy();
  return { html, code: code!, verifier, nonce, redirectUri, discovery: d };
}

async function token(o: {
  code: string;
  verifier: string;
  redirectUri: string;
  clientId?: string;
  secret?: string;
  method?: 'basic' | 'post';
}): Promise<Response> {
  const d = await discovery();
  const clientId = o.clientId ?? 'dharma-console';
  const secret = o.secret ?? SECRET;
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code: o.code,
    redirect_uri: o.redirectUri,
    code_verifier: o.verifier,
  });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (o.method === 'post') {
    body.set('client_id', clientId);
    body.set('client_secret', secret);
  } else {
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
  }
  return fetch(d.token_endpoint, { method: 'POST', headers, body });
}

describe('dev OIDC provider', () => {
  it('serves discovery and a JWKS with the dev signing key', async () => {
    const d = await discovery();
    expect(d.issuer).toBe(`http://localhost:${PORT}/oidc`);
    expect(d.authorization_endpoint).toBe(`${d.issuer}/auth`);
    const raw = (await (await fetch(`${d.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(raw.code_challenge_methods_supported).toEqual(['S256']);
    expect(raw.token_endpoint_auth_methods_supported).toEqual(['client_secret_basic', 'client_secret_post']);
    expect(raw.scopes_supported).toEqual(expect.arrayContaining(['openid', 'email', 'profile', 'groups']));
    const jwks = (await (await fetch(d.jwks_uri)).json()) as { keys: { kty: string; alg: string; use: string; d?: string }[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwks.keys[0]!.d).toBeUndefined(); // public part only
  });

  it('runs the code flow with PKCE and issues an ID token with email, name, groups and nonce', async () => {
    const browser = new Browser();
    const a = await authorize({ browser, email: 'ada@acme.test' });
    const res = await token({ code: a.code, verifier: a.verifier, redirectUri: a.redirectUri });
    expect(res.status).toBe(200);
    const tokens = (await res.json()) as { id_token: string; access_token: string; token_type: string };
    const { payload, protectedHeader } = await jwtVerify(tokens.id_token, createRemoteJWKSet(new URL(a.discovery.jwks_uri)), {
      issuer: idp.oidcIssuer,
      audience: 'dharma-console',
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({
      sub: 'user-ada-acme',
      email: 'ada@acme.test',
      email_verified: true,
      name: 'Ada Admin',
      groups: ['dharma-admins'],
      nonce: a.nonce,
    });

    // An authorization code is single use (RFC 6749 4.1.2).
    const again = await token({ code: a.code, verifier: a.verifier, redirectUri: a.redirectUri });
    expect(again.status).toBe(400);
    expect(((await again.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('accepts client_secret_post, the second client, and lists the login_hint user first', async () => {
    const browser = new Browser();
    const a = await authorize({ browser, clientId: 'other-app', email: 'omar@globex.test', loginHint: 'omar@globex.test' });
    const firstUser = /data-testid="idp-user-([^"]+)"/.exec(a.html)?.[1];
    expect(firstUser).toBe('omar@globex.test');
    const res = await token({
      code: a.code,
      verifier: a.verifier,
      redirectUri: a.redirectUri,
      clientId: 'other-app',
      secret: 'other-secret',
      method: 'post',
    });
    expect(res.status).toBe(200);
    const { id_token } = (await res.json()) as { id_token: string };
    expect(decodeJwt(id_token)).toMatchObject({ aud: 'other-app', email: 'omar@globex.test', groups: ['architects'] });
  });

  it('refuses a wrong code_verifier and a wrong client secret', async () => {
    const a = await authorize({ browser: new Browser(), email: 'vic@acme.test' });
    const bad = await token({ code: a.code, verifier: pkce().verifier, redirectUri: a.redirectUri });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toBe('invalid_grant');

    const b = await authorize({ browser: new Browser(), email: 'vic@acme.test' });
    const wrongSecret = await token({ code: b.code, verifier: b.verifier, redirectUri: b.redirectUri, secret: 'nope' });
    expect(wrongSecret.status).toBe(401);
    expect(((await wrongSecret.json()) as { error: string }).error).toBe('invalid_client');
  });

  it('refuses redirect_uris outside the client prefixes', async () => {
    const d = await discovery();
    for (const redirectUri of [
      'http://evil.test/api/auth/callback/x',
      'http://localhost:3000.evil.test/api/auth/callback/x',
      'http://localhost:3001/api/auth/callback/x',
      'http://localhost:3000/api/auth/callback/x#frag',
    ]) {
      const auth = new URL(d.authorization_endpoint);
      auth.search = new URLSearchParams({
        client_id: 'dharma-console',
        response_type: 'code',
        redirect_uri: redirectUri,
        scope: 'openid',
        code_challenge: pkce().challenge,
        code_challenge_method: 'S256',
      }).toString();
      const res = await fetch(auth, { redirect: 'manual' });
      // Never redirected to an unregistered URI: the error is shown by the IdP itself.
      expect(res.status, redirectUri).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(await res.text()).toContain('redirect_uri');
    }
  });

  it('requires PKCE', async () => {
    const d = await discovery();
    const auth = new URL(d.authorization_endpoint);
    auth.search = new URLSearchParams({
      client_id: 'dharma-console',
      response_type: 'code',
      redirect_uri: CALLBACK,
      scope: 'openid',
      state: 's1',
    }).toString();
    const res = await fetch(auth, { redirect: 'manual' });
    expect(res.status).toBe(303);
    const back = new URL(res.headers.get('location')!);
    expect(back.href.startsWith(CALLBACK)).toBe(true);
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('error_description')).toMatch(/PKCE/);

    // S256 only: the `plain` method is refused.
    auth.searchParams.set('code_challenge', pkce().verifier);
    auth.searchParams.set('code_challenge_method', 'plain');
    const plain = await fetch(auth, { redirect: 'manual' });
    expect(plain.status).toBe(303);
    expect(new URL(plain.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
  });

  it('fault injection: login_hint containing wrong-nonce yields an ID token with another nonce', async () => {
    const a = await authorize({ browser: new Browser(), email: 'sam@acme.test', loginHint: 'wrong-nonce' });
    const res = await token({ code: a.code, verifier: a.verifier, redirectUri: a.redirectUri });
    const { id_token } = (await res.json()) as { id_token: string };
    const claims = decodeJwt(id_token);
    expect(claims.nonce).toBeTruthy();
    expect(claims.nonce).not.toBe(a.nonce);
  });

  it('keeps the SSO session, then ends it with RP-initiated logout straight back to the client', async () => {
    const browser = new Browser();
    const a = await authorize({ browser, email: 'pia@acme.test' });
    const { id_token } = (await (await token({ code: a.code, verifier: a.verifier, redirectUri: a.redirectUri })).json()) as {
      id_token: string;
    };

    // Signed in at the IdP: a second authorization request completes without the picker.
    const { challenge } = pkce();
    const auth = new URL(a.discovery.authorization_endpoint);
    auth.search = new URLSearchParams({
      client_id: 'dharma-console',
      response_type: 'code',
      redirect_uri: CALLBACK,
      scope: 'openid email',
      state: 's2',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    let res = await browser.get(auth.href);
    expect(res.status).toBe(303);
    expect(location(res, auth.href).startsWith(`${CALLBACK}?code=`)).toBe(true);

    // Signed in at the IdP, first visit of another client: consent is granted silently (no page).
    const other = new URL(auth.href);
    other.searchParams.set('client_id', 'other-app');
    res = await browser.get(other.href);
    expect(res.status).toBe(303);
    let next = location(res, other.href);
    expect(next).toContain('/oidc/interaction/');
    for (let i = 0; i < 5 && !next.startsWith(CALLBACK); i++) {
      res = await browser.get(next);
      expect([302, 303]).toContain(res.status);
      next = location(res, next);
    }
    expect(next.startsWith(`${CALLBACK}?code=`)).toBe(true);

    // RP-initiated logout.
    const end = new URL(a.discovery.end_session_endpoint);
    end.search = new URLSearchParams({
      id_token_hint: id_token,
      post_logout_redirect_uri: `${WEB}/signed-out`,
      state: 'bye',
    }).toString();
    res = await browser.get(end.href);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('data-testid="idp-logout-confirm"');
    const xsrf = hiddenInput(html, 'xsrf');
    expect(xsrf).toBeTruthy();
    res = await browser.post(new URL(formAction(html), end.href).href, { xsrf: xsrf!, logout: 'yes' });
    expect(res.status).toBe(303);
    expect(location(res, end.href)).toBe(`${WEB}/signed-out?state=bye`);

    // The IdP session is gone: the next authorization request shows the picker again.
    res = await browser.get(auth.href);
    expect(res.status).toBe(303);
    expect(location(res, auth.href)).toContain('/oidc/interaction/');
  });

  it('refuses a post_logout_redirect_uri outside the prefixes', async () => {
    const d = await discovery();
    const end = new URL(d.end_session_endpoint);
    end.search = new URLSearchParams({ client_id: 'dharma-console', post_logout_redirect_uri: 'http://evil.test/' }).toString();
    const res = await fetch(end, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('post_logout_redirect_uri');
  });
});

// -------------------------------------------------------------------------------------------------------------
// SAML
// -------------------------------------------------------------------------------------------------------------

const SP_ENTITY_ID = 'http://localhost:3000/saml/sp/conn-1';
const ACS = 'http://localhost:3000/api/auth/saml/conn-1/acs';
const SP_SLO = 'http://localhost:3000/api/auth/saml/conn-1/slo';

function sp(extra: Partial<SamlConfig> = {}): SAML {
  return new SAML({
    idpCert: devKeys().idp.cert,
    idpIssuer: idp.samlEntityId,
    issuer: SP_ENTITY_ID,
    audience: SP_ENTITY_ID,
    callbackUrl: ACS,
    entryPoint: `${idp.samlBaseUrl}/sso`,
    logoutUrl: `${idp.samlBaseUrl}/slo`,
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    validateInResponseTo: ValidateInResponseTo.never,
    ...extra,
  });
}

function handBuiltAuthnRequest(id: string, acs = ACS): string {
  return (
    `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"` +
    ` ID="${id}" Version="2.0" IssueInstant="${new Date().toISOString()}" Destination="${idp.samlBaseUrl}/sso"` +
    ` ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" AssertionConsumerServiceURL="${acs}">` +
    `<saml:Issuer>${SP_ENTITY_ID}</saml:Issuer>` +
    `<samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress" AllowCreate="true"/>` +
    `</samlp:AuthnRequest>`
  );
}

/** Opens an SSO URL, picks `email`, returns the auto-post form's target and fields. */
async function samlSignIn(ssoUrl: string, email: string) {
  const browser = new Browser();
  let res = await browser.get(ssoUrl);
  expect(res.status).toBe(200);
  const html = await res.text();
  expect(html).toContain('Dharma dev SAML IdP');
  expect(html).toContain(`data-testid="idp-user-${email}"`);
  const pending = hiddenInput(html, 'pending');
  expect(pending).toBeTruthy();
  res = await browser.post(new URL(formAction(html), ssoUrl).href, { pending: pending!, email });
  expect(res.status).toBe(200);
  const post = await res.text();
  return {
    action: formAction(post),
    SAMLResponse: hiddenInput(post, 'SAMLResponse')!,
    RelayState: hiddenInput(post, 'RelayState'),
    replay: () => browser.post(new URL(formAction(html), ssoUrl).href, { pending: pending!, email }),
  };
}

describe('dev SAML IdP', () => {
  it('serves parseable metadata', async () => {
    const res = await fetch(`${idp.samlBaseUrl}/metadata`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/samlmetadata+xml');
    const doc = parseSamlXml(await res.text());
    const root = doc.documentElement;
    expect(root.localName).toBe('EntityDescriptor');
    expect(root.getAttribute('entityID')).toBe(idp.samlEntityId);
    const sso = doc.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:metadata', 'SingleSignOnService');
    expect(sso.length).toBe(2);
    expect(sso.item(0)!.getAttribute('Location')).toBe(`${idp.samlBaseUrl}/sso`);
    const cert = doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'X509Certificate').item(0)!.textContent;
    expect(devKeys().idp.cert.replace(/-----[^-]+-----|\s/g, '')).toBe(cert);
  });

  it('answers a hand-built HTTP-Redirect AuthnRequest with a response node-saml accepts', async () => {
    const id = `_${randomBytes(10).toString('hex')}`;
    const q = new URLSearchParams({
      SAMLRequest: deflateRawSync(handBuiltAuthnRequest(id)).toString('base64'),
      RelayState: '/projects?tab=1',
    });
    const r = await samlSignIn(`${idp.samlBaseUrl}/sso?${q}`, 'ada@acme.test');
    expect(r.action).toBe(ACS);
    expect(r.RelayState).toBe('/projects?tab=1');

    const xml = Buffer.from(r.SAMLResponse, 'base64').toString('utf8');
    expect(xml).toContain(`InResponseTo="${id}"`);
    const { profile, loggedOut } = await sp().validatePostResponseAsync({ SAMLResponse: r.SAMLResponse });
    expect(loggedOut).toBe(false);
    expect(profile).toMatchObject({
      issuer: idp.samlEntityId,
      nameID: 'ada@acme.test',
      nameIDFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      inResponseTo: id,
      email: 'ada@acme.test',
      displayName: 'Ada Admin',
      groups: 'dharma-admins', // node-saml: a single AttributeValue becomes a string
    });
    expect(profile!.sessionIndex).toMatch(/^_[0-9a-f]{40}$/);

    // A pending request is single use.
    const replay = await r.replay();
    expect(replay.status).toBe(400);
  });

  it("round-trips node-saml's own AuthnRequest with InResponseTo validation 'always'", async () => {
    const client = sp({ validateInResponseTo: ValidateInResponseTo.always });
    const url = await client.getAuthorizeUrlAsync('relay-1', undefined, {});
    expect(url.startsWith(`${idp.samlBaseUrl}/sso?`)).toBe(true);
    const r = await samlSignIn(url, 'nova@acme.test');
    const { profile } = await client.validatePostResponseAsync({ SAMLResponse: r.SAMLResponse });
    expect(profile).toMatchObject({ nameID: 'nova@acme.test', groups: ['architects', 'everyone'] });
    // node-saml consumed the request id: the same response cannot be replayed.
    await expect(client.validatePostResponseAsync({ SAMLResponse: r.SAMLResponse })).rejects.toThrow(/InResponseTo/);
  });

  it('supports IdP-initiated SSO (no InResponseTo)', async () => {
    const q = new URLSearchParams({ acs: ACS, audience: SP_ENTITY_ID, RelayState: '/' });
    const r = await samlSignIn(`${idp.samlBaseUrl}/idp-init?${q}`, 'val@globex.test');
    const xml = Buffer.from(r.SAMLResponse, 'base64').toString('utf8');
    expect(xml).not.toContain('InResponseTo');
    const { profile } = await sp().validatePostResponseAsync({ SAMLResponse: r.SAMLResponse });
    expect(profile).toMatchObject({ nameID: 'val@globex.test', groups: 'everyone' });
  });

  it('refuses an ACS URL outside the allowed SP origins', async () => {
    const q = new URLSearchParams({
      SAMLRequest: deflateRawSync(handBuiltAuthnRequest('_x1', 'http://evil.test/acs')).toString('base64'),
    });
    const res = await fetch(`${idp.samlBaseUrl}/sso?${q}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('AssertionConsumerServiceURL');
  });

  it('refuses malformed XML and DTDs', async () => {
    for (const bad of ['<samlp:AuthnRequest', '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>']) {
      const q = new URLSearchParams({ SAMLRequest: deflateRawSync(bad).toString('base64') });
      const res = await fetch(`${idp.samlBaseUrl}/sso?${q}`);
      expect(res.status).toBe(400);
    }
  });

  it('buildSamlResponse: node-saml accepts each signing mode with the idp key, refuses the other key and none', async () => {
    const { idp: k, other } = devKeys();
    const base = {
      issuer: idp.samlEntityId,
      destination: ACS,
      audience: SP_ENTITY_ID,
      nameId: 'sam@acme.test',
      attributes: { email: 'sam@acme.test', groups: ['architects', 'everyone'] },
    };
    for (const sign of ['assertion', 'both'] as const) {
      const xml = buildSamlResponse({ ...base, key: k.key, cert: k.cert, sign });
      const { profile } = await sp().validatePostResponseAsync({ SAMLResponse: encodePostResponse(xml) });
      expect(profile?.nameID, sign).toBe('sam@acme.test');
    }
    // Response-only signature: accepted when the SP wants the response signed and not the assertion.
    const responseSigned = buildSamlResponse({ ...base, key: k.key, cert: k.cert, sign: 'response' });
    const { profile } = await sp({ wantAssertionsSigned: false, wantAuthnResponseSigned: true }).validatePostResponseAsync({
      SAMLResponse: encodePostResponse(responseSigned),
    });
    expect(profile?.nameID).toBe('sam@acme.test');

    const byOther = buildSamlResponse({ ...base, key: other.key, cert: other.cert });
    await expect(sp().validatePostResponseAsync({ SAMLResponse: encodePostResponse(byOther) })).rejects.toThrow(/signature/i);
    const unsigned = buildSamlResponse({ ...base, key: k.key, cert: k.cert, sign: 'none' });
    await expect(sp().validatePostResponseAsync({ SAMLResponse: encodePostResponse(unsigned) })).rejects.toThrow(/signature/i);

    // Post-processing a signed response breaks its signature.
    const tampered = buildSamlResponse({ ...base, key: k.key, cert: k.cert }).replace('sam@acme.test</saml:NameID>', 'ada@acme.test</saml:NameID>');
    await expect(sp().validatePostResponseAsync({ SAMLResponse: encodePostResponse(tampered) })).rejects.toThrow(/signature/i);

    // Expired and wrong-audience assertions are refused.
    const expired = buildSamlResponse({
      ...base,
      key: k.key,
      cert: k.cert,
      issueInstant: new Date(Date.now() - 3_600_000),
      notOnOrAfter: new Date(Date.now() - 1_800_000),
    });
    await expect(sp().validatePostResponseAsync({ SAMLResponse: encodePostResponse(expired) })).rejects.toThrow(/expired/i);
    const otherAudience = buildSamlResponse({ ...base, key: k.key, cert: k.cert, audience: 'urn:someone-else' });
    await expect(sp().validatePostResponseAsync({ SAMLResponse: encodePostResponse(otherAudience) })).rejects.toThrow(/audience/i);

    // signXml is usable on its own (e.g. to re-sign after post-processing).
    const resigned = signXml(buildSamlResponse({ ...base, key: k.key, cert: k.cert, sign: 'none' }), {
      key: k.key,
      cert: k.cert,
      reference: 'assertion',
    });
    expect((await sp().validatePostResponseAsync({ SAMLResponse: encodePostResponse(resigned) })).profile?.nameID).toBe('sam@acme.test');
  });

  it('single logout: a node-saml LogoutRequest gets a signed LogoutResponse node-saml accepts', async () => {
    const client = sp({ validateInResponseTo: ValidateInResponseTo.always });
    // Sign in first: the IdP learns the SP's SLO URL from the ACS URL (…/acs -> …/slo).
    const url = await client.getAuthorizeUrlAsync('', undefined, {});
    const r = await samlSignIn(url, 'tara@acme.test');
    const { profile } = await client.validatePostResponseAsync({ SAMLResponse: r.SAMLResponse });

    const logoutUrl = await client.getLogoutUrlAsync(profile!, 'after-logout', {});
    const res = await fetch(logoutUrl, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(SP_SLO);
    expect(back.searchParams.get('RelayState')).toBe('after-logout');
    expect(back.searchParams.get('SigAlg')).toBe('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
    expect(back.searchParams.get('Signature')).toBeTruthy(); // node-saml would also accept an unsigned one

    const container = Object.fromEntries(back.searchParams) as Record<string, string>;
    const originalQuery = back.search.slice(1);
    const result = await client.validateRedirectAsync(container, originalQuery);
    expect(result.loggedOut).toBe(true);

    // The redirect-binding signature covers RelayState: tampering is detected.
    const tampered = originalQuery.replace('RelayState=after-logout', 'RelayState=elsewhere');
    await expect(
      sp().validateRedirectAsync({ ...container, RelayState: 'elsewhere' }, tampered),
    ).rejects.toThrow(/signature/i);
  });
});
