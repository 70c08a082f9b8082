import { expect, test, type Page } from '@playwright/test';
import { componentIndex, fillComponent, findBlueprint, rpcMutation, rpcQuery, signIn, uniqueName } from './helpers';

/** One blueprint walks its life: created, edited, compared, refused bad input, conflicted, archived, restored. */
test.describe.configure({ mode: 'serial' });

let id = '';
let name = '';
const created: string[] = [];

const versionsOf = async (page: Page) => rpcQuery<{ number: number }[]>(page.request, 'blueprints.versions', { id });

test.beforeEach(async ({ page }) => {
  await signIn(page, 'ada@acme.test');
});

// Archive what this file created so reruns do not crowd the live list (archived blueprints keep their history).
test.afterAll(async ({ browser }) => {
  const page = await browser.newPage();
  await signIn(page, 'ada@acme.test');
  for (const bp of created) await rpcMutation(page.request, 'blueprints.archive', { id: bp });
  await page.close();
});

test('create a blueprint with two components and a relation', async ({ page }) => {
  name = uniqueName('E2E checkout');
  await page.getByTestId('new-blueprint').click();
  await expect(page).toHaveURL(/\/blueprints\/new$/);
  await page.getByTestId('project').selectOption({ label: 'Storefront' });
  await expect(page.getByTestId('cloud')).toHaveValue('aws');
  await page.getByTestId('name').fill(name);
  await page.getByTestId('description').fill('Created by the e2e suite');
  await page.getByTestId('message').fill('First cut');

  await page.getByTestId('add-component').click();
  await fillComponent(page, 0, { id: 'web', kind: 'vm', name: 'e2e-web', region: 'eu-west-1', properties: '{"instanceType": "t3.small"}', tags: '{"Owner": "e2e"}' });
  await page.getByTestId('add-component').click();
  await fillComponent(page, 1, { id: 'db', kind: 'database', name: 'e2e-db', region: 'eu-west-1', properties: '{"engine": "postgres"}' });
  await page.getByTestId('add-relation').click();
  await expect(page.getByTestId('relation-0-from')).toHaveValue('web');
  await expect(page.getByTestId('relation-0-to')).toHaveValue('db');
  await page.getByTestId('relation-0-type').selectOption('connects_to');
  await page.getByTestId('relation-0-properties').fill('{"port": 5432}');
  await page.getByTestId('create').click();

  await expect(page).toHaveURL(/\/blueprints\/[0-9a-f-]{36}$/);
  id = page.url().split('/').pop()!;
  created.push(id);
  await expect(page.getByTestId('blueprint-name')).toHaveText(name);
  await expect(page.getByTestId('current-version')).toHaveText('v1');
  await expect(page.getByTestId('component-row-web')).toContainText('instanceType=t3.small');
  await expect(page.getByTestId('component-row-db')).toContainText('database');
  await page.getByTestId('tab-relations').click();
  await expect(page.getByTestId('relation-row')).toHaveCount(1);
  await expect(page.getByTestId('relation-row')).toContainText('connects_to');
  await expect(page.getByTestId('relation-row')).toContainText('port=5432');
  await page.getByTestId('tab-versions').click();
  await expect(page.getByTestId('version-row-1')).toContainText('First cut');
});

test('edit: change a property, add a component, save version 2', async ({ page }) => {
  await page.goto(`/blueprints/${id}`);
  await page.getByTestId('edit-blueprint').click();
  await expect(page).toHaveURL(new RegExp(`/blueprints/${id}/edit$`));
  await expect(page.getByTestId('save')).toHaveText('Save version 2');
  const web = await componentIndex(page, 'web');
  await page.getByTestId(`component-${web}-properties`).fill('{"instanceType": "t3.large"}');
  await page.getByTestId('add-component').click();
  await fillComponent(page, 2, { id: 'cache', kind: 'cache', name: 'e2e-cache', region: 'eu-west-1', properties: '{"engine": "redis"}' });
  await page.getByTestId('message').fill('Bigger web node, add a cache');
  await page.getByTestId('save').click();

  await expect(page).toHaveURL(new RegExp(`/blueprints/${id}\\?tab=versions&saved=2$`));
  await expect(page.getByTestId('saved-notice')).toHaveText('Saved version 2.');
  await expect(page.getByTestId('current-version')).toHaveText('v2');
  await expect(page.getByTestId('version-row-2')).toContainText('Bigger web node, add a cache');
  await expect(page.getByTestId('version-row-2')).toContainText('Ada Admin');
  await expect(page.getByTestId('version-row-1')).toBeVisible();
});

