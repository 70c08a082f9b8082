import { expect, test, type APIRequestContext, type Page } from '@playwright/test';

export const SEEDED = {
  threeTier: 'Three-tier web app',
  analytics: 'Analytics data platform',
  serverless: 'Serverless mobile API',
  gke: 'GKE orders service',
  globexData: 'Globex data platform',
} as const;

/** Signs in through the development sign-in page, as a user would, and waits for the list. */
export async function signIn(page: Page, email: string) {
  await page.goto('/signin');
  await page.getByTestId(`signin-${email}`).click();
  await expect(page).toHaveURL(/\/blueprints(\?|$)/);
  await expect(page.getByTestId('user-name')).toBeVisible();
}

/** A name no earlier run used, so reruns never collide on "unique per project". */
export const uniqueName = (prefix: string) => `${prefix} ${Date.now()}-${Math.floor(Math.random() * 1e4)}`;

interface TRpcOk<T> {
  result: { data: T };
}

/**
 * Calls a procedure through the console's own proxy with the page's session cookie: used only to set up or
 * inspect state (fixtures, "nothing was saved" checks), never to perform the flow under test.
 */
export async function rpcQuery<T>(request: APIRequestContext, path: string, input?: unknown): Promise<T> {
  const qs = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const res = await request.get(`/api/trpc/${path}${qs}`);
  expect(res.status(), `${path}: ${await res.text()}`).toBe(200);
  return ((await res.json()) as TRpcOk<T>).result.data;
}

export async function rpcMutation<T>(request: APIRequestContext, path: string, input: unknown): Promise<T> {
  const res = await request.post(`/api/trpc/${path}`, { data: input, headers: { 'content-type': 'application/json' } });
  expect(res.status(), `${path}: ${await res.text()}`).toBe(200);
  return ((await res.json()) as TRpcOk<T>).result.data;
}

export interface TProject {
  id: string;
  name: string;
}

export interface TListed {
  id: string;
  name: string;
  cloud: string;
  status: string;
  currentVersion: number;
}

export async function findBlueprint(request: APIRequestContext, name: string, archived: 'live' | 'archived' | 'all' = 'live'): Promise<TListed | undefined> {
  const list = await rpcQuery<{ items: TListed[] }>(request, 'blueprints.list', { search: name, archived, pageSize: 100 });
  return list.items.find((b) => b.name === name);
}

export async function projectByName(request: APIRequestContext, name: string): Promise<TProject> {
  const projects = await rpcQuery<TProject[]>(request, 'projects.list');
  const p = projects.find((x) => x.name === name);
  if (!p) throw new Error(`no project named ${name}`);
  return p;
}

/** A small valid graph: two components and a relation. */
export function smallGraph(prefix = 'e2e') {
  return {
    components: [
      { id: 'api', kind: 'function', name: `${prefix}-api`, cloud: 'aws', region: 'eu-west-1', properties: { memoryMb: 256 }, tags: { Owner: 'e2e' } },
      { id: 'table', kind: 'database', name: `${prefix}-table`, cloud: 'aws', region: 'eu-west-1', properties: { engine: 'dynamodb' }, tags: {} },
    ],
    relations: [{ from: 'api', to: 'table', type: 'connects_to', properties: {} }],
  };
}

/** Fills one component row of the graph editor. */
export async function fillComponent(page: Page, i: number, c: { id: string; kind: string; name: string; region: string; properties?: string; tags?: string }) {
  await page.getByTestId(`component-${i}-id`).fill(c.id);
  await page.getByTestId(`component-${i}-kind`).selectOption(c.kind);
  await page.getByTestId(`component-${i}-name`).fill(c.name);
  await page.getByTestId(`component-${i}-region`).fill(c.region);
  if (c.properties !== undefined) await page.getByTestId(`component-${i}-properties`).fill(c.properties);
  if (c.tags !== undefined) await page.getByTestId(`component-${i}-tags`).fill(c.tags);
}

/** The editor row holding component `id` (the services store components ordered by id, not as typed). */
export async function componentIndex(page: Page, id: string): Promise<number> {
  const ids = await page.locator('[data-testid^="component-"][data-testid$="-id"]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  const i = ids.indexOf(id);
  if (i < 0) throw new Error(`no component row with id ${id} (rows: ${ids.join(', ')})`);
  return i;
}

/** A fresh blueprint in the acme Storefront project (two components, one relation), made through the proxy. */
export async function createFixture(request: APIRequestContext, prefix: string): Promise<{ id: string; name: string }> {
  const storefront = await projectByName(request, 'Storefront');
  const name = uniqueName(prefix);
  const { id } = await rpcMutation<{ id: string }>(request, 'blueprints.create', { projectId: storefront.id, name, cloud: 'aws', graph: smallGraph('fixture') });
  return { id, name };
}

/** The page scrolls only vertically: nothing sticks out sideways (wide tables scroll inside their own box). */
export async function expectNoSideScroll(page: Page) {
  await expect
    .poll(() => page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth), { message: `sideways scroll on ${page.url()}` })
    .toBeLessThanOrEqual(0);
}

/**
 * For a describe block: signs in as `email` before each test, and after them all archives the blueprints the tests
 * pushed to the returned list, so fixtures never pile up in the seeded tenant other specs read.
 */
export function signedInArchivingAfterwards(email: string): string[] {
  const created: string[] = [];
  test.beforeEach(async ({ page }) => {
    await signIn(page, email);
  });
  test.afterAll(async ({ browser }) => {
    const page = await browser.newPage();
    await signIn(page, email);
    for (const id of created) await rpcMutation(page.request, 'blueprints.archive', { id });
    await page.close();
  });
  return created;
}
