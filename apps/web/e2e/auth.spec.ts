import { expect, test } from '@playwright/test';
import { decode, encode } from 'next-auth/jwt';
import { signAccessToken } from '@dharma/auth/token';
import { signIn } from './helpers';

const SESSION = 'authjs.session-token';

/**
 * A console session (Auth.js's encrypted JWT, as the console writes it) holding a services token the services
 * refuse: what a revoked or expired token looks like from the browser.
 */
async function sessionRefusedByServices() {
  const value = await encode({
    salt: SESSION,
    secret: process.env.AUTH_SECRET!,
    token: { sub: '00000000-0000-4000-8000-000000000000', name: 'Gone', email: 'gone@acme.test', svc: 'not-a-valid-token', svcExp: Math.floor(Date.now() / 1000) + 600, tid: '00000000-0000-4000-8000-000000000001', idp: null },
  });
  return { name: SESSION, value, url: 'http://localhost:3100', httpOnly: true, sameSite: 'Lax' as const };
}

test.describe('session', () => {
  test('a console page without a session goes to sign-in, and comes back after signing in', async ({ page }) => {
    await page.goto('/system');
    await expect(page).toHaveURL(/\/signin\?next=%2Fsystem$/);
    await expect(page.getByRole('heading', { name: 'Development sign-in' })).toBeVisible();
    // Seeded users are grouped by tenant, with their roles.
    await expect(page.getByTestId('tenant-acme').getByTestId('signin-ada@acme.test')).toContainText('Admin');
    await expect(page.getByTestId('tenant-acme').getByTestId('signin-vic@acme.test')).toContainText('Viewer');
    await expect(page.getByTestId('tenant-globex').getByTestId('signin-gina@globex.test')).toBeVisible();

    await page.getByTestId('signin-ada@acme.test').click();
    await expect(page).toHaveURL(/\/system$/);
  });

  test('the top bar shows who is signed in; sign out ends the session', async ({ page, context }) => {
    await signIn(page, 'ada@acme.test');
    await expect(page.getByTestId('user-name')).toHaveText('Ada Admin');
    await expect(page.getByTestId('tenant-slug')).toHaveText('acme');
    await expect(page.locator('header').getByTestId('roles')).toHaveText('Admin');
    // The session is an httpOnly cookie: page scripts cannot read it, and what /api/auth/session tells the browser
    // is who is signed in, never the services token inside the session.
    const cookie = (await context.cookies()).find((c) => c.name === SESSION);
    expect(cookie?.httpOnly).toBe(true);
    expect(await page.evaluate(() => document.cookie)).not.toContain(SESSION);
    const visible = await page.evaluate(async () => (await fetch('/api/auth/session')).text());
    expect(JSON.parse(visible)).toMatchObject({ user: { email: 'ada@acme.test', name: 'Ada Admin' } });
    expect(visible).not.toMatch(/svc|eyJ/);

    await page.getByTestId('sign-out').click();
    await expect(page).toHaveURL(/\/signin\?reason=signed-out/);
    await expect(page.getByTestId('signin-reason')).toHaveText('You have signed out.');
    expect((await context.cookies()).find((c) => c.name === SESSION)).toBeUndefined();
    await page.goto('/blueprints');
    await expect(page).toHaveURL(/\/signin/);
  });

  test('a token the services refuse sends the user to sign-in with a message', async ({ page, context }) => {
    await context.addCookies([await sessionRefusedByServices()]);
    await page.goto('/blueprints');
    await expect(page).toHaveURL(/\/signin\?reason=expired/);
    await expect(page.getByTestId('signin-reason')).toContainText('Your session has expired');
    expect((await context.cookies()).find((c) => c.name === SESSION)).toBeUndefined();
  });

  test('a session cookie the console cannot decrypt counts as no session', async ({ page, context }) => {
    await context.addCookies([{ name: SESSION, value: 'forged', url: 'http://localhost:3100', httpOnly: true, sameSite: 'Lax' }]);
    await page.goto('/blueprints');
    await expect(page).toHaveURL(/\/signin/);
    await expect(page.getByTestId('user-name')).toHaveCount(0);
  });

  test('a session that expires while the page is open is noticed on the next call', async ({ page, context }) => {
    await signIn(page, 'ada@acme.test');
    await context.clearCookies();
    await context.addCookies([await sessionRefusedByServices()]);
    // A client-side query (typing in the search box) gets UNAUTHORIZED from the services.
    await page.getByTestId('search').fill('three');
    await expect(page).toHaveURL(/\/signin\?reason=expired/);
    await expect(page.getByTestId('signin-reason')).toBeVisible();
  });

  test('a session in use renews its services token before it expires', async ({ page, context }) => {
    await signIn(page, 'ada@acme.test');
    const secret = process.env.AUTH_SECRET!;
    const cookie = (await context.cookies()).find((c) => c.name === SESSION)!;
    const session = (await decode({ salt: SESSION, secret, token: cookie.value }))!;
    // The same session, its services token five minutes from expiry.
    const svc = await signAccessToken({ sub: String(session.sub), tid: String(session.tid), email: String(session.email), name: String(session.name) }, secret, 300);
    const svcExp = Math.floor(Date.now() / 1000) + 300;
    await context.addCookies([{ ...cookie, value: await encode({ salt: SESSION, secret, token: { ...session, svc, svcExp } }) }]);
    // Working on: the list's queries go through the console, which renews the token on the way.
    await page.goto('/blueprints');
    await page.getByTestId('search').fill('three');
    await expect
      .poll(async () => {
        const now = (await context.cookies()).find((c) => c.name === SESSION);
        return now ? Number((await decode({ salt: SESSION, secret, token: now.value }))?.svcExp ?? 0) : 0;
      })
      .toBeGreaterThan(svcExp + 600);
    await expect(page.getByTestId('user-name')).toHaveText('Ada Admin');
  });
});
