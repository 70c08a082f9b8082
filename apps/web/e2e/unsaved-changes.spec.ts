import { expect, test } from '@playwright/test';
import { componentIndex, createFixture, rpcQuery, signedInArchivingAfterwards } from './helpers';

test.describe('unsaved edits are never lost silently', () => {
  const created = signedInArchivingAfterwards('ada@acme.test');

  test('leaving the edit form by a link asks first: Cancel keeps the edits, Leave discards them', async ({ page }) => {
    const { id } = await createFixture(page.request, 'E2E leave guard');
    created.push(id);
    await page.goto(`/blueprints/${id}/edit`);
    // Untouched, the form lets the user go without a question.
    await page.getByTestId('nav-system').click();
    await expect(page).toHaveURL(/\/system$/);

    await page.goto(`/blueprints/${id}/edit`);
    const api = await componentIndex(page, 'api');
    await page.getByTestId(`component-${api}-name`).fill('fixture-api-edited');
    await page.getByTestId('nav-blueprints').click();
    await expect(page.getByTestId('leave-dialog')).toContainText('Leave without saving?');
    await page.getByTestId('leave-dialog').getByTestId('confirm-cancel').click();
    await expect(page.getByTestId('leave-dialog')).toHaveCount(0);
    await expect(page).toHaveURL(new RegExp(`/blueprints/${id}/edit$`));
    await expect(page.getByTestId(`component-${api}-name`)).toHaveValue('fixture-api-edited');

    // Signing out would lose them too.
    await page.getByTestId('sign-out').click();
    await expect(page.getByTestId('leave-dialog')).toBeVisible();
    await page.getByTestId('leave-dialog').getByTestId('confirm-cancel').click();
    await expect(page.getByTestId('user-name')).toBeVisible();

    await page.getByTestId('cancel').click();
    await page.getByTestId('leave-dialog').getByTestId('confirm-ok').click();
    await expect(page).toHaveURL(new RegExp(`/blueprints/${id}$`));
    expect((await rpcQuery<{ currentVersion: number }>(page.request, 'blueprints.byId', { id })).currentVersion).toBe(1);
  });

  test('closing or reloading the tab with unsaved edits gets the browser’s prompt; an untouched form does not', async ({ page, context }) => {
    const { id } = await createFixture(page.request, 'E2E unload guard');
    created.push(id);
    await page.goto(`/blueprints/${id}/edit`);
    await page.getByTestId('message').fill('half-written reason');

    const prompt = page.waitForEvent('dialog');
    await page.close({ runBeforeUnload: true });
    const dialog = await prompt;
    expect(dialog.type()).toBe('beforeunload');
    await dialog.dismiss();
    await expect(page.getByTestId('message')).toHaveValue('half-written reason');
    expect(page.isClosed()).toBe(false);

    const clean = await context.newPage();
    await clean.goto(`/blueprints/${id}/edit`);
    await expect(clean.getByTestId('save')).toBeDisabled();
    let prompted = false;
    clean.on('dialog', (d) => {
      prompted = true;
      void d.accept();
    });
    await clean.getByTestId('name').click();
    await clean.close({ runBeforeUnload: true });
    await expect.poll(() => clean.isClosed()).toBe(true);
    expect(prompted).toBe(false);
  });

  test('a new blueprint with something typed asks before leaving', async ({ page }) => {
    await page.goto('/blueprints/new');
    await page.getByTestId('name').fill('Half-made design');
    await page.getByTestId('nav-system').click();
    await expect(page.getByTestId('leave-dialog')).toBeVisible();
    await page.getByTestId('leave-dialog').getByTestId('confirm-ok').click();
    await expect(page).toHaveURL(/\/system$/);
  });
});
