import { expect, test } from '@playwright/test';
import { SEEDED, signIn } from './helpers';

test.describe('what each role is offered', () => {
  test('a viewer sees no New, Edit or Archive, and the System page names the permission each part needs', async ({ page }) => {
    await signIn(page, 'vic@acme.test');
    await expect(page.locator('header').getByTestId('roles')).toHaveText('Viewer');
    await expect(page.getByTestId('blueprint-row').first()).toBeVisible();
    await expect(page.getByTestId('new-blueprint')).toHaveCount(0);

    await page.getByTestId('search').fill(SEEDED.threeTier);
    await page.getByRole('link', { name: SEEDED.threeTier, exact: true }).click();
    await expect(page.getByTestId('components-table')).toBeVisible();
    await expect(page.getByTestId('edit-blueprint')).toHaveCount(0);
    await expect(page.getByTestId('archive-blueprint')).toHaveCount(0);

    await page.goto('/blueprints/new');
    await expect(page.getByTestId('no-create-permission')).toBeVisible();

    await page.getByTestId('nav-system').click();
    await expect(page.getByTestId('tenant-forbidden')).toContainText('need the read permission on system at tenant scope');
    await expect(page.getByTestId('tenant-forbidden')).toContainText('your roles (viewer) do not');
    await expect(page.getByTestId('platform-forbidden')).toContainText('need the read permission on system at global scope, which the admin role holds');
  });

  test('a solution architect may create, and edit only the blueprints they created', async ({ page }) => {
    await signIn(page, 'sam@acme.test');
    await expect(page.getByTestId('new-blueprint')).toBeVisible();

    await page.getByTestId('search').fill(SEEDED.threeTier);
    await page.getByRole('link', { name: SEEDED.threeTier, exact: true }).click();
    await expect(page.getByTestId('edit-blueprint')).toBeVisible();

    await page.goto('/blueprints');
    await page.getByTestId('search').fill(SEEDED.analytics);
    await page.getByRole('link', { name: SEEDED.analytics, exact: true }).click();
    await expect(page.getByTestId('components-table')).toBeVisible();
    await expect(page.getByTestId('edit-blueprint')).toHaveCount(0);
    await expect(page.getByTestId('archive-blueprint')).toHaveCount(0);
  });
});
