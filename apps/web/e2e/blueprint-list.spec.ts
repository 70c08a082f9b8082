import { expect, test } from '@playwright/test';
import { projectByName, rpcMutation, rpcQuery, SEEDED, signIn, smallGraph, uniqueName } from './helpers';

test.describe('blueprint list', () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page, 'ada@acme.test');
  });

  test('shows the seeded blueprints with their facts', async ({ page }) => {
    const table = page.getByTestId('blueprint-table');
    for (const name of [SEEDED.threeTier, SEEDED.analytics, SEEDED.serverless]) {
      await page.getByTestId('search').fill(name);
      await expect(page).toHaveURL(/q=/);
      await expect(table.getByRole('link', { name, exact: true })).toBeVisible();
    }
    await page.getByTestId('search').fill(SEEDED.threeTier);
    const row = page.getByTestId('blueprint-row').filter({ has: page.getByRole('link', { name: SEEDED.threeTier, exact: true }) });
    await expect(row).toContainText('Storefront');
    await expect(row.getByTestId('cloud-badge')).toHaveText('AWS');
    await expect(row.getByTestId('status-badge')).toHaveText('approved');
    await expect(row).toContainText('v3');
    await expect(row).toContainText('Sam Solution');
  });

  test('search narrows the list and lives in the URL', async ({ page }) => {
    await page.getByTestId('search').fill('three-TIER');
    await expect(page).toHaveURL(/q=three-TIER/);
    const rows = page.getByTestId('blueprint-row');
    await expect(page.getByRole('link', { name: SEEDED.threeTier, exact: true })).toBeVisible();
    await expect(rows.filter({ hasNotText: /three-tier/i })).toHaveCount(0);
    await expect(page.getByRole('link', { name: SEEDED.analytics, exact: true })).toHaveCount(0);

    // Reloading keeps the search (state is in the URL, the server prefetches it).
    await page.reload();
    await expect(page.getByTestId('search')).toHaveValue('three-TIER');
    await expect(page.getByRole('link', { name: SEEDED.threeTier, exact: true })).toBeVisible();

    await page.getByTestId('search').fill('no blueprint is called this 42');
    await expect(page.getByTestId('empty-state')).toContainText('No blueprints match these filters');
    await expect(page.getByTestId('pager-range')).toHaveText('0–0 of 0');
  });

  test('filters by cloud, status and project', async ({ page }) => {
    // Other suites keep adding blueprints to this tenant: every row must match the filter, and a seeded blueprint is
    // looked up by name under the filter rather than expected on page 1.
    const rows = page.getByTestId('blueprint-row');
    const search = page.getByTestId('search');

    await page.getByTestId('filter-cloud').selectOption('azure');
    await expect(page).toHaveURL(/cloud=azure/);
    await expect(rows.first()).toBeVisible();
    await expect(rows.getByTestId('cloud-badge').filter({ hasNotText: 'AZURE' })).toHaveCount(0);
    await search.fill(SEEDED.analytics);
    await expect(page.getByRole('link', { name: SEEDED.analytics, exact: true })).toBeVisible();
    await search.fill(SEEDED.threeTier);
    await expect(page.getByTestId('empty-state')).toBeVisible();

    // Clear, then a new filter at once: the cleared filters must stay cleared.
    await page.getByTestId('clear-filters').click();
    await page.getByTestId('filter-status').selectOption('approved');
    await expect(page).toHaveURL(/\/blueprints\?status=approved$/);
    await expect(rows.first()).toBeVisible();
    await expect(rows.getByTestId('status-badge').filter({ hasNotText: 'approved' })).toHaveCount(0);
    await search.fill(SEEDED.threeTier);
    await expect(page.getByRole('link', { name: SEEDED.threeTier, exact: true })).toBeVisible();
    await search.fill(SEEDED.serverless);
    await expect(page.getByTestId('empty-state')).toBeVisible();

    await page.getByTestId('clear-filters').click();
    await page.getByTestId('filter-project').selectOption({ label: 'Data Platform' });
    await expect(page).toHaveURL(/\/blueprints\?project=[0-9a-f-]{36}$/);
    await expect(rows.first()).toBeVisible();
    await expect(rows.filter({ hasNotText: 'Data Platform' })).toHaveCount(0);
    await search.fill(SEEDED.analytics);
    await expect(page.getByRole('link', { name: SEEDED.analytics, exact: true })).toBeVisible();
  });

  test('pages through more than 20 blueprints', async ({ page }) => {
    // Make sure the tenant has more than one page of live blueprints (only the shortfall is created).
    const { total } = await rpcQuery<{ total: number }>(page.request, 'blueprints.list', { pageSize: 1 });
    const mobile = await projectByName(page.request, 'Mobile Backend');
    for (let i = total; i < 23; i += 1) {
      await rpcMutation(page.request, 'blueprints.create', { projectId: mobile.id, name: uniqueName('E2E paging fixture'), cloud: 'aws', graph: smallGraph('paging') });
    }
    await page.reload();

    // Other suites may add blueprints to the tenant meanwhile: read N from the page, check the arithmetic.
    const range = page.getByTestId('pager-range');
    const rows = page.getByTestId('blueprint-row');
    await expect(range).toHaveText(/^1–20 of \d+$/);
    expect(Number((await range.textContent())!.split(' of ')[1])).toBeGreaterThan(20);
    await expect(rows).toHaveCount(20);
    await expect(page.getByTestId('page-prev')).toBeDisabled();
    await expect(page.getByTestId('page-number')).toHaveText(/^Page 1 of \d+$/);

    await page.getByTestId('page-next').click();
    await expect(page).toHaveURL(/page=2/);
    await expect(range).toHaveText(/^21–\d+ of \d+$/);
    const [, last, total2] = /^21–(\d+) of (\d+)$/.exec((await range.textContent())!)!;
    expect(Number(last)).toBe(Math.min(40, Number(total2)));
    await expect(rows).toHaveCount(Number(last) - 20);
    await expect(page.getByTestId('page-prev')).toBeEnabled();

    await page.getByTestId('page-prev').click();
    await expect(page).not.toHaveURL(/page=/);
    await expect(range).toHaveText(/^1–20 of \d+$/);
  });
});
