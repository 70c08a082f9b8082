import { createServer } from 'node:http';
import { createDeps } from './deps';
import { loadServicesEnv } from './env';
import { createRequestListener } from './http';

let env;
try {
  env = loadServicesEnv();
} catch (error) {
  console.error(`services: ${(error as Error).message}`);
  process.exit(1);
}
const deps = createDeps(env);
const server = createServer(createRequestListener(deps));
server.keepAliveTimeout = 65_000;
server.listen(env.SERVICES_PORT, env.SERVICES_HOST, () => {
  console.log(`services: listening on http://${env.SERVICES_HOST}:${env.SERVICES_PORT} (tRPC at /trpc, cache: ${deps.store.kind}, pgbouncer panel: ${deps.pgbouncer ? 'on' : 'off'})`);
});

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    server.close();
    server.closeIdleConnections();
    void deps.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  });
}
