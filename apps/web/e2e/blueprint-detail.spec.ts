import { expect, test } from '@playwright/test';
import { SEEDED, signIn } from './helpers';

test.describe('blueprint detail and diff', () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page, 'ada@acme.test');
    await page.getByTestId('search').fill(SEEDED.threeTier);
    await expect(page).toHaveURL(/q=Three-tier/);
    await page.getByRole('link', { name: SEEDED.threeTier, exact: true }).click();
    await expect(page.getByTestId('blueprint-name')).toHaveText(SEEDED.threeTier);
  });

  test('shows the header, components and relations', async ({ page }) => {
    await expect(page.getByTestId('current-version')).toHaveText('v3');
    await expect(page.getByTestId('blueprint-project')).toHaveText('Storefront');
    await expect(page.getByTestId('graph-hash')).toHaveText(/^[0-9a-f]{10}$/);

    const components = page.getByTestId('components-table');
    for (const id of ['vpc', 'alb', 'web-asg', 'db', 'cache', 'monitoring']) await expect(page.getByTestId(`component-row-${id}`)).toBeVisible();
    await expect(components.locator('tbody tr')).toHaveCount(11);
    await expect(page.getByTestId('component-row-web-asg')).toContainText('autoscaling_group');
    await expect(page.getByTestId('component-props-web-asg')).toContainText('instanceType=m6i.large');
    await expect(page.getByTestId('component-row-web-asg')).toContainText('CostCenter=CC-1042');

    await page.getByTestId('tab-relations').click();
    await expect(page).toHaveURL(/tab=relations/);
    const relations = page.getByTestId('relation-row');
    await expect(relations).toHaveCount(14);
    await expect(relations.filter({ hasText: 'web-asg' }).filter({ hasText: 'cache' })).toContainText('port=6379');
    await expect(relations.filter({ hasText: /^public-subnets.*→vpc/ })).toContainText('contains');
  });

  test('lists versions and compares v1 with v3', async ({ page }) => {
    await page.getByTestId('tab-versions').click();
    await expect(page.getByTestId('version-row-3')).toContainText('Alarms and a higher autoscaling ceiling');
    await expect(page.getByTestId('version-row-2')).toContainText('Add Redis cache');
    await expect(page.getByTestId('version-row-1')).toContainText('Initial design');
    await expect(page.getByTestId('version-row-1')).toContainText('Sam Solution');
    await expect(page.getByTestId('compare-versions')).toBeDisabled();

    await page.getByTestId('pick-version-3').check();
    await page.getByTestId('pick-version-1').check();
    await page.getByTestId('compare-versions').click();
    await expect(page).toHaveURL(/\/diff\?from=1&to=3$/);

    await expect(page.getByTestId('sum-components-added')).toHaveText('+2');
    await expect(page.getByTestId('sum-components-removed')).toHaveText('−0');
    await expect(page.getByTestId('sum-components-changed')).toHaveText('~2');
    await expect(page.getByTestId('sum-relations-added')).toHaveText('+4');
    await expect(page.getByTestId('diff-added-cache')).toContainText('prod-shop-cache-euw1');
    await expect(page.getByTestId('diff-added-monitoring')).toContainText('monitoring');

    const asg = page.getByTestId('diff-changed-web-asg');
    await expect(asg.getByTestId('diff-change').filter({ hasText: 'properties.instanceType' })).toContainText(/m5\.large\s*m6i\.large/);
    await expect(asg.getByTestId('diff-change').filter({ hasText: 'properties.max' })).toContainText(/8\s*12/);
    await expect(page.getByTestId('diff-changed-db').getByTestId('diff-change')).toContainText(/properties\.backupRetentionDays\s*7\s*14/);
    await expect(page.getByText('Canvas layout (component positions) is not compared.')).toBeVisible();

    // The selects change the URL and the comparison.
    await page.getByTestId('diff-from').selectOption('2');
    await expect(page).toHaveURL(/from=2&to=3/);
    await expect(page.getByTestId('sum-components-added')).toHaveText('+1');
    await expect(page.getByTestId('diff-added-monitoring')).toBeVisible();
    await expect(page.getByTestId('diff-added-cache')).toHaveCount(0);

    await page.getByTestId('diff-from').selectOption('3');
    await expect(page.getByTestId('diff-identical')).toBeVisible();
  });
});
