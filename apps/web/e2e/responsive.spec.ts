import { expect, test, type Page } from '@playwright/test';
import { componentIndex, createFixture, expectNoSideScroll, rpcMutation, SEEDED, signIn } from './helpers';

/** Opens the off-canvas navigation and follows one of its links. */
async function navigate(page: Page, to: 'blueprints' | 'system') {
  await expect(page.getByTestId(`nav-${to}`)).toBeHidden();
  await page.getByTestId('nav-toggle').click();
  await expect(page.getByTestId(`nav-${to}`)).toBeVisible();
  await page.getByTestId(`nav-${to}`).click();
  await expect(page).toHaveURL(new RegExp(`/${to}(\\?|$)`));
  // The navigation closes itself once the page changes: the content gets the whole width again.
  await expect(page.getByTestId('nav-backdrop')).toHaveCount(0);
}

for (const viewport of [
  { width: 390, height: 844 },
  { width: 800, height: 1000 },
]) {
  test.describe(`at ${viewport.width} px wide`, () => {
    test.use({ viewport });
    const created: string[] = [];

    test.afterAll(async ({ browser }) => {
      const page = await browser.newPage();
      await signIn(page, 'ada@acme.test');
      for (const id of created) await rpcMutation(page.request, 'blueprints.archive', { id });
      await page.close();
    });

    test('every page fits the width, the navigation opens from the menu, and a blueprint can be edited and saved', async ({ page }) => {
      await page.goto('/signin');
      await expectNoSideScroll(page);
      await signIn(page, 'ada@acme.test');
      await expect(page.getByTestId('blueprint-row').first()).toBeVisible();
      await expectNoSideScroll(page);
      // At phone width the list's rows become cards (no column squeezed to a word per line); wider, the table scrolls
      // inside its own box if it must. Either way the name of each blueprint is readable on one or two lines.
      const nameCell = page.getByTestId('blueprint-row').first().locator('td').first();
      expect((await nameCell.boundingBox())!.width).toBeGreaterThan(viewport.width < 600 ? 300 : 150);

      await navigate(page, 'system');
      await expect(page.getByRole('heading', { name: 'System' })).toBeVisible();
      await expectNoSideScroll(page);
      // Escape and the backdrop close the navigation too.
      await page.getByTestId('nav-toggle').click();
      await expect(page.getByTestId('nav-blueprints')).toBeVisible();
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('nav-blueprints')).toBeHidden();
      await navigate(page, 'blueprints');

      await page.getByTestId('search').fill(SEEDED.threeTier);
      await page.getByRole('link', { name: SEEDED.threeTier, exact: true }).click();
      await expect(page.getByTestId('components-table')).toBeVisible();
      await expectNoSideScroll(page);
      // Every tab of a blueprint fits too (the tab row scrolls inside itself when it must).
      for (const [tab, ready] of [['validation', 'validation-clean'], ['guardrails', 'guardrail-score'], ['cost', 'cost-monthly'], ['code', 'code-generate'], ['history', 'history']] as const) {
        await page.getByTestId(`tab-${tab}`).click();
        await expect(page.getByTestId(ready)).toBeVisible();
        await expectNoSideScroll(page);
      }
      await page.getByTestId('tab-versions').click();
      await page.getByTestId('pick-version-1').check();
      await page.getByTestId('pick-version-3').check();
      await page.getByTestId('compare-versions').click();
      await expect(page.getByTestId('diff-result')).toBeVisible();
      await expectNoSideScroll(page);

      for (const [path, ready] of [['/guardrails', 'policies'], ['/costing', 'budgets']] as const) {
        await page.goto(path);
        await expect(page.getByTestId(ready)).toBeVisible();
        await expectNoSideScroll(page);
      }

      await page.goto('/blueprints/new');
      await expect(page.getByTestId('new-form')).toBeVisible();
      await expectNoSideScroll(page);

      const fixture = await createFixture(page.request, `E2E narrow ${viewport.width}`);
      created.push(fixture.id);
      await page.goto(`/blueprints/${fixture.id}/edit`);
      await expect(page.getByTestId('edit-form')).toBeVisible();
      await expectNoSideScroll(page);
      const api = await componentIndex(page, 'api');
      await page.getByTestId(`component-${api}-name`).fill('fixture-api-narrow');
      await page.getByTestId('message').fill(`Edited at ${viewport.width} px`);
      await expectNoSideScroll(page);
      await page.getByTestId('save').click();
      await expect(page.getByTestId('saved-notice')).toHaveText('Saved version 2.');
      await expectNoSideScroll(page);
    });
  });
}

test('at desktop width the sidebar is always there and the menu button is not', async ({ page }) => {
  await signIn(page, 'ada@acme.test');
  await expect(page.getByTestId('nav-system')).toBeVisible();
  await expect(page.getByTestId('nav-toggle')).toBeHidden();
});
