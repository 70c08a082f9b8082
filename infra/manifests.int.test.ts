import { describe, expect, it } from 'vitest';
import { loadServicesEnv, servicesEnvShape } from '../apps/services/src/env';
import { ownerEnvShape, parseEnv } from '../packages/db/src/env';
import { composeProblems, composeVariables, dockerfileProblems, envExample, interpolate, loadCompose } from './testing/compose';
import { readInfra, yamlDocument } from './testing/files';
import { containerEnv, deploymentContainer, k8sProblems, resolvePort } from './testing/k8s';

/* No Docker engine and no cluster here: these checks are static. They catch what breaks `up` and `apply` first:
 * missing files, names that point nowhere, ports and probes that do not line up, env the processes reject. */

/** .env.example with every REPLACE_ME filled in: long enough for every password rule, URL-safe. */
const composeValues = Object.fromEntries(
  Object.entries(envExample()).map(([k, v]) => [k, v === 'REPLACE_ME' ? `${k.toLowerCase()}-0123456789abcdef0123456789abcdef` : v]),
);
const envOf = (service: string) => {
  const env = loadCompose().services[service]?.environment ?? {};
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolate(String(v ?? ''), composeValues)]));
};
const required = (shape: Record<string, { safeParse: (v: unknown) => { success: boolean } }>) => Object.keys(shape).filter((k) => !shape[k]!.safeParse(undefined).success);

describe('docker-compose.yml', () => {
  it('references only files, volumes, configs and services that exist, with pinned images', () => {
    expect(composeProblems(loadCompose())).toEqual([]);
  });

  it('every ${VARIABLE} it uses is documented in .env.example, and nothing else is', () => {
    expect([...composeVariables(readInfra('docker-compose.yml'))].sort()).toEqual(Object.keys(envExample()).sort());
  });

  it('gives the services an environment they accept: PgBouncer for queries, Redis with a password, all interfaces', () => {
    const env = loadServicesEnv(envOf('services'));
    expect(new URL(env.DATABASE_URL).host).toBe('pgbouncer:6432');
    expect(new URL(env.DATABASE_URL).username).toBe('app_user');
    expect(new URL(env.PGBOUNCER_ADMIN_URL!).pathname).toBe('/pgbouncer');
    expect(new URL(env.PGBOUNCER_ADMIN_URL!).username).toBe('dharma_monitor');
    expect(env.REDIS_URL).toMatch(/^redis:\/\/:[^@]+@redis:6379$/);
    expect(env.SERVICES_HOST).toBe('0.0.0.0');
    expect(env.DEV_LOGIN).toBe(false);
  });

  it('migrates and seeds as app_owner directly against Postgres, never through PgBouncer', () => {
    for (const job of ['migrate', 'seed']) {
      const env = parseEnv(ownerEnvShape, envOf(job));
      expect(new URL(env.DATABASE_OWNER_URL).host, job).toBe('postgres:5432');
      expect(new URL(env.DATABASE_OWNER_URL).username, job).toBe('app_owner');
    }
    expect(Object.keys(envOf('bootstrap')).sort()).toEqual(['DATABASE_ADMIN_URL', 'DB_APP_PASSWORD', 'DB_NAME', 'DB_OWNER_PASSWORD']);
    const compose = loadCompose();
    expect(compose.services.migrate?.depends_on).toEqual({ bootstrap: { condition: 'service_completed_successfully' } });
    expect(compose.services.services?.depends_on).toMatchObject({ migrate: { condition: 'service_completed_successfully' } });
  });

  it('health-checks the services on /readyz and points the web console at them', () => {
    const compose = loadCompose();
    expect(compose.services.services?.healthcheck?.test?.join(' ')).toContain('http://127.0.0.1:4000/readyz');
    expect(envOf('web').SERVICES_URL).toBe('http://services:4000');
  });

  it('feeds PgBouncer a userlist with the three users pgbouncer.ini names', () => {
    const userlist = loadCompose().configs?.pgbouncer_userlist?.content ?? '';
    expect([...userlist.matchAll(/^"([a-z_]+)"/gm)].map((m) => m[1])).toEqual(['app_user', 'dharma_admin', 'dharma_monitor']);
    expect(readInfra('pgbouncer/userlist.txt.example').match(/^"([a-z_]+)"/gm)).toEqual(['"app_user"', '"dharma_admin"', '"dharma_monitor"']);
  });

  it('has Prometheus scrape compose services only', () => {
    const prom = yamlDocument<{ scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[] }>('prometheus/prometheus.yml');
    const services = new Set(Object.keys(loadCompose().services));
    const targets = prom.scrape_configs.flatMap((j) => j.static_configs.flatMap((s) => s.targets));
    expect(targets.filter((t) => !t.startsWith('localhost:') && !services.has(t.split(':')[0]!))).toEqual([]);
    expect(targets).toContain('services:4000');
  });

  it('builds from Dockerfiles whose COPY sources exist and whose install layer includes every workspace', () => {
    expect([...dockerfileProblems('infra/docker/Dockerfile.services'), ...dockerfileProblems('infra/docker/Dockerfile.web')]).toEqual([]);
    expect(readInfra('docker/Dockerfile.services')).toContain('CMD ["npx", "tsx", "apps/services/src/server.ts"]');
    expect(readInfra('docker/Dockerfile.web')).toMatch(/npm run build -w @dharma\/web[\s\S]*CMD \["npm", "run", "start", "-w", "@dharma\/web"\]/);
  });
});

describe('Kubernetes manifests', () => {
  it('are consistent: names, kustomization, selectors, ports, probes, env and volume sources, HPA targets', () => {
    expect(k8sProblems()).toEqual([]);
  });

  it('run the services with 2 replicas, readiness on /readyz and liveness on /healthz at port 4000', () => {
    const { deployment, container } = deploymentContainer('dharma-services', 'services');
    expect(deployment.spec?.replicas).toBe(2);
    const containers = [container];
    expect(container.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(resolvePort(containers, container.readinessProbe?.httpGet?.port)).toBe(4000);
    expect(container.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(resolvePort(containers, container.livenessProbe?.httpGet?.port)).toBe(4000);
  });

  it('provide every variable the services require, and the Secret template cannot start them by accident', () => {
    const env = containerEnv('dharma-services', 'services');
    const missing = required(servicesEnvShape).filter((k) => !(k in env));
    expect(missing).toEqual([]);
    expect(() => loadServicesEnv(env)).toThrow(/DATABASE_URL[\s\S]*AUTH_SECRET|AUTH_SECRET[\s\S]*DATABASE_URL/);
    const filled = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, k === 'AUTH_SECRET' ? 'x'.repeat(64) : v.replace(/^REPLACE_ME /, '')]));
    const parsed = loadServicesEnv(filled);
    expect(new URL(parsed.DATABASE_URL).host).toBe('dharma-pgbouncer:6432');
    expect(parsed.SERVICES_PORT).toBe(4000);
    expect(parsed.DEV_LOGIN).toBe(false);
    expect('DATABASE_OWNER_URL' in env, 'the runtime pods must not hold the owner password').toBe(false);
  });
});