test('diff v1 → v2 shows the added component and the changed property', async ({ page }) => {
  await page.goto(`/blueprints/${id}?tab=versions`);
  await page.getByTestId('pick-version-1').check();
  await page.getByTestId('pick-version-2').check();
  await page.getByTestId('compare-versions').click();
  await expect(page).toHaveURL(/diff\?from=1&to=2$/);
  await expect(page.getByTestId('sum-components-added')).toHaveText('+1');
  await expect(page.getByTestId('sum-components-changed')).toHaveText('~1');
  await expect(page.getByTestId('diff-added-cache')).toContainText('e2e-cache');
  await expect(page.getByTestId('diff-changed-web').getByTestId('diff-change')).toContainText(/properties\.instanceType\s*t3\.small\s*t3\.large/);
});

test('Save stays disabled, saying “No changes”, while the design equals what was loaded', async ({ page }) => {
  await page.goto(`/blueprints/${id}/edit`);
  const save = page.getByTestId('save');
  await expect(save).toBeDisabled();
  await expect(page.getByTestId('no-changes')).toHaveText('No changes: the design is the same as v2.');
  // A message alone changes nothing in the design; nor does reformatting JSON to the same value.
  await page.getByTestId('message').fill('Nothing really');
  const web = await componentIndex(page, 'web');
  await page.getByTestId(`component-${web}-properties`).fill('{ "instanceType":   "t3.large" }');
  await expect(save).toBeDisabled();

  await page.getByTestId('name').fill(`${name} (renamed)`);
  await expect(save).toBeEnabled();
  await expect(page.getByTestId('no-changes')).toHaveCount(0);
  await page.getByTestId('name').fill(name);
  await expect(save).toBeDisabled();
  await page.getByTestId(`component-${web}-region`).fill('eu-west-2');
  await expect(save).toBeEnabled();
  await page.getByTestId(`component-${web}-region`).fill('eu-west-1');
  await expect(save).toBeDisabled();
  expect((await versionsOf(page)).length).toBe(2);
});

test('bad input shows field errors and saves nothing', async ({ page }) => {
  // This test reloads and leaves the form with unsaved edits on purpose: accept the browser's "leave page?" prompt.
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto(`/blueprints/${id}/edit`);
  await page.getByTestId('message').fill('should never be saved');

  // An empty name.
  await page.getByTestId('name').fill('   ');
  await page.getByTestId('save').click();
  await expect(page.getByTestId('error-name')).toHaveText('must not be empty');
  await expect(page.getByTestId('form-issues')).toContainText('Nothing was saved');
  await page.getByTestId('name').fill(name);

  // A relation to a removed component: the relation stays, flagged.
  await page.getByTestId(`component-${await componentIndex(page, 'db')}-remove`).click();
  await expect(page.getByTestId('relation-0-to')).toHaveValue('db');
  await page.getByTestId('save').click();
  await expect(page.getByTestId('error-graph.relations[0].to')).toHaveText('refers to unknown component "db"');
  await expect(page.getByTestId('error-name')).toHaveCount(0);

  // Invalid JSON in a properties box is a field error, not a crash.
  await page.reload();
  await page.getByTestId('message').fill('should never be saved');
  const web = await componentIndex(page, 'web');
  await page.getByTestId(`component-${web}-properties`).fill('{"instanceType": ');
  await page.getByTestId('save').click();
  await expect(page.getByTestId(`error-graph.components[${web}].properties`)).toContainText('invalid JSON');
  await expect(page.getByTestId(`component-${web}-properties`)).toHaveClass(/invalid/);

  // A component id the schema refuses, and a missing change message.
  await page.getByTestId(`component-${web}-properties`).fill('{"instanceType": "t3.large"}');
  await page.getByTestId(`component-${web}-id`).fill('Web Server');
  await page.getByTestId('message').fill('');
  await page.getByTestId('save').click();
  await expect(page.getByTestId(`error-graph.components[${web}].id`)).toContainText('must be lowercase letters');
  await expect(page.getByTestId('error-message')).toHaveText('describe what changed');

  await expect(page).toHaveURL(new RegExp(`/blueprints/${id}/edit$`));
  expect((await versionsOf(page)).map((v) => v.number)).toEqual([2, 1]);
  await page.goto(`/blueprints/${id}`);
  await expect(page.getByTestId('current-version')).toHaveText('v2');
});

