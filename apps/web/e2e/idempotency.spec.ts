import { expect, test, type Page, type Route } from '@playwright/test';
import { componentIndex, createFixture, findBlueprint, rpcMutation, rpcQuery, signIn, uniqueName } from './helpers';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** What the services' overload answer looks like: tRPC's error shape with a 503. */
const unavailable = (path: string) => ({
  status: 503,
  contentType: 'application/json',
  body: JSON.stringify({ error: { message: 'the services are overloaded, try again', code: -32603, data: { code: 'SERVICE_UNAVAILABLE', httpStatus: 503, path } } }),
});

/**
 * Watches the console's calls to one creating procedure: records each request's Idempotency-Key, and answers the
 * calls listed in `fail` (by position) as a failure instead of passing them on.
 */
async function watch(page: Page, path: string, fail: Record<number, (route: Route) => Promise<void>>) {
  const keys: (string | undefined)[] = [];
  await page.route(`**/api/trpc/${path}*`, async (route) => {
    const n = keys.push(route.request().headers()['idempotency-key']) - 1;
    const failure = fail[n];
    if (failure) await failure(route);
    else await route.continue();
  });
  return keys;
}

test.describe('idempotency keys on creating mutations', () => {
  const created: string[] = [];

  test.beforeEach(async ({ page }) => {
    await signIn(page, 'ada@acme.test');
  });

  test.afterAll(async ({ browser }) => {
    const page = await browser.newPage();
    await signIn(page, 'ada@acme.test');
    for (const id of created) await rpcMutation(page.request, 'blueprints.archive', { id });
    await page.close();
  });

  test('creating a blueprint sends a key; a retry after a 503 or a lost connection reuses it; an edit renews it', async ({ page }) => {
    const keys = await watch(page, 'blueprints.create', {
      0: (route) => route.fulfill(unavailable('blueprints.create')),
      1: (route) => route.abort('connectionreset'),
      2: (route) => route.fulfill(unavailable('blueprints.create')),
    });
    const name = uniqueName('E2E idempotent create');
    await page.goto('/blueprints/new');
    await page.getByTestId('project').selectOption({ label: 'Storefront' });
    await page.getByTestId('name').fill(name);

    await page.getByTestId('create').click();
    await expect(page.getByTestId('form-issues')).toContainText('Not saved yet: the services are overloaded, try again. Your edits are kept');
    await page.getByTestId('create').click();
    await expect.poll(() => keys.length).toBe(2);
    await expect(page.getByTestId('form-issues')).toContainText('Not saved yet');
    expect(keys[0]).toMatch(UUID);
    expect(keys[1]).toBe(keys[0]);

    // The user changes the form: a different request, so a new key.
    await page.getByTestId('description').fill('Made while the services were struggling');
    await page.getByTestId('create').click();
    await expect.poll(() => keys.length).toBe(3);
    expect(keys[2]).toMatch(UUID);
    expect(keys[2]).not.toBe(keys[0]);

    await page.getByTestId('create').click();
    await expect(page.getByTestId('blueprint-name')).toHaveText(name);
    created.push(page.url().split('/').pop()!);
    expect(keys[3]).toBe(keys[2]);
    expect((await rpcQuery<{ items: { name: string }[] }>(page.request, 'blueprints.list', { search: name })).items).toHaveLength(1);
  });

  test('saving a version sends a key, kept through a retry and replaced after a success', async ({ page }) => {
    const fixture = await createFixture(page.request, 'E2E idempotent save');
    created.push(fixture.id);
    const keys = await watch(page, 'blueprints.saveVersion', { 0: (route) => route.fulfill(unavailable('blueprints.saveVersion')) });
    await page.goto(`/blueprints/${fixture.id}/edit`);
    await page.getByTestId(`component-${await componentIndex(page, 'api')}-name`).fill('fixture-api-v2');
    await page.getByTestId('message').fill('Second version');
    await page.getByTestId('save').click();
    await expect(page.getByTestId('form-issues')).toContainText('press “Save version 2” again to retry');
    await page.getByTestId('save').click();
    await expect(page.getByTestId('saved-notice')).toHaveText('Saved version 2.');
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(UUID);
    expect(keys[1]).toBe(keys[0]);

    await page.getByTestId('edit-blueprint').click();
    await expect(page.getByTestId('save')).toHaveText('Save version 3');
    await page.getByTestId(`component-${await componentIndex(page, 'api')}-name`).fill('fixture-api-v3');
    await page.getByTestId('message').fill('Third version');
    await page.getByTestId('save').click();
    await expect(page.getByTestId('saved-notice')).toHaveText('Saved version 3.');
    expect(keys).toHaveLength(3);
    expect(keys[2]).toMatch(UUID);
    expect(keys[2]).not.toBe(keys[0]);
    expect((await findBlueprint(page.request, fixture.name))?.currentVersion).toBe(3);
  });

  test('the proxy takes the header: a well-formed key passes, a malformed one is refused naming the header', async ({ page }) => {
    const fixture = await createFixture(page.request, 'E2E proxy header');
    created.push(fixture.id);
    const path = '/api/trpc/blueprints.archive';
    const bad = await page.request.post(path, { data: { id: fixture.id }, headers: { 'content-type': 'application/json', 'idempotency-key': 'not a key!' } });
    expect(bad.status()).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^Idempotency-Key header: must be/);
    expect((await findBlueprint(page.request, fixture.name))?.name).toBe(fixture.name);

    const good = await page.request.post(path, { data: { id: fixture.id }, headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() } });
    expect(good.status()).toBe(200);
    expect(await findBlueprint(page.request, fixture.name)).toBeUndefined();
    created.pop();
  });
});
