import { expect, test, type Page } from '@playwright/test';
import { rpcQuery, signIn, uniqueName } from './helpers';

/**
 * Single sign-on in Chromium through the local IdPs (`packages/dev-idp`, started by playwright.config.ts and
 * registered for the seeded tenants): acme signs in through OIDC, globex through SAML.
 */
const IDP = 'http://localhost:4610';

interface TMe {
  email: string;
  roles: string[];
  tenant: { slug: string };
}

/** Home-realm discovery: type the email, pick the provider it finds. */
async function startSso(page: Page, email: string, provider: string) {
  await page.goto('/signin');
  await page.getByTestId('sso-email').fill(email);
  await page.getByTestId('sso-continue').click();
  await page.getByTestId(`sso-provider-${provider}`).click();
}

async function expectSignedIn(page: Page, name: string, tenant: string) {
  await expect(page).toHaveURL(/\/blueprints(\?|$)/);
  await expect(page.getByTestId('user-name')).toHaveText(name);
  await expect(page.getByTestId('tenant-slug')).toHaveText(tenant);
}

/**
 * Starts an OIDC sign-in and picks the user at the IdP by posting its form from the test (same cookies as the page),
 * following the IdP's redirects by hand up to the console's callback URL, which is returned unvisited.
 */
async function oidcCallbackOf(page: Page, email: string): Promise<URL> {
  await startSso(page, email, 'acme-oidc');
  await expect(page.getByTestId(`idp-user-${email}`)).toBeVisible();
  const action = new URL((await page.locator('form').first().getAttribute('action'))!, page.url()).toString();
  let res = await page.request.post(action, { form: { email }, maxRedirects: 0 });
  for (let hops = 0; hops < 5 && res.status() >= 300 && res.status() < 400; hops += 1) {
    const location = new URL(res.headers()['location']!, res.url());
    if (location.pathname.startsWith('/api/auth/callback/')) return location;
    res = await page.request.get(location.toString(), { maxRedirects: 0 });
  }
  throw new Error(`the IdP did not redirect to the callback (last: ${res.status()} ${res.url()})`);
}

async function expectNoSession(page: Page) {
  await page.goto('/blueprints');
  await expect(page).toHaveURL(/\/signin/);
}

test.describe('OIDC', () => {
  test('signs in through the provider with the roles the groups map to, and signs out of it', async ({ page }) => {
    await startSso(page, 'tara@acme.test', 'acme-oidc');
    await expect(page.getByText('Dharma dev OIDC provider')).toBeVisible();
    await page.getByTestId('idp-user-tara@acme.test').click();
    await expectSignedIn(page, 'Tara Technical', 'acme');
    const me = await rpcQuery<TMe>(page.request, 'identity.me');
    expect(me.roles).toEqual(['technical_architect']);

    await page.getByTestId('sign-out').click();
    await expect(page).toHaveURL(/\/signin\?reason=signed-out/);
    await expectNoSession(page);
  });

  test('a person new to the tenant gets an account just in time', async ({ page }) => {
    await startSso(page, 'nova@acme.test', 'acme-oidc');
    await page.getByTestId('idp-user-nova@acme.test').click();
    await expectSignedIn(page, 'Nova Newcomer', 'acme');
    expect((await rpcQuery<TMe>(page.request, 'identity.me')).roles).toEqual(['solution_architect', 'viewer']);
  });

  test('a wrong state is refused and creates no session', async ({ page }) => {
    const callback = await oidcCallbackOf(page, 'ada@acme.test');
    callback.searchParams.set('state', 'forged-state');
    await page.goto(callback.toString());
    await expect(page.getByTestId('signin-error')).toContainText('could not be verified');
    await expectNoSession(page);
  });

  test('a wrong nonce in the ID token is refused and creates no session', async ({ page }) => {
    // The dev IdP (faults on) swaps the nonce of an authorization request whose login_hint says so.
    await startSso(page, 'wrong-nonce@acme.test', 'acme-oidc');
    await page.getByTestId('idp-user-ada@acme.test').click();
    await expect(page.getByTestId('signin-error')).toContainText('could not be verified');
    await expectNoSession(page);
  });

  test('an authorization code replayed is refused', async ({ page, browser }) => {
    const callback = await oidcCallbackOf(page, 'ada@acme.test');
    // The cookies of the sign-in in progress (state, PKCE verifier, nonce), as they are before the callback uses them.
    const before = (await page.context().cookies()).filter((c) => c.name.startsWith('authjs.'));
    await page.goto(callback.toString());
    await expectSignedIn(page, 'Ada Admin', 'acme');

    // The same callback, with the same cookies, in another browser: state, nonce and PKCE match; the code was used.
    const replay = await browser.newContext({ baseURL: 'http://localhost:3100' });
    await replay.addCookies(before);
    const again = await replay.newPage();
    await again.goto(callback.toString());
    await expect(again.getByTestId('signin-error')).toContainText('could not be verified');
    await expectNoSession(again);
    await replay.close();
  });
});

