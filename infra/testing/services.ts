import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDeps } from '../../apps/services/src/deps';
import { loadServicesEnv } from '../../apps/services/src/env';
import { createRequestListener } from '../../apps/services/src/http';
import { scratchTenant } from '../../apps/services/src/testing/harness';
import { smallGraph } from '../../apps/services/src/testing/graphs';
import { createClient, isApiError } from '../../packages/sdk/src/client';
import { exposedMetrics } from './exposition';

async function expectApiError(p: Promise<unknown>, code: string) {
  try {
    await p;
  } catch (error) {
    if (isApiError(error) && error.data?.code === code) return;
    throw error;
  }
  throw new Error(`expected ${code}`);
}

/**
 * Starts a real services process (in-process, on the local stack), makes the calls that make every counter and
 * histogram appear (reads twice for a miss then a hit, a bad input, a create, an archive), scrapes /metrics and
 * returns the metric names with their label names.
 */
export async function scrapeLiveServices(): Promise<Map<string, Set<string>>> {
  const deps = createDeps(loadServicesEnv({ ...process.env, DEV_LOGIN: 'true' }));
  const server = createServer(createRequestListener(deps));
  try {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const anon = createClient(base, '');
    const directory = await anon.identity.devDirectory.query();
    const ada = directory.find((u) => u.email === 'ada@acme.test');
    if (!ada) throw new Error('seeded user ada@acme.test missing: run npm run db:migrate && npm run db:seed');
    const asAda = createClient(base, (await anon.identity.devSignIn.mutate({ userId: ada.userId })).token);

    // Reads, each twice: the first may miss, the second hits.
    for (let round = 0; round < 2; round++) {
      const [projects, list] = await Promise.all([asAda.projects.list.query(), asAda.blueprints.list.query({ pageSize: 5 })]);
      if (projects.length === 0 || list.items.length === 0) throw new Error('ada sees no projects or blueprints: run npm run db:seed');
      await asAda.blueprints.byId.query({ id: list.items[0]!.id });
    }
    await expectApiError(asAda.blueprints.byId.query({ id: 'not-a-uuid' }), 'BAD_REQUEST');
    await expectApiError(asAda.blueprints.byId.query({ id: '00000000-0000-4000-8000-000000000000' }), 'NOT_FOUND');

    // Writes go to a throw-away tenant, so the seeded tenants the console tests browse stay as seeded.
    const scratch = await scratchTenant('infra-metrics');
    const asAdmin = createClient(base, (await anon.identity.devSignIn.mutate({ userId: scratch.admin.userId })).token);
    const created = await asAdmin.blueprints.create.mutate({ projectId: scratch.projectId, name: 'Metrics probe', cloud: 'aws', graph: smallGraph() });
    await asAdmin.blueprints.saveVersion.mutate({ id: created.id, baseVersion: 1, graph: smallGraph('t3.nano'), message: 'probe' });
    await asAdmin.blueprints.archive.mutate({ id: created.id });
    await asAdmin.blueprints.list.query({ archived: 'all' });

    // GC timings exist only once a collection has run in this process (the services' metrics live here): allocate
    // enough for young-generation collections, and give the GC observer a moment to report them.
    let allocated = 0;
    for (let i = 0; i < 200; i++) allocated += new Array(100_000).fill(i).length;
    if (allocated === 0) throw new Error('unreachable');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const res = await fetch(`${base}/metrics`);
    if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
    return exposedMetrics(await res.text());
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await deps.close();
  }
}
