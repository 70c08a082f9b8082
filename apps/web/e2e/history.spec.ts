import { expect, test } from '@playwright/test';
import { projectByName, rpcMutation, rpcQuery, SEEDED, signIn, smallGraph, uniqueName } from './helpers';

test.describe('history and the sign-in page', () => {
  test('Back after paging and filtering returns to the previous list state, never to sign-in', async ({ page }) => {
    await signIn(page, 'ada@acme.test');
    // More than one page of live blueprints (only the shortfall is created).
    const { total } = await rpcQuery<{ total: number }>(page.request, 'blueprints.list', { pageSize: 1 });
    const mobile = await projectByName(page.request, 'Mobile Backend');
    for (let i = total; i < 23; i += 1) {
      await rpcMutation(page.request, 'blueprints.create', { projectId: mobile.id, name: uniqueName('E2E paging fixture'), cloud: 'aws', graph: smallGraph('paging') });
    }
    await page.reload();
    const range = page.getByTestId('pager-range');
    await expect(range).toHaveText(/^1–20 of \d+$/);

    await page.getByTestId('page-next').click();
    await expect(page).toHaveURL(/\/blueprints\?page=2$/);
    await expect(range).toHaveText(/^21–\d+ of \d+$/);
    await page.getByTestId('filter-cloud').selectOption('aws');
    await expect(page).toHaveURL(/\/blueprints\?cloud=aws$/);
    // Typing a search is one step back, however many keystrokes it took.
    await page.getByTestId('search').fill('three');
    await expect(page).toHaveURL(/q=three/);
    await page.getByTestId('search').fill(SEEDED.threeTier);
    await expect(page).toHaveURL(/q=Three-tier/);
    await expect(page.getByRole('link', { name: SEEDED.threeTier, exact: true })).toBeVisible();

    await page.goBack();
    await expect(page).toHaveURL(/\/blueprints\?cloud=aws$/);
    await expect(page.getByTestId('search')).toHaveValue('');
    await expect(page.getByTestId('filter-cloud')).toHaveValue('aws');
    await page.goBack();
    await expect(page).toHaveURL(/\/blueprints\?page=2$/);
    await expect(page.getByTestId('filter-cloud')).toHaveValue('');
    await expect(range).toHaveText(/^21–\d+ of \d+$/);
    await page.goBack();
    await expect(page).toHaveURL(/\/blueprints$/);
    await expect(range).toHaveText(/^1–20 of \d+$/);
    // Before the list there was only the blank tab the test started in: the sign-in form was replaced, not stacked.
    await page.goBack();
    await expect(page).not.toHaveURL(/\/signin/);
    expect(page.url()).toBe('about:blank');
  });

  test('a signed-in user who opens /signin is sent on: to the list, or to where `next` points', async ({ page }) => {
    await signIn(page, 'ada@acme.test');
    await page.goto('/signin');
    await expect(page).toHaveURL(/\/blueprints$/);
    await expect(page.getByTestId('user-name')).toHaveText('Ada Admin');
    await page.goto(`/signin?next=${encodeURIComponent('/system')}`);
    await expect(page).toHaveURL(/\/system$/);
    await page.goto(`/signin?next=${encodeURIComponent('/blueprints?cloud=gcp')}`);
    await expect(page).toHaveURL(/\/blueprints\?cloud=gcp$/);
    // Never back to sign-in itself (a loop), nor off the site.
    await page.goto(`/signin?next=${encodeURIComponent('/signin')}`);
    await expect(page).toHaveURL(/\/blueprints$/);
    await page.goto(`/signin?next=${encodeURIComponent('//evil.test/')}`);
    await expect(page).toHaveURL(/localhost:3100\/blueprints$/);
  });
});
