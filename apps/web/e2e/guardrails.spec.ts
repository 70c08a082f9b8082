import { expect, test, type Page } from '@playwright/test';
import { rpcMutation, rpcQuery, signIn, uniqueName, type TProject } from './helpers';

const tags = { Environment: 'prod', Owner: 'e2e', CostCenter: 'CC-1' };
/** A production database with its logs; `publiclyAccessible` decides the critical guardrail. */
const graph = (publiclyAccessible: boolean) => ({
  components: [
    { id: 'db', kind: 'database', name: 'prod-e2e-db-euw1', cloud: 'aws', region: 'eu-west-1', properties: { engine: 'postgres', multiAz: true, backupRetentionDays: 14, publiclyAccessible }, tags },
    { id: 'logs', kind: 'monitoring', name: 'prod-e2e-logs-euw1', cloud: 'aws', region: 'eu-west-1', properties: {}, tags },
  ],
  relations: [],
});

async function createAs(page: Page, email: string, name: string, publiclyAccessible: boolean) {
  await signIn(page, email);
  const [project] = await rpcQuery<TProject[]>(page.request, 'projects.list');
  return (await rpcMutation<{ id: string }>(page.request, 'blueprints.create', { projectId: project!.id, name, description: '', cloud: 'aws', graph: graph(publiclyAccessible), message: 'v1' })).id;
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin/);
}

