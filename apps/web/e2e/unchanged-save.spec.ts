import { expect, test } from '@playwright/test';
import { componentIndex, createFixture, rpcQuery, signedInArchivingAfterwards } from './helpers';

test.describe('saves that change no design', () => {
  const created = signedInArchivingAfterwards('ada@acme.test');

  test('when the services answer that the design is unchanged, the form says so and stays, instead of showing a saved version', async ({ page }) => {
    const { id } = await createFixture(page.request, 'E2E unchanged save');
    created.push(id);
    const { graph } = await rpcQuery<{ graph: unknown }>(page.request, 'blueprints.byId', { id });
    // The console believes it changed something, but what reaches the services is the saved design itself (as when
    // another tab already saved the same edit): the services answer `unchanged: true` and make no version.
    await page.route('**/api/trpc/blueprints.saveVersion*', async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}') as Record<string, unknown>;
      await route.continue({ postData: JSON.stringify({ ...body, graph }) });
    });

    await page.goto(`/blueprints/${id}/edit`);
    const api = await componentIndex(page, 'api');
    await page.getByTestId(`component-${api}-name`).fill('fixture-api-renamed');
    await page.getByTestId('message').fill('Looks like a change');
    await page.getByTestId('save').click();
    await expect(page.getByTestId('unchanged-notice')).toHaveText('No changes: version 1 already has this design. Nothing was saved.');
    await expect(page).toHaveURL(new RegExp(`/blueprints/${id}/edit$`));
    expect((await rpcQuery<{ number: number }[]>(page.request, 'blueprints.versions', { id })).map((v) => v.number)).toEqual([1]);

    // The next edit is a new question: the notice goes.
    await page.getByTestId(`component-${api}-name`).fill('fixture-api-renamed-again');
    await expect(page.getByTestId('unchanged-notice')).toHaveCount(0);
  });

  test('a change of name only is saved on the current version, and the page says no version was made', async ({ page }) => {
    const { id, name } = await createFixture(page.request, 'E2E rename only');
    created.push(id);
    await page.goto(`/blueprints/${id}/edit`);
    await expect(page.getByTestId('save')).toHaveText('Save version 2');
    await page.getByTestId('name').fill(`${name} (renamed)`);
    await expect(page.getByTestId('save')).toHaveText('Save name and description');
    await page.getByTestId('message').fill('Better name');
    await page.getByTestId('save').click();
    await expect(page).toHaveURL(new RegExp(`/blueprints/${id}\\?updated=1$`));
    await expect(page.getByTestId('updated-notice')).toHaveText('Saved the name and description. The design did not change, so it is still version 1.');
    await expect(page.getByTestId('blueprint-name')).toHaveText(`${name} (renamed)`);
    await expect(page.getByTestId('current-version')).toHaveText('v1');
  });
});
