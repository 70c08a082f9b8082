import { expect, test } from '@playwright/test';
import { rpcQuery, signIn } from './helpers';

const number = (text: string | null) => Number((text ?? '').replace(/[^0-9.]/g, ''));

test('the System page shows an admin the platform’s live PgBouncer, database and cache figures, and the tenant’s own', async ({ page }) => {
  await signIn(page, 'ada@acme.test');
  await page.getByTestId('nav-system').click();
  await expect(page).toHaveURL(/\/system$/);
  await expect(page.getByTestId('panel-tenant')).toContainText('acme');
  await expect(page.getByTestId('tenant-live')).toHaveText(/^[\d,]+$/);

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

test('the System page shows a tenant user their own tenant’s figures, and says which permission the platform’s need', async ({ page }) => {
  await signIn(page, 'sam@acme.test');
  const { total } = await rpcQuery<{ total: number }>(page.request, 'blueprints.list', { pageSize: 1 });
  await page.getByTestId('nav-system').click();
  await expect(page.getByTestId('panel-tenant')).toContainText('acme');
  expect(number(await page.getByTestId('tenant-live').textContent())).toBe(total);
  expect(number(await page.getByTestId('tenant-members').textContent())).toBeGreaterThanOrEqual(5);
  await expect(page.getByTestId('platform-forbidden')).toContainText(
    "Platform figures (every tenant's requests, PgBouncer pools, Redis, the near cache) need the read permission on system at global scope, which the admin role holds; your roles (solution_architect) do not.",
  );
  // Nothing process-wide is drawn for them.
  await expect(page.getByTestId('chart-rps')).toHaveCount(0);
  await expect(page.getByTestId('pools-table')).toHaveCount(0);
});

test('each tenant’s figures are its own: globex’s admin sees globex’s counts, acme’s admin acme’s', async ({ browser }) => {
  for (const [email, slug] of [['gina@globex.test', 'globex'], ['ada@acme.test', 'acme']] as const) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, email);
    const live = await rpcQuery<{ total: number }>(page.request, 'blueprints.list', { pageSize: 1 });
    const archived = await rpcQuery<{ total: number }>(page.request, 'blueprints.list', { pageSize: 1, archived: 'archived' });
    await page.goto('/system');
    await expect(page.getByTestId('panel-tenant')).toContainText(slug);
    await expect.poll(async () => number(await page.getByTestId('tenant-live').textContent())).toBe(live.total);
    expect(number(await page.getByTestId('tenant-archived').textContent())).toBe(archived.total);
    await context.close();
  }
});

test('charts leave out parts not in use, and the p95 axis labels fit inside the chart', async ({ page }) => {
  await signIn(page, 'ada@acme.test');
  // The services as an embedded install runs them: no PgBouncer admin URL, no Redis (so no near cache), and a slow
  // tail (p95 of seconds, which used to push the axis labels off the chart).
  let n = 0;
  await page.route(
    (url) => url.pathname.startsWith('/api/trpc/') && url.pathname.includes('monitoring.system'),
    async (route) => {
      const response = await route.fetch();
      type TResult = { result: { data: { requests: { p95Ms: number | null }; pgbouncer: object; cache: Record<string, unknown> } } };
      const body = (await response.json()) as TResult | TResult[];
      // A batch answers its procedures in the order of the path (`monitoring.tenant,monitoring.system`).
      const paths = new URL(route.request().url()).pathname.slice('/api/trpc/'.length).split(',');
      const data = (Array.isArray(body) ? body[paths.indexOf('monitoring.system')]! : body).result.data;
      n += 1;
      data.requests.p95Ms = n % 2 === 0 ? 2000 : 5000;
      data.pgbouncer = { configured: false, pools: [], stats: [], error: null };
      Object.assign(data.cache, { kind: 'memory', near: null, keys: null, usedMemoryBytes: null, opsPerSec: null });
      await route.fulfill({ response, json: body });
    },
  );
  await page.goto('/system');
  await expect(page.getByTestId('pgbouncer-off')).toBeVisible();
  await expect(page.getByTestId('chart-hit-rate').locator('svg').first()).toBeVisible();
  await expect(page.getByTestId('chart-clients')).toHaveCount(0);
  await expect(page.getByTestId('chart-ops')).toHaveCount(0);
  await expect(page.getByTestId('panel-near-cache')).toHaveCount(0);
  await expect(page.getByTestId('chart-hit-rate')).not.toContainText('answered in-process');

  // Wait for a few samples, then every value label of the p95 axis lies inside its chart.
  await expect.poll(() => n, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
  const chart = page.getByTestId('chart-p95');
  const ticks = chart.locator('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value');
  // Seconds, on one line each (the number and its unit used to wrap onto two).
  await expect(ticks.filter({ hasText: /^\d+(\.\d)?\ss$/ }).first()).toBeVisible();
  for (const tick of await ticks.all()) await expect(tick.locator('tspan')).toHaveCount(1);
  const box = (await chart.boundingBox())!;
  for (const tick of await ticks.all()) {
    const t = (await tick.boundingBox())!;
    expect(t.x, `${await tick.textContent()} starts left of the chart`).toBeGreaterThanOrEqual(box.x);
  }
});