test.describe('Guardrails and the review', () => {
  test('a guardrail failure shows; fixed in the editor it passes, the cost and the Terraform of the fix are there, another person approves, the history shows it', async ({ page }) => {
    const name = uniqueName('E2E guarded');
    const id = await createAs(page, 'sam@acme.test', name, true);
    await page.goto(`/blueprints/${id}?tab=guardrails`);
    await expect(page.getByTestId('guardrail-blocking')).toHaveText('1');
    await expect(page.locator('[data-testid="guardrail-finding"][data-policy="no-public-database"]')).toContainText('a database must not be publicly accessible');

    // Fix it in the editor: version 2.
    await page.getByTestId('edit-blueprint').click();
    await page.locator('#component-db [data-testid$="-properties"]').fill(JSON.stringify({ engine: 'postgres', multiAz: true, backupRetentionDays: 14, publiclyAccessible: false }));
    await page.getByTestId('message').fill('Private database');
    await page.getByTestId('save').click();
    await expect(page.getByTestId('saved-notice')).toHaveText('Saved version 2.');
    await page.getByTestId('tab-guardrails').click();
    await expect(page.getByTestId('guardrail-blocking')).toHaveText('0');
    await expect(page.getByTestId('guardrail-summary')).toHaveText('Version 2 passes the guardrails.');
    // The cost of version 2: db.t4g.medium Multi-AZ in eu-west-1 (0.072 × 730 × 2 = 105.12) + 20 GB × 2 × 0.127 (5.08).
    await page.getByTestId('tab-cost').click();
    await expect(page.getByTestId('cost-monthly')).toHaveText('$110.20');
    await expect(page.getByTestId('cost-missing')).toContainText('logs (usage-based');
    await page.getByTestId('cost-compare').selectOption('1');
    await expect(page.getByTestId('cost-change')).toHaveText('No change ($110.20 → $110.20)');
    // And its Terraform, as a zip.
    await page.getByTestId('tab-code').click();
    await page.getByTestId('code-generate').click();
    await expect(page.getByTestId('code-view')).toContainText('resource "aws_db_instance" "db" {');
    const download = page.waitForEvent('download');
    await page.getByTestId('code-download').click();
    expect((await download).suggestedFilename()).toMatch(/-v2-terraform\.zip$/);
    await page.getByTestId('lifecycle-request').click();
    await expect(page.getByTestId('lifecycle-status')).toHaveText('review');
    await signOut(page);

    await signIn(page, 'ada@acme.test');
    await page.goto(`/blueprints/${id}`);
    await page.getByTestId('lifecycle-comment').fill('Private now, approved');
    await page.getByTestId('lifecycle-approve').click();
    await expect(page.getByTestId('lifecycle-status')).toHaveText('approved');
    await expect(page.getByTestId('lifecycle-approved')).toContainText('approved version v2');
    await page.getByTestId('tab-history').click();
    await expect(page.locator('[data-testid="history-row"][data-action="blueprint.approve"]')).toContainText('Private now, approved');
    await expect(page.locator('[data-testid="history-row"][data-action="blueprint.approve"]')).toContainText('guardrail score');
  });

  test('a waiver asked by the author and approved by an admin lets a failing version through review', async ({ page }) => {
    const id = await createAs(page, 'sam@acme.test', uniqueName('E2E waived'), true);
    await page.goto(`/blueprints/${id}?tab=guardrails`);
    await page.locator('[data-testid="guardrail-finding"][data-policy="no-public-database"]').getByTestId('finding-waive').click();
    await page.getByTestId('exemption-reason').fill('Partner read access until the VPN is live');
    await page.getByTestId('exemption-submit').click();
    await expect(page.getByTestId('exemption-status')).toHaveText('pending');
    await page.getByTestId('lifecycle-request').click();
    await expect(page.getByTestId('lifecycle-status')).toHaveText('review');
    await signOut(page);

    await signIn(page, 'ada@acme.test');
    await page.goto(`/blueprints/${id}`);
    await page.getByTestId('lifecycle-approve').click();
    await expect(page.getByTestId('lifecycle-error')).toContainText('guardrail failure(s) not waived or overridden');
    await page.getByTestId('tab-guardrails').click();
    await page.getByTestId('exemption-approve').click();
    await expect(page.getByTestId('exemption-status')).toHaveText('active');
    await expect(page.getByTestId('finding-exempted')).toContainText('Waived: Partner read access until the VPN is live');
    await page.getByTestId('lifecycle-approve').click();
    await expect(page.getByTestId('lifecycle-status')).toHaveText('approved');
  });

  test('an admin edits a policy: a broken expression is refused saying where, a test runs against a blueprint, a change is reset', async ({ page }) => {
    await signIn(page, 'ada@acme.test');
    const [project] = await rpcQuery<TProject[]>(page.request, 'projects.list');
    const big = { components: [{ id: 'web', kind: 'vm', name: 'prod-e2e-web-euw1', cloud: 'aws', region: 'eu-west-1', properties: { instanceType: 'm5.2xlarge' }, tags }], relations: [] };
    const { id } = await rpcMutation<{ id: string }>(page.request, 'blueprints.create', { projectId: project!.id, name: uniqueName('E2E policy test'), description: '', cloud: 'aws', graph: big, message: 'v1' });
    await page.getByTestId('nav-guardrails').click();
    const row = page.locator('[data-testid="policy"][data-key="instance-size-limit"]');
    await row.getByTestId('policy-open').click();
    await page.getByTestId('policy-expression').fill("c.properties.instanceType.matches('xlarge' &&");
    await page.getByTestId('policy-save').click();
    await expect(page.getByTestId('policy-error')).toContainText('expression does not compile: at 1:');

    await page.getByTestId('policy-expression').fill("!c.properties.instanceType.endsWith('xlarge')");
    await page.getByTestId('policy-test-blueprint').selectOption(id);
    await page.getByTestId('policy-test').click();
    await expect(page.getByTestId('policy-test-result')).toContainText('finding(s)');
    await page.getByTestId('policy-enforcement-select').selectOption('hard');
    await page.getByTestId('policy-save').click();
    await expect(row.getByTestId('policy-source')).toHaveText('modified');
    await expect(row.getByTestId('policy-enforcement')).toHaveText('hard');
    await row.getByTestId('policy-open').click();
    await page.getByTestId('policy-reset').click();
    await expect(row.getByTestId('policy-source')).toHaveText('default');
    await expect(row.getByTestId('policy-enforcement')).toHaveText('soft');
  });
});
