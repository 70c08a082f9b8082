import { expect, test } from '@playwright/test';
import { rpcMutation, rpcQuery, signIn, uniqueName, type TProject } from './helpers';

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

  test('savings advice: dismissed with a reason, accepted as a new version that costs less', async ({ page }) => {
    await signIn(page, 'ada@acme.test');
    const [project] = await rpcQuery<TProject[]>(page.request, 'projects.list');
    const graph = { components: [{ id: 'web', kind: 'vm', name: 'dev-app-web', cloud: 'aws', region: 'eu-west-1', properties: { instanceType: 'm5.2xlarge' }, tags: { Environment: 'dev', Owner: 'e2e', CostCenter: 'CC-1' } }], relations: [] };
    const { id } = await rpcMutation<{ id: string }>(page.request, 'blueprints.create', { projectId: project!.id, name: uniqueName('E2E advice'), description: '', cloud: 'aws', graph, message: 'v1' });
    await page.goto(`/blueprints/${id}?tab=cost`);
    // m5.2xlarge in eu-west-1: 0.428 × 730 + 30 GB × 0.088
    await expect(page.getByTestId('cost-monthly')).toHaveText('$315.08');
    const shutdown = page.locator('[data-testid="recommendation"][data-key="scheduled-shutdown:web"]');
    await expect(shutdown.getByTestId('recommendation-savings')).toHaveText('saves $200.73/mo');
    await shutdown.getByTestId('recommendation-dismiss').click();
    await shutdown.getByTestId('recommendation-reason').fill('runs nightly batch jobs');
    await shutdown.getByTestId('recommendation-dismiss-submit').click();
    await expect(shutdown).toHaveCount(0);
    await expect(page.getByTestId('recommendation-decisions')).toContainText('runs nightly batch jobs');
    const rightSize = page.locator('[data-testid="recommendation"][data-key="right-size:web"]');
    await rightSize.getByTestId('recommendation-accept').click();
    await expect(page.getByTestId('saved-notice')).toHaveText('Saved version 2.');
    await page.getByTestId('tab-cost').click();
    await expect(page.getByTestId('cost-monthly')).toHaveText('$158.86');
  });
});
