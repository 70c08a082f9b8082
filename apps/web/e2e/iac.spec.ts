import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { unzipSync, strFromU8 } from 'fflate';
import { rpcMutation, rpcQuery, signIn, uniqueName, type TProject } from './helpers';

/** A small AWS design: a VPC, a subnet in it and a VM on the subnet; `instanceType` decides whether it validates. */
const graph = (instanceType: string) => ({
  components: [
    { id: 'vpc', kind: 'vpc', name: 'dev-e2e-vpc-euw1', cloud: 'aws', region: 'eu-west-1', properties: { cidr: '10.0.0.0/16' }, tags: { Owner: 'e2e' } },
    { id: 'subnet', kind: 'subnet', name: 'dev-e2e-subnet-euw1', cloud: 'aws', region: 'eu-west-1', properties: { cidr: '10.0.1.0/24' }, tags: {} },
    { id: 'vm', kind: 'vm', name: 'dev-e2e-vm-euw1', cloud: 'aws', region: 'eu-west-1', properties: { instanceType }, tags: {} },
  ],
  relations: [
    { from: 'subnet', to: 'vpc', type: 'contains' },
    { from: 'vm', to: 'subnet', type: 'depends_on' },
  ],
});

test.describe('Validation and generated code', () => {
  test('a validation error names the field, links to it and blocks generation; fixed, the code is generated and downloads as a zip', async ({ page }) => {
    await signIn(page, 'ada@acme.test');
    const [project] = await rpcQuery<TProject[]>(page.request, 'projects.list');
    const name = uniqueName('E2E codegen');
    const { id } = await rpcMutation<{ id: string }>(page.request, 'blueprints.create', { projectId: project!.id, name, description: '', cloud: 'aws', graph: graph('huge'), message: 'v1' });

    await page.goto(`/blueprints/${id}?tab=validation`);
    await expect(page.getByTestId('validation-summary')).toHaveText('Version 1: 1 error, 0 warnings. Errors block code generation.');
    const finding = page.locator('[data-testid="finding"][data-code="property-format"]');
    await expect(finding).toContainText('properties.instanceType');
    await expect(finding).toContainText('Instance type "huge" must be an EC2 instance type such as t3.micro');

    await page.getByTestId('tab-code').click();
    await page.getByTestId('code-generate').click();
    await expect(page.getByText('version 1 has 1 validation error(s); fix them before generating')).toBeVisible();

    // The finding's link opens the editor at that component; fix it there and save version 2.
    await page.getByTestId('tab-validation').click();
    await finding.getByRole('link', { name: 'vm' }).click();
    await expect(page).toHaveURL(new RegExp(`/blueprints/${id}/edit#component-vm$`));
    const vmRow = page.locator('#component-vm');
    await vmRow.locator('[data-testid$="-properties"]').fill('{"instanceType": "t3.small"}');
    await page.getByTestId('message').fill('A real instance type');
    await page.getByTestId('save').click();
    await expect(page.getByTestId('saved-notice')).toHaveText('Saved version 2.');

    await page.getByTestId('tab-validation').click();
    await expect(page.getByTestId('validation-clean')).toContainText('Version 2 passes validation');
    await page.getByTestId('tab-code').click();
    await expect(page.getByTestId('code-version')).toHaveValue('2');
    await page.getByTestId('code-generate').click();
    await expect(page.getByTestId('code-file')).toHaveText(['versions.tf', 'providers.tf', 'variables.tf', 'main.tf', 'outputs.tf']);
    await expect(page.getByTestId('code-view')).toHaveAttribute('data-path', 'main.tf');
    await expect(page.getByTestId('code-view')).toContainText('resource "aws_instance" "vm" {');
    await expect(page.getByTestId('code-view')).toContainText('instance_type          = "t3.small"');
    await page.getByTestId('code-file').filter({ hasText: 'providers.tf' }).click();
    await expect(page.getByTestId('code-view')).toContainText('region = "eu-west-1"');

    await page.getByTestId('code-format').selectOption('cloudformation');
    await expect(page.getByTestId('code-file')).toHaveText(['template.json']);
    await expect(page.getByTestId('code-view')).toContainText('"Type": "AWS::EC2::Instance"');
    await page.getByTestId('code-format').selectOption('terraform');
    await expect(page.getByTestId('code-view')).toHaveAttribute('data-path', 'main.tf');
    const download = page.waitForEvent('download');
    await page.getByTestId('code-download').click();
    const file = await download;
    const root = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-v2-terraform`;
    expect(file.suggestedFilename()).toBe(`${root}.zip`);
    const entries = unzipSync(new Uint8Array(readFileSync(await file.path())));
    expect(Object.keys(entries).sort()).toEqual(['main.tf', 'outputs.tf', 'providers.tf', 'variables.tf', 'versions.tf'].map((f) => `${root}/${f}`));
    expect(strFromU8(entries[`${root}/main.tf`]!)).toContain('subnet_id              = aws_subnet.subnet.id');
  });

  test('a viewer sees the validation but not the code', async ({ page }) => {
    await signIn(page, 'vic@acme.test');
    const list = await rpcQuery<{ items: { id: string }[] }>(page.request, 'blueprints.list', { pageSize: 1 });
    await page.goto(`/blueprints/${list.items[0]!.id}`);
    await expect(page.getByTestId('tab-validation')).toBeVisible();
    await expect(page.getByTestId('tab-code')).toHaveCount(0);
  });
});
