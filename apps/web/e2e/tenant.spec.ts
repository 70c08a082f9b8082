import { expect, test } from '@playwright/test';
import { findBlueprint, SEEDED, signIn } from './helpers';

test('another tenant never sees acme blueprints, not even by URL', async ({ page, context }) => {
  await signIn(page, 'ada@acme.test');
  const acme = await findBlueprint(page.request, SEEDED.threeTier);
  expect(acme).toBeDefined();

  await page.getByTestId('sign-out').click();
  await expect(page).toHaveURL(/\/signin/);
  await context.clearCookies();
  await signIn(page, 'gina@globex.test');
  await expect(page.getByTestId('tenant-slug')).toHaveText('globex');

  await page.getByTestId('search').fill('GKE orders');
  await expect(page.getByRole('link', { name: SEEDED.gke, exact: true })).toBeVisible();
  await page.getByTestId('search').fill(SEEDED.threeTier);
  await expect(page.getByTestId('empty-state')).toBeVisible();
  await page.getByTestId('filter-archived').selectOption('all');
  await page.getByTestId('search').fill(SEEDED.globexData);
  await expect(page.getByRole('link', { name: SEEDED.globexData, exact: true })).toBeVisible();
  await page.getByTestId('search').fill(SEEDED.analytics);
  await expect(page.getByTestId('empty-state')).toBeVisible();
  await page.getByTestId('search').fill('E2E checkout');
  await expect(page.getByTestId('empty-state')).toBeVisible();

  await page.goto(`/blueprints/${acme!.id}`);
  await expect(page.getByTestId('not-found')).toContainText('Blueprint not found');
  await page.goto(`/blueprints/${acme!.id}/edit`);
  await expect(page.getByTestId('not-found')).toContainText('Blueprint not found');
  await page.goto(`/blueprints/${acme!.id}/diff?from=1&to=3`);
  await expect(page.getByTestId('not-found')).toContainText('Blueprint not found');
  await page.goto('/blueprints/not-a-uuid');
  await expect(page.getByTestId('not-found')).toContainText('Blueprint not found');
});
