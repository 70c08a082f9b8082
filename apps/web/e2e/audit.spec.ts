import { expect, test } from '@playwright/test';
import { signIn, uniqueName } from './helpers';

test('an admin creates an API token (shown once), revokes it, and finds both in the audit log, then exports it', async ({ page }) => {
  await signIn(page, 'ada@acme.test');
  await page.getByTestId('nav-api-tokens').click();
  await expect(page).toHaveURL(/\/settings\/tokens$/);
  const name = uniqueName('e2e token');
  await page.getByTestId('token-name').fill(name);
  await page.getByTestId('token-create').click();
  await expect(page.getByTestId('token-secret')).toHaveText(/^dh_[A-Za-z0-9_-]{43}$/);
  const secret = (await page.getByTestId('token-secret').textContent())!;
  const row = page.getByTestId('token-row').filter({ hasText: name });
  await expect(row.getByTestId('token-status')).toHaveText('active');
  await row.getByTestId('token-revoke').click();
  await expect(row.getByTestId('token-status')).toHaveText('revoked');

  await page.getByTestId('nav-audit-log').click();
  await expect(page).toHaveURL(/\/audit$/);
  await page.getByTestId('filter-action').fill('token.');
  await page.getByTestId('filter-apply').click();
  // Newest first: the revocation, then the creation; both name the token, neither shows its secret.
  const ours = page.getByTestId('audit-row').filter({ hasText: name });
  await expect(ours).toHaveCount(2);
  await expect(ours.nth(0).getByTestId('audit-action')).toHaveText('token.revoke');
  await expect(ours.nth(1).getByTestId('audit-action')).toHaveText('token.create');
  await expect(page.getByTestId('audit-table')).not.toContainText(secret);

  const download = page.waitForEvent('download');
  await page.getByTestId('export-csv').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^audit-acme-.*\.csv$/);
});

test('a viewer is told they may not read the audit log, naming the permission', async ({ page }) => {
  await signIn(page, 'vic@acme.test');
  await page.goto('/audit');
  await expect(page.getByText('Your roles may not read the audit log')).toBeVisible();
  await expect(page.getByText(/missing permission audit:read/)).toBeVisible();
});