test.describe('SAML', () => {
  test('SP-initiated: lands in the tenant with the mapped roles; sign-out performs single logout', async ({ page }) => {
    await startSso(page, 'gina@globex.test', 'globex-saml');
    await expect(page.getByText('Dharma dev SAML IdP')).toBeVisible();
    await page.getByTestId('idp-user-gina@globex.test').click();
    await expectSignedIn(page, 'Gina Admin', 'globex');
    expect((await rpcQuery<TMe>(page.request, 'identity.me')).roles).toEqual(['admin']);

    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.getByTestId('sign-out').click();
    await expect(page).toHaveURL(/\/signin\?reason=signed-out/);
    await expect(page.getByTestId('signin-error')).toHaveCount(0);
    // The LogoutRequest went to the IdP, and its signed LogoutResponse came back to our SLO URL.
    expect(requests.some((u) => u.startsWith(`${IDP}/saml/slo?SAMLRequest=`))).toBe(true);
    expect(requests.some((u) => /\/api\/auth\/saml\/[0-9a-f-]+\/slo\?SAMLResponse=/.test(u))).toBe(true);
    await expectNoSession(page);
  });

  test('IdP-initiated: starting from the IdP lands in the console', async ({ page }) => {
    await page.goto('/signin?tenant=globex');
    const provider = page.getByTestId('sso-provider-globex-saml');
    await expect(provider).toBeVisible();
    const list = await page.request.get('/api/trpc/sso.discover?input=' + encodeURIComponent(JSON.stringify({ tenant: 'globex' })));
    const idpId = ((await list.json()) as { result: { data: { providers: { id: string }[] } } }).result.data.providers[0]!.id;
    const sp = `http://localhost:3100/api/auth/saml/${idpId}`;
    await page.goto(`${IDP}/saml/idp-init?acs=${encodeURIComponent(`${sp}/acs`)}&audience=${encodeURIComponent(`${sp}/metadata`)}&RelayState=${encodeURIComponent('/blueprints')}`);
    await page.getByTestId('idp-user-omar@globex.test').click();
    await expectSignedIn(page, 'Omar Architect', 'globex');
  });

  test('the SP metadata names the ACS and logout URLs', async ({ request }) => {
    const list = await request.get('/api/trpc/sso.discover?input=' + encodeURIComponent(JSON.stringify({ tenant: 'globex' })));
    const idpId = ((await list.json()) as { result: { data: { providers: { id: string }[] } } }).result.data.providers[0]!.id;
    const res = await request.get(`/api/auth/saml/${idpId}/metadata`);
    expect(res.status()).toBe(200);
    const xml = await res.text();
    expect(xml).toContain(`entityID="http://localhost:3100/api/auth/saml/${idpId}/metadata"`);
    expect(xml).toContain(`Location="http://localhost:3100/api/auth/saml/${idpId}/acs"`);
  });
});

