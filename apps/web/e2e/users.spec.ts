import { expect, test } from '@playwright/test';
import { signIn, uniqueName } from './helpers';

test.describe('Govern -> Users & roles', () => {
  test('an admin grants a role with an expiry and revokes it, disables and re-enables a person, and creates a service account', async ({ page }) => {
    await signIn(page, 'ada@acme.test');
    await page.getByTestId('nav-users-&-roles').click();
    const pia = page.locator('[data-testid="user-row"][data-email="pia@acme.test"]');
    await expect(pia).toContainText('project_manager');

    await pia.getByTestId('grant-open').click();
    await pia.getByTestId('grant-role').selectOption('sre');
    await pia.getByTestId('grant-expires').fill('2099-12-31');
    await pia.getByTestId('grant-submit').click();
    await expect(pia.getByTestId('user-grant').filter({ hasText: 'sre' })).toContainText('until');
    await pia.getByTestId('revoke-sre').click();
    await expect(pia.getByTestId('user-grant').filter({ hasText: 'sre' })).toHaveCount(0);

    await pia.getByTestId('user-toggle').click();
    await expect(pia.getByTestId('user-status')).toHaveText('disabled');
    await pia.getByTestId('user-toggle').click();
    await expect(pia.getByTestId('user-status')).toHaveText('active');

    const name = uniqueName('deploy bot');
    await page.getByTestId('service-name').fill(name);
    await page.getByTestId('service-create').click();
    await expect(page.getByTestId('user-row').filter({ hasText: name })).toContainText('service account');
  });

  test('a custom role lists exactly its permissions; a bad name is refused with the reason', async ({ page }) => {
    await signIn(page, 'ada@acme.test');
    await page.goto('/settings/users');
    await page.getByTestId('role-add').click();
    await page.getByTestId('role-name').fill('Not A Valid Name');
    await page.getByTestId('role-save').click();
    await expect(page.getByTestId('users-error')).toContainText('must start with a lowercase letter');

    const role = `auditor-${Date.now()}`;
    await page.getByTestId('role-name').fill(role);
    await page.getByTestId('perm-resource-0').selectOption('audit');
    await page.getByTestId('role-save').click();
    const row = page.getByTestId('role-row').filter({ hasText: role });
    await expect(row).toContainText('audit:read');
    await row.getByTestId('role-delete').click();
    await expect(row).toHaveCount(0);
  });
});