test('a name the services refuse shows next to the name field', async ({ page }) => {
  await page.goto('/blueprints/new');
  await page.getByTestId('project').selectOption({ label: 'Storefront' });
  await page.getByTestId('name').fill(name);
  await page.getByTestId('create').click();
  // Passes the browser's checks; the services answer CONFLICT with an issue on `name`.
  await expect(page.getByTestId('error-name')).toHaveText('a live blueprint with this name already exists in the project');
  await expect(page).toHaveURL(/\/blueprints\/new$/);
  const matches = await rpcQuery<{ items: { name: string }[] }>(page.request, 'blueprints.list', { search: name, archived: 'all' });
  expect(matches.items.filter((b) => b.name === name)).toHaveLength(1);
});

type TGraph = { components: { id: string; name: string; region: string; properties: Record<string, unknown> }[] };
const graphOf = async (page: Page) => (await rpcQuery<{ graph: TGraph }>(page.request, 'blueprints.byId', { id })).graph;

test('a conflict keeps the edits, shows what changed meanwhile, and re-applies them on top of the newest version', async ({ page }) => {
  await page.goto(`/blueprints/${id}/edit`);
  await expect(page.getByTestId('save')).toHaveText('Save version 3');
  // Someone else saves version 3 (another database engine) while this editor still shows version 2.
  const theirs = await graphOf(page);
  theirs.components.find((c) => c.id === 'db')!.properties.engine = 'aurora-postgres';
  await rpcMutation(page.request, 'blueprints.saveVersion', { id, baseVersion: 2, graph: theirs, message: 'Concurrent save: aurora' });

  const web = await componentIndex(page, 'web');
  await page.getByTestId(`component-${web}-name`).fill('e2e-web-renamed');
  await page.getByTestId('message').fill('Rename the web node');
  await page.getByTestId('save').click();
  const conflict = page.getByTestId('conflict');
  await expect(conflict).toContainText('Someone saved version 3 while you were editing.');
  await expect(conflict).toContainText('your edits are still here');
  await expect(conflict.getByTestId('diff-changed-db').getByTestId('diff-change')).toContainText(/properties\.engine\s*postgres\s*aurora-postgres/);
  await expect(conflict.getByTestId('diff-result')).toContainText('Concurrent save: aurora');
  await expect(page.getByTestId(`component-${web}-name`)).toHaveValue('e2e-web-renamed');
  await expect(page.getByTestId('save')).toBeDisabled();
  expect((await versionsOf(page)).length).toBe(3);

  await conflict.getByTestId('conflict-apply').click();
  await expect(page.getByTestId('conflict')).toHaveCount(0);
  await expect(page.getByTestId('rebased')).toContainText('Your edits now build on v3 (you started from v2)');
  await expect(page.getByTestId('rebased')).toContainText('No change of yours overlapped with v3.');
  await expect(page.getByTestId('save')).toHaveText('Save version 4');
  await expect(page.getByTestId(`component-${await componentIndex(page, 'web')}-name`)).toHaveValue('e2e-web-renamed');
  await expect(page.getByTestId(`component-${await componentIndex(page, 'db')}-properties`)).toHaveValue(/aurora-postgres/);
  await expect(page.getByTestId('message')).toHaveValue('Rename the web node');
  await page.getByTestId('save').click();

  await expect(page.getByTestId('saved-notice')).toHaveText('Saved version 4.');
  const saved = await graphOf(page);
  expect(saved.components.find((c) => c.id === 'web')!.name).toBe('e2e-web-renamed');
  expect(saved.components.find((c) => c.id === 'db')!.properties.engine).toBe('aurora-postgres');
});

