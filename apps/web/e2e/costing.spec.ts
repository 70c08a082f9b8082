import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

test.describe('Costs & budgets', () => {
  test('a project manager sets a budget and sees its burn; an admin adds a private price, a wrong unit is refused naming why', async ({ page }) => {
    await signIn(page, 'pia@acme.test');
    await page.getByTestId('nav-costs-&-budgets').click();
    await page.getByTestId('budget-project').selectOption({ label: 'Mobile Backend' });
    await page.getByTestId('budget-amount').fill('1000000');
    await page.getByTestId('budget-save').click();
    const row = page.locator('[data-testid="budget"][data-project="Mobile Backend"]');
    await expect(row).toContainText('$1,000,000.00');
    await expect(row.getByTestId('budget-use')).toHaveText(/^\d+(\.\d+)?%$/);
    await expect(page.getByTestId('budget-burn')).toBeVisible();
    await expect(page.getByTestId('price-save')).toHaveCount(0);
    await page.getByRole('button', { name: 'Sign out' }).click();

    await signIn(page, 'ada@acme.test');
    await page.goto('/costing');
    await page.getByTestId('price-region').fill('ap-south-1');
    await page.getByTestId('price-sku').fill('ec2:c5.large');
    await page.getByTestId('price-unit').selectOption('GB-month');
    await page.getByTestId('price-price').fill('0.05');
    await page.getByTestId('price-save').click();
    await expect(page.getByTestId('cost-settings-error')).toContainText('ec2:c5.large is priced per hour, not per GB-month');
    await page.getByTestId('price-unit').selectOption('hour');
    await page.getByTestId('price-save').click();
    const price = page.getByTestId('price').filter({ hasText: 'ap-south-1' });
    await expect(price).toContainText('$0.05 / hour');
    await price.getByRole('button', { name: 'Remove' }).click();
    await expect(price).toHaveCount(0);
  });
});
