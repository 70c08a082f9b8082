import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { AggregatorRegistry } from 'prom-client';
import { EnvError, envErrorLines } from '@dharma/db/env';
import { createDeps } from './deps';
import { loadServicesEnv, type TServicesEnv } from './env';
import { createRequestListener } from './http';

/**
 * The services' entry point. The primary process only supervises: it forks WORKERS processes that share one port
 * (node:cluster hands each accepted connection to a worker in turn), restarts any that dies, so a crash costs only
 * that worker's in-flight requests while the others keep answering, and stops them all on SIGTERM/SIGINT.
 * WORKERS=0 serves from this one process, unsupervised (profiling, debugging).
 */
let env: TServicesEnv;
try {
  env = loadServicesEnv();
} catch (error) {
  for (const line of error instanceof EnvError ? envErrorLines('services', error) : [`services: ${(error as Error).message}`]) console.error(line);
  process.exit(1);
}

if (cluster.isPrimary && env.WORKERS > 0) supervise(env);
else serve(env);

/** Messages between a worker and the primary for `/metrics` across the cluster. */
const METRICS_REQ = 'dharma:metrics';
const METRICS_RES = 'dharma:metrics:res';
type TMetricsMessage = { type: typeof METRICS_REQ; id: number } | { type: typeof METRICS_RES; id: number; text?: string; error?: string };

function supervise(env: TServicesEnv): void {
  // Workers accept connections from the shared socket themselves. With Node's default on Linux (round robin), the
  // primary accepts each connection and hands it to a worker, one at a time per worker, waiting for the worker's
  // acknowledgement, which a busy worker's event loop sends late: thousands of new connections (a spike's users
  // arriving) queued in the primary for up to 30 s while the workers had capacity. Must be set before forking.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  // A worker asked for /metrics: prom-client's aggregator collects every worker's registry and sums it (gauges that
  // read a shared dependency, such as PgBouncer's pools, take one reading).
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: TMetricsMessage) => {
    if (message?.type !== METRICS_REQ) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: METRICS_RES, id: message.id, text }),
      (error: unknown) => worker.send({ type: METRICS_RES, id: message.id, error: String((error as Error)?.message ?? error) }),
    );
  });
  const started = new Map<number, number>();
  let stopping = false;
  let quickDeaths = 0;
  const fork = () => {
    const worker = cluster.fork();
    started.set(worker.id, Date.now());
  };
  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (started.get(worker.id) ?? Date.now());
    started.delete(worker.id);
    if (stopping) return;
    // A worker that dies at once (a bad deploy, a port taken) would be restarted in a tight loop: back off.
    quickDeaths = lived < 5000 ? quickDeaths + 1 : 0;
    const delay = Math.min(5000, quickDeaths * 500);
    console.error(`services: worker ${worker.process.pid} exited (${signal ?? `code ${code}`}) after ${Math.round(lived / 1000)} s; starting another${delay ? ` in ${delay} ms` : ''}`);
    setTimeout(fork, delay);
  });
  let listening = 0;
  cluster.on('listening', () => {
    listening += 1;
    if (listening === env.WORKERS) {
      console.log(`services: listening on http://${env.SERVICES_HOST}:${env.SERVICES_PORT} with ${env.WORKERS} worker process(es) (tRPC at /trpc)`);
    }
  });
  for (let i = 0; i < env.WORKERS; i++) fork();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
      const done = () => {
        if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      };
      cluster.on('exit', done);
      done();
      setTimeout(() => process.exit(0), 7000).unref();
    });
  }
}

/** The whole cluster's metrics, from the primary (one IPC round trip; prom-client asks each worker). */
function clusterMetrics(): () => Promise<string> {
  let next = 0;
  const waiting = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>();
  process.on('message', (message: TMetricsMessage) => {
    if (message?.type !== METRICS_RES) return;
    const w = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.text !== undefined) w?.resolve(message.text);
    else w?.reject(new Error(message.error ?? 'no metrics'));
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      process.send?.({ type: METRICS_REQ, id });
      setTimeout(() => {
        if (waiting.delete(id)) reject(new Error('the cluster primary did not answer for /metrics within 5 s'));
      }, 5000).unref();
    });
}

function serve(env: TServicesEnv): void {
  const deps = createDeps(env);
  let metrics: (() => Promise<string>) | undefined;
  if (cluster.isWorker) {
    // Answers the primary's requests for this worker's registry (prom-client's cluster protocol).
    new AggregatorRegistry();
    AggregatorRegistry.setRegistries([deps.metrics.registry]);
    metrics = clusterMetrics();
  }
  const server = createServer(
    {
      // Clients keep sockets open between requests (k6, browsers, the SDK): never close one they may be reusing
      // before they do, and bound how long a slow client may take to send its headers.
      keepAliveTimeout: env.KEEP_ALIVE_TIMEOUT_MS,
      headersTimeout: 30_000,
      requestTimeout: 60_000,
    },
    createRequestListener(deps, metrics ? { metrics } : {}),
  );
  server.listen({ port: env.SERVICES_PORT, host: env.SERVICES_HOST, backlog: env.LISTEN_BACKLOG }, () => {
    if (cluster.isWorker) return;
    console.log(`services: listening on http://${env.SERVICES_HOST}:${env.SERVICES_PORT} (tRPC at /trpc, cache: ${deps.store.kind}, pgbouncer panel: ${deps.pgbouncer ? 'on' : 'off'})`);
  });

  let stopping = false;
  // A worker stops when its supervisor says so (SIGTERM); a terminal's Ctrl-C reaches the whole process group, and
  // the supervisor turns it into that SIGTERM, so a worker does not race it to exit and get restarted.
  if (cluster.isWorker) process.on('SIGINT', () => {});
  for (const signal of cluster.isWorker ? (['SIGTERM'] as const) : (['SIGTERM', 'SIGINT'] as const)) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      server.close();
      server.closeIdleConnections();
      void deps.close().finally(() => process.exit(0));
      setTimeout(() => process.exit(0), 5000).unref();
    });
  }
}
