import { expect, test, type Page, type Route } from '@playwright/test';
import { componentIndex, createFixture, findBlueprint, projectByName, rpcQuery, signedInArchivingAfterwards, smallGraph, uniqueName } from './helpers';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** What the services' overload answer looks like: tRPC's error shape with a 503. */
const unavailable = (path: string) => ({
  status: 503,
  contentType: 'application/json',
  body: JSON.stringify({ error: { message: 'the services are overloaded, try again', code: -32603, data: { code: 'SERVICE_UNAVAILABLE', httpStatus: 503, path } } }),
});

/** The request reaches the services and is applied, but its answer never reaches the browser. */
async function lostAnswer(route: Route) {
  await route.fetch();
  await route.abort('connectionreset');
}

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
  const created = signedInArchivingAfterwards('ada@acme.test');

  test('creating a blueprint sends a key; an edit renews it; a retry after a lost answer reuses it and creates one blueprint', async ({ page }) => {
    const keys = await watch(page, 'blueprints.create', {
      0: (route) => route.fulfill(unavailable('blueprints.create')),
      1: lostAnswer,
    });
    const name = uniqueName('E2E idempotent create');
    await page.goto('/blueprints/new');
    await page.getByTestId('project').selectOption({ label: 'Storefront' });
    await page.getByTestId('name').fill(name);

    await page.getByTestId('create').click();
    await expect(page.getByTestId('form-issues')).toContainText('Not saved yet: the services are overloaded, try again. Your edits are kept');
    expect(keys[0]).toMatch(UUID);

    // The user changes the form: a different request, so a new key.
    await page.getByTestId('description').fill('Made while the services were struggling');
    await page.getByTestId('create').click();
    await expect.poll(() => keys.length).toBe(2);
    await expect(page.getByTestId('form-issues')).toContainText('press “Create blueprint” again to retry');
    expect(keys[1]).toMatch(UUID);
    expect(keys[1]).not.toBe(keys[0]);

    // The services did create it; only the answer was lost. The retry carries the same key and gets that blueprint.
    await page.getByTestId('create').click();
    await expect(page.getByTestId('blueprint-name')).toHaveText(name);
    created.push(page.url().split('/').pop()!);
    expect(keys).toEqual([keys[0], keys[1], keys[1]]);
    const matches = await rpcQuery<{ items: { name: string; description: string }[] }>(page.request, 'blueprints.list', { search: name });
    expect(matches.items).toEqual([expect.objectContaining({ name, description: 'Made while the services were struggling' })]);
  });

  test('saving a version sends a key, kept through a retry after a lost answer (one version made), replaced after a success', async ({ page }) => {
    const fixture = await createFixture(page.request, 'E2E idempotent save');
    created.push(fixture.id);
    const keys = await watch(page, 'blueprints.saveVersion', { 0: lostAnswer });
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
    expect((await rpcQuery<{ number: number }[]>(page.request, 'blueprints.versions', { id: fixture.id })).map((v) => v.number)).toEqual([2, 1]);

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

  test('the proxy forwards the header: the same key twice makes one blueprint, a malformed key is refused naming it', async ({ page }) => {
    const storefront = await projectByName(page.request, 'Storefront');
    const name = uniqueName('E2E proxied key');
    const input = { projectId: storefront.id, name, cloud: 'aws', graph: smallGraph('proxied') };
    const post = (key: string) => page.request.post('/api/trpc/blueprints.create', { data: input, headers: { 'content-type': 'application/json', 'idempotency-key': key } });

    const bad = await post('not a key!');
    expect(bad.status()).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^Idempotency-Key: /);
    expect(await findBlueprint(page.request, name)).toBeUndefined();

    const key = crypto.randomUUID();
    const first = (await (await post(key)).json()) as { result: { data: { id: string; replayed: boolean } } };
    const again = (await (await post(key)).json()) as { result: { data: { id: string; replayed: boolean } } };
    created.push(first.result.data.id);
    expect(first.result.data.replayed).toBe(false);
    expect(again.result.data).toEqual({ ...first.result.data, replayed: true });
    expect((await rpcQuery<{ items: { name: string }[] }>(page.request, 'blueprints.list', { search: name })).items).toHaveLength(1);
  });
});
