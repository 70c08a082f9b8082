import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

test.describe('Platform -> Tenants', () => {
  test('an operator provisions an enterprise tenant (a schema of its own), suspends and resumes it, sets a quota, exports and offboards it', async ({ page }) => {
    await signIn(page, 'olga@platform.test');
    await page.getByTestId('nav-tenants').click();
    const slug = `e2e-${Date.now().toString(36)}`;
    await page.getByTestId('provision-slug').fill(slug);
    await page.getByTestId('provision-name').fill('E2E Co');
    await page.getByTestId('provision-email').fill(`boss@${slug}.test`);
    await page.getByTestId('provision-admin').fill('E2E Boss');
    await page.getByTestId('provision-isolation').selectOption('schema');
    await page.getByTestId('provision-submit').click();
    const row = page.locator(`[data-testid="platform-tenant"][data-slug="${slug}"]`);
    await expect(row).toContainText('E2E Co');
    await expect(row.getByTestId('tenant-isolation')).toHaveText('Enterprise');

    await row.getByTestId('tenant-toggle').click();
    await expect(row.getByTestId('tenant-status')).toHaveText('suspended');
    await row.getByTestId('tenant-toggle').click();
    await expect(row.getByTestId('tenant-status')).toHaveText('active');

    await row.getByTestId('quota-edit').click();
    await row.getByTestId('quota-blueprints').fill('5');
    await row.getByTestId('quota-save').click();
    await expect(row.getByTestId('quota-edit')).toHaveText('blueprints ≤ 5');

    await row.getByTestId('tenant-offboard-open').click();
    const download = page.waitForEvent('download');
    await page.getByTestId('tenant-export').click();
    expect((await download).suggestedFilename()).toBe(`${slug}-export.json`);
    await page.getByTestId('offboard-confirm').fill('wrong');
    await page.getByTestId('offboard-submit').click();
    await expect(page.getByTestId('platform-error')).toContainText(`type the tenant's slug (${slug}) to confirm`);
    await page.getByTestId('offboard-confirm').fill(slug);
    await page.getByTestId('offboard-submit').click();
    await expect(page.getByTestId('platform-offboarded')).toContainText(`Tenant ${slug} was offboarded`);
    await expect(row).toHaveCount(0);
  });

  test("a tenant's admin does not see the platform, and is refused it", async ({ page }) => {
    await signIn(page, 'ada@acme.test');
    await expect(page.getByTestId('nav-tenants')).toHaveCount(0);
    await page.goto('/platform');
    await expect(page.getByText('platform administration is for the admins of the platform tenant (platform)')).toBeVisible();
  });
});
