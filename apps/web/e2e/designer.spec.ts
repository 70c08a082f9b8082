import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { rpcMutation, rpcQuery, signIn, uniqueName, type TProject } from './helpers';

const tags = { Environment: 'prod', Owner: 'e2e', CostCenter: 'CC-1' };

test('design in the visual designer: add from the catalog, see validation, guardrail and cost badges follow each edit, undo, save, generate Terraform and download it', async ({ page }) => {
  await signIn(page, 'ada@acme.test');
  const [project] = await rpcQuery<TProject[]>(page.request, 'projects.list');
  const graph = { components: [{ id: 'vpc', kind: 'vpc', name: 'prod-e2e-vpc-euw1', cloud: 'aws', region: 'eu-west-1', properties: { cidr: '10.0.0.0/16' }, tags, position: { x: 40, y: 40 } }], relations: [] };
  const { id } = await rpcMutation<{ id: string }>(page.request, 'blueprints.create', { projectId: project!.id, name: uniqueName('E2E designer'), description: '', cloud: 'aws', graph, message: 'v1' });

  await page.goto(`/blueprints/${id}`);
  await page.getByTestId('design-blueprint').click();
  await expect(page.getByTestId('designer')).toBeVisible();
  await expect(page.getByTestId('node-vpc')).toBeVisible();

  // Add a database from the catalog: the engine is required.
  await page.getByTestId('palette-search').fill('rds');
  await page.getByTestId('palette-database-aws').click();
  const db = page.getByTestId('node-database');
  await expect(db.getByTestId('node-errors')).toHaveText('1 error');
  await expect(page.getByTestId('designer-validation')).toHaveText('1 errors · 0 warnings');
  await page.getByTestId('designer-undo').click();
  await expect(db).toHaveCount(0);
  await page.getByTestId('designer-redo').click();
  await expect(db).toBeVisible();

  await page.getByTestId('prop-engine').selectOption('postgres');
  await expect(db.getByTestId('node-errors')).toHaveCount(0);
  // Production: multi-AZ and two weeks of backups are required.
  await expect(db.getByTestId('node-guardrails')).toHaveText('2 guardrail');
  await page.getByTestId('prop-multiAz').check();
  await page.getByTestId('prop-backupRetentionDays').fill('14');
  await expect(db.getByTestId('node-guardrails')).toHaveCount(0);
  await page.getByTestId('prop-publiclyAccessible').check();
  await expect(db.getByTestId('node-guardrails')).toHaveText('1 guardrail');
  await expect(page.getByTestId('inspector-guardrails')).toContainText('No public databases (hard)');
  await page.getByTestId('prop-publiclyAccessible').uncheck();
  await expect(db.getByTestId('node-guardrails')).toHaveCount(0);
  // db.t4g.medium Multi-AZ in eu-west-1: 0.072 × 730 × 2 + 20 GB × 2 × 0.127 = 110.20
  await expect(db.getByTestId('node-cost')).toHaveText('$110/mo');
  await expect(page.getByTestId('inspector-cost')).toContainText('$110.20 a month');

  await page.getByTestId('designer-message').fill('Add the database');
  await page.getByTestId('designer-save').click();
  await expect(page.getByTestId('saved-notice')).toHaveText('Saved version 2.');

  await page.getByTestId('tab-code').click();
  await page.getByTestId('code-generate').click();
  await expect(page.getByTestId('code-view')).toContainText('resource "aws_db_instance" "database" {');
  const download = page.waitForEvent('download');
  await page.getByTestId('code-download').click();
  const file = await download;
  const entries = unzipSync(new Uint8Array(readFileSync(await file.path())));
  const main = Object.entries(entries).find(([name]) => name.endsWith('/main.tf'))!;
  expect(strFromU8(main[1])).toMatch(/multi_az\s+= true/);
});

test('start a blueprint from a global template: its design, cloud and description are filled in', async ({ page }) => {
  await signIn(page, 'ada@acme.test');
  await page.goto('/blueprints/new');
  const [project] = await rpcQuery<TProject[]>(page.request, 'projects.list');
  await page.getByTestId('project').selectOption(project!.id);
  await page.getByTestId('name').fill(uniqueName('E2E from template'));
  await page.getByTestId('start-template').check();
  await page.getByTestId('template').selectOption('gcp-gke-service');
  await expect(page.getByTestId('cloud')).toHaveValue('gcp');
  await page.getByTestId('create').click();
  await expect(page).toHaveURL(/\/blueprints\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('tab-components')).toContainText('8');
  await page.getByTestId('tab-validation').click();
  await expect(page.getByTestId('validation-clean')).toBeVisible();
});