test('after a conflict, discarding the edits is a deliberate, confirmed choice', async ({ page }) => {
  await page.goto(`/blueprints/${id}/edit`);
  await expect(page.getByTestId('save')).toHaveText('Save version 5');
  const theirs = await graphOf(page);
  theirs.components.find((c) => c.id === 'cache')!.region = 'eu-central-1';
  await rpcMutation(page.request, 'blueprints.saveVersion', { id, baseVersion: 4, graph: theirs, message: 'Concurrent save: move the cache' });

  const web = await componentIndex(page, 'web');
  await page.getByTestId(`component-${web}-name`).fill('e2e-web-mine');
  await page.getByTestId('message').fill('My change');
  await page.getByTestId('save').click();
  await expect(page.getByTestId('conflict')).toContainText('Someone saved version 5');

  await page.getByTestId('conflict-discard').click();
  await expect(page.getByTestId('confirm-dialog')).toContainText('Discard your edits and load v5?');
  await page.getByTestId('confirm-cancel').click();
  await expect(page.getByTestId(`component-${web}-name`)).toHaveValue('e2e-web-mine');

  await page.getByTestId('conflict-discard').click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('conflict')).toHaveCount(0);
  await expect(page.getByTestId(`component-${await componentIndex(page, 'web')}-name`)).toHaveValue('e2e-web-renamed');
  await expect(page.getByTestId(`component-${await componentIndex(page, 'cache')}-region`)).toHaveValue('eu-central-1');
  await expect(page.getByTestId('message')).toHaveValue('');
  await expect(page.getByTestId('save')).toHaveText('Save version 6');
  await expect(page.getByTestId('save')).toBeDisabled();
  expect((await versionsOf(page)).map((v) => v.number)).toEqual([5, 4, 3, 2, 1]);
});

test('archive hides it from the live list; restore brings it back', async ({ page }) => {
  await page.goto(`/blueprints/${id}`);
  await page.getByTestId('archive-blueprint').click();
  await expect(page.getByTestId('confirm-dialog')).toContainText(`Archive “${name}”?`);
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('archived-banner')).toBeVisible();
  await expect(page.getByTestId('edit-blueprint')).toHaveCount(0);
  await expect(page.getByTestId('restore-blueprint')).toBeVisible();

  await page.goto(`/blueprints?q=${encodeURIComponent(name)}`);
  await expect(page.getByTestId('empty-state')).toBeVisible();
  await page.getByTestId('filter-archived').selectOption('archived');
  await expect(page).toHaveURL(/archived=archived/);
  await expect(page.getByRole('link', { name, exact: true })).toBeVisible();
  expect((await findBlueprint(page.request, name, 'live')) ?? null).toBeNull();

  await page.getByRole('link', { name, exact: true }).click();
  await page.getByTestId('restore-blueprint').click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('archived-banner')).toHaveCount(0);
  await expect(page.getByTestId('edit-blueprint')).toBeVisible();
  await page.goto(`/blueprints?q=${encodeURIComponent(name)}`);
  await expect(page.getByRole('link', { name, exact: true })).toBeVisible();
});

test('a new blueprint can start as a copy of another', async ({ page }) => {
  const copyName = uniqueName('E2E copied design');
  await page.goto('/blueprints/new');
  await page.getByTestId('project').selectOption({ label: 'Mobile Backend' });
  await page.getByTestId('name').fill(copyName);
  await page.getByTestId('start-copy').check();
  await page.getByTestId('copy-search').fill('Three-tier web app');
  const option = page.getByTestId('copy-source').locator('option', { hasText: /^Three-tier web app \(v3, 11 components\)$/ });
  await expect(option.first()).toBeAttached();
  await page.getByTestId('copy-source').selectOption((await option.first().getAttribute('value'))!);
  await expect(page.getByTestId('component-editor').locator('tbody')).toHaveCount(11);
  await page.getByTestId('create').click();
  await expect(page.getByTestId('blueprint-name')).toHaveText(copyName);
  created.push(page.url().split('/').pop()!);
  await expect(page.getByTestId('components-table').locator('tbody tr')).toHaveCount(11);
  await expect(page.getByTestId('blueprint-project')).toHaveText('Mobile Backend');
});
