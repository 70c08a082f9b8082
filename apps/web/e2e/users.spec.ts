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

test.describe('Govern -> Users & roles: teams', () => {
  test('an admin creates a team, picks its members and gives it a project', async ({ page }) => {
    await signIn(page, 'ada@acme.test');
    await page.goto('/settings/users');
    const name = uniqueName('Payments');
    await page.getByTestId('team-name').fill(name);
    await page.getByTestId('team-create').click();
    const row = page.getByTestId('team-row').filter({ hasText: name });
    await expect(row).toContainText('no members');
    await row.getByTestId('team-members-edit').click();
    await row.getByTestId('team-member-vic@acme.test').check();
    await row.getByTestId('team-member-sam@acme.test').check();
    await row.getByTestId('team-members-save').click();
    await expect(row).toContainText('Sam Solution, Vic Viewer');

    const select = page.getByTestId('project-team-mobile');
    const before = await select.inputValue();
    await select.selectOption({ label: name });
    await expect(row.getByTestId('team-projects')).toHaveText('Mobile Backend');
    await select.selectOption(before);
    await expect(row.getByTestId('team-projects')).toHaveText('no projects');
  });
});
