import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

const number = (text: string | null) => Number((text ?? '').replace(/[^0-9.]/g, ''));

test('the System page shows live PgBouncer, database and cache figures', async ({ page }) => {
  await signIn(page, 'ada@acme.test');
  await page.getByTestId('nav-system').click();
  await expect(page).toHaveURL(/\/system$/);

  await expect(page.getByTestId('db-ok')).toHaveText('ok');
  await expect(page.getByTestId('db-latency')).toHaveText(/^\d+\.\d{2} ms$/);
  expect(number(await page.getByTestId('db-pool-max').textContent())).toBeGreaterThan(0);
  await expect(page.getByTestId('cache-kind')).toHaveText('redis');
  await expect(page.getByTestId('cache-connected')).toHaveText('connected');
  await expect(page.getByTestId('cache-hits')).toHaveText(/^[\d,]+$/);
  await expect(page.getByTestId('cache-memory-bytes')).toHaveText(/\d+(\.\d)? (B|KB|MB|GB)/);
  await expect(page.getByTestId('near-tracking')).toHaveText('tracking');
  await expect(page.getByTestId('near-entries')).toHaveText(/^[\d,]+$/);
  await expect(page.getByTestId('near-bytes')).toHaveText(/\d+(\.\d)? (B|KB|MB|GB)/);

  const pool = page.getByTestId('pools-table').getByTestId('pool-dharma');
  await expect(pool).toBeVisible();
  await expect(pool).toContainText('app_user');
  expect(number(await page.getByTestId('stats-dharma-xacts').textContent())).toBeGreaterThan(0);
  await expect(page.getByTestId('chart-hit-rate').locator('svg').first()).toBeVisible();

  // It refreshes by itself: the timestamp moves without any navigation.
  const first = await page.getByTestId('last-updated').textContent();
  await expect(page.getByTestId('last-updated')).not.toHaveText(first!, { timeout: 8_000 });

  // Reading the list twice makes at least one cache hit; the panel counts it.
  const hitsBefore = number(await page.getByTestId('cache-hits').textContent());
  await page.getByTestId('nav-blueprints').click();
  await expect(page.getByTestId('blueprint-row').first()).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('blueprint-row').first()).toBeVisible();
  await page.getByTestId('nav-system').click();
  await expect.poll(async () => number(await page.getByTestId('cache-hits').textContent()), { timeout: 8_000 }).toBeGreaterThan(hitsBefore);
  // Hits on entries this process holds are answered from its near cache: it holds copies now.
  await expect.poll(async () => number(await page.getByTestId('near-entries').textContent()), { timeout: 8_000 }).toBeGreaterThan(0);

  // The services' own request window: the traffic above shows as requests per second, charted.
  await expect(page.getByTestId('chart-rps').locator('svg').first()).toBeVisible();
  await expect(page.getByTestId('chart-p95').locator('svg').first()).toBeVisible();
  await expect.poll(async () => number(await page.getByTestId('requests-title').textContent()), { timeout: 8_000 }).toBeGreaterThan(0);
});
