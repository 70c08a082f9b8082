import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

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
    // The token is an httpOnly cookie: page scripts cannot read it.
    const cookie = (await context.cookies()).find((c) => c.name === 'dharma_token');
    expect(cookie?.httpOnly).toBe(true);
    expect(await page.evaluate(() => document.cookie)).not.toContain('dharma_token');

    await page.getByTestId('sign-out').click();
    await expect(page).toHaveURL(/\/signin\?reason=signed-out/);
    await expect(page.getByTestId('signin-reason')).toHaveText('You have signed out.');
    expect((await context.cookies()).find((c) => c.name === 'dharma_token')).toBeUndefined();
    await page.goto('/blueprints');
    await expect(page).toHaveURL(/\/signin/);
  });

  test('a token the services refuse sends the user to sign-in with a message', async ({ page, context }) => {
    await context.addCookies([{ name: 'dharma_token', value: 'not-a-valid-token', url: 'http://localhost:3100', httpOnly: true, sameSite: 'Lax' }]);
    await page.goto('/blueprints');
    await expect(page).toHaveURL(/\/signin\?reason=expired/);
    await expect(page.getByTestId('signin-reason')).toContainText('Your session has expired');
    expect((await context.cookies()).find((c) => c.name === 'dharma_token')).toBeUndefined();
  });

  test('a session that expires while the page is open is noticed on the next call', async ({ page, context }) => {
    await signIn(page, 'ada@acme.test');
    await context.clearCookies();
    await context.addCookies([{ name: 'dharma_token', value: 'expired.or.revoked', url: 'http://localhost:3100', httpOnly: true, sameSite: 'Lax' }]);
    // A client-side query (typing in the search box) gets UNAUTHORIZED from the services.
    await page.getByTestId('search').fill('three');
    await expect(page).toHaveURL(/\/signin\?reason=expired/);
    await expect(page.getByTestId('signin-reason')).toBeVisible();
  });
});
