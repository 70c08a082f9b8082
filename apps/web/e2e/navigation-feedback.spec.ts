import { expect, test } from '@playwright/test';
import { createFixture, rpcMutation, signIn } from './helpers';

test.describe('navigation feedback and hydration', () => {
  test('a slow page shows a progress bar from the click until the page arrives', async ({ page }) => {
    await signIn(page, 'ada@acme.test');
    const progress = page.getByTestId('route-progress');
    await expect(progress).toBeHidden();
    // The server takes 1.5 s to render /system (its prefetch too, as on a slow link).
    await page.route(
      (url) => url.pathname === '/system',
      async (route) => {
        if (route.request().headers()['rsc']) await new Promise((r) => setTimeout(r, 1500));
        await route.continue();
      },
    );
    await page.getByTestId('nav-system').click();
    // Whether the old page stays up or the loading skeleton stands in meanwhile, the bar runs until the page is there.
    await expect(progress).toHaveAttribute('data-state', 'loading');
    await expect(progress).toBeVisible();
    await expect(page.getByRole('heading', { name: 'System' })).toHaveCount(0);
    await expect(page).toHaveURL(/\/system$/, { timeout: 10_000 });
    await expect(page.getByRole('heading', { name: 'System' })).toBeVisible();
    await expect(progress).toHaveAttribute('data-state', 'idle');
    await expect(progress).toBeHidden();
  });

  test('the edit page renders the same markup on every request and hydrates without a console error', async ({ page }) => {
    await signIn(page, 'ada@acme.test');
    const { id } = await createFixture(page.request, 'E2E hydration');
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));

    // Two server renders of the same page: ids in the markup come from the data, not from a per-process counter,
    // so the browser's first render (which has to match the server's) can always match.
    const ids = async () => {
      const html = await (await page.request.get(`/blueprints/${id}/edit`)).text();
      return [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]).filter((x) => x !== undefined && /props|tags/.test(x));
    };
    const first = await ids();
    expect(first.length).toBe(4);
    expect(await ids()).toEqual(first);

    await page.goto(`/blueprints/${id}/edit`);
    await expect(page.getByTestId('edit-form')).toBeVisible();
    await page.reload();
    await expect(page.getByTestId('edit-form')).toBeVisible();
    // The labels still point at their boxes after hydration.
    await expect(page.getByLabel('Properties (JSON)').first()).toHaveValue(/memoryMb|engine/);
    await page.getByTestId('name').click();
    expect(errors).toEqual([]);
    await rpcMutation(page.request, 'blueprints.archive', { id });
  });
});