test.describe('Settings -> Identity providers', () => {
  test('an admin adds a provider, sees the URLs to paste into the IdP, and is told what is wrong with bad metadata', async ({ page }) => {
    await signIn(page, 'ada@acme.test');
    await page.getByTestId('nav-identity-providers').click();
    await expect(page.getByRole('heading', { name: 'Identity providers' })).toBeVisible();
    await expect(page.getByTestId('idp-signin-link')).toHaveText('http://localhost:3100/signin?tenant=acme');
    const name = uniqueName('Okta');
    await page.getByTestId('idp-add').click();
    await page.getByTestId('idp-kind').selectOption('saml');
    await page.getByTestId('idp-metadata-xml').fill('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>');
    await page.getByTestId('idp-metadata-parse').click();
    await expect(page.getByTestId('idp-metadata-error')).toContainText('must not contain a DOCTYPE');
    // The dev IdP's own metadata fills the form.
    await page.getByTestId('idp-metadata-xml').fill(await (await page.request.get(`${IDP}/saml/metadata`)).text());
    await page.getByTestId('idp-metadata-parse').click();
    await expect(page.getByTestId('idp-sso-url')).toHaveValue(`${IDP}/saml/sso`);
    await expect(page.getByTestId('idp-certificate')).toHaveValue(/BEGIN CERTIFICATE/);
    await page.getByTestId('idp-name').fill(name);
    await page.getByTestId('idp-group-0').fill('everyone');
    await page.getByTestId('idp-domains').fill('not a domain');
    await page.getByTestId('idp-save').click();
    await expect(page.getByTestId('idp-save-error')).toContainText('must be a domain name');
    await page.getByTestId('idp-domains').fill('acme.test');
    await page.getByTestId('idp-save').click();
    const row = page.getByTestId('idp-row').filter({ hasText: name });
    await expect(row).toContainText('everyone → viewer');
    await expect(row.getByTestId('idp-acs')).toHaveText(/^http:\/\/localhost:3100\/api\/auth\/saml\/[0-9a-f-]+\/acs$/);
    await row.getByTestId('idp-delete').click();
    await expect(row).toHaveCount(0);
  });

  test('test connection runs a sign-in, shows the claims and the roles, and leaves the admin signed in as themselves', async ({ page }) => {
    await signIn(page, 'gina@globex.test');
    await page.goto('/settings/identity-providers');
    await page.getByTestId('idp-row').filter({ hasText: 'Globex ADFS' }).getByTestId('idp-test').click();
    await page.getByTestId('idp-user-val@globex.test').click();
    await expect(page.getByTestId('idp-test-ok')).toContainText('viewer');
    await expect(page.getByTestId('idp-test-claims')).toContainText('val@globex.test');
    await expect(page.getByTestId('idp-test-claims')).toContainText('everyone');
    await expect(page.getByTestId('user-name')).toHaveText('Gina Admin');
  });
});

test.describe('a person in two tenants', () => {
  test('switches tenant in the header, signing in to the other tenant through its own identity provider', async ({ page }) => {
    await startSso(page, 'cora@consult.test', 'acme-oidc');
    await page.getByTestId('idp-user-cora@consult.test').click();
    await expectSignedIn(page, 'Cora Consultant', 'acme');
    await page.getByTestId('tenant-switcher').click();
    await page.getByTestId('switch-to-globex').click();
    // globex signs in through its SAML IdP: the person picks themselves there, and lands in globex.
    await page.getByTestId('idp-user-cora@consult.test').click();
    await expectSignedIn(page, 'Cora Consultant', 'globex');
    const me = await rpcQuery<TMe>(page.request, 'identity.me');
    expect(me.tenant.slug).toBe('globex');
    // Globex's own grants (viewer, from the seed) plus what globex maps her IdP groups to.
    expect(me.roles).toEqual(['solution_architect', 'viewer']);
  });
});
