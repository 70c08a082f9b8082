import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { asPlainPromql, DASHBOARD_FILES, dashboardExprs, dashboardProblems, loadDashboards } from './testing/dashboards';
import { INFRA_DIR, infraFiles, isYaml, readInfra, yamlDocument, yamlDocuments } from './testing/files';
import { metricSelectors } from './testing/promql';
import { scrapeLiveServices } from './testing/services';

function promtool(...args: string[]): { code: number | null; output: string } {
  const r = spawnSync('promtool', args, { cwd: INFRA_DIR, encoding: 'utf8' });
  if (r.error) throw new Error(`cannot run promtool (apt-get install -y prometheus): ${r.error.message}`);
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

interface TRules { groups: { name: string; rules: { alert?: string; record?: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> }[] }[] }
const alertRules = () => yamlDocument<TRules>('prometheus/alerts.yml').groups.flatMap((g) => g.rules);
const alertExprs = () => alertRules().map((r) => ({ where: `alerts.yml ${r.alert ?? r.record}`, expr: r.expr }));

/** infra/exporter-metrics.txt: metric names from the exporters' own documentation, grouped by `# exporter`. */
function exporterMetricList(): string[] {
  return readInfra('exporter-metrics.txt').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

describe('Prometheus configuration', () => {
  it('promtool accepts prometheus.yml (and finds its rule files)', () => {
    const r = promtool('check', 'config', 'prometheus/prometheus.yml');
    expect(r.code, r.output).toBe(0);
  });

  it('promtool accepts alerts.yml', () => {
    const r = promtool('check', 'rules', 'prometheus/alerts.yml');
    expect(r.code, r.output).toBe(0);
  });

  it('the alerts fire (and stay quiet) as alerts.test.yml expects', () => {
    const r = promtool('test', 'rules', 'prometheus/alerts.test.yml');
    expect(r.code, r.output).toBe(0);
  });

  it('every alert has for:, a severity and summary/description annotations', () => {
    const problems = alertRules().filter((r) => r.alert).flatMap((r) => {
      const p: string[] = [];
      if (!r.for) p.push(`${r.alert}: no for:`);
      if (!['critical', 'warning', 'info'].includes(r.labels?.severity ?? '')) p.push(`${r.alert}: severity ${r.labels?.severity}`);
      if (!r.annotations?.summary || !r.annotations.description) p.push(`${r.alert}: summary and description required`);
      return p;
    });
    expect(problems).toEqual([]);
  });
});

describe('Grafana dashboards', () => {
  it('are the four expected files, each valid JSON with panels, unique ids, exprs and the prometheus datasource', () => {
    const dashboards = loadDashboards();
    expect(dashboards.map((d) => d.file)).toEqual(DASHBOARD_FILES);
    expect(dashboards.flatMap(({ file, dashboard }) => dashboardProblems(file, dashboard))).toEqual([]);
    expect(new Set(dashboards.map((d) => d.dashboard.uid)).size).toBe(dashboards.length);
  });

  it('every dashboard query is valid PromQL (parsed by promtool as recording rules)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dharma-dashboards-'));
    try {
      const rules = dashboardExprs().map(({ expr }, i) => ({ record: `dashboard:query_${i}`, expr: asPlainPromql(expr) }));
      writeFileSync(join(dir, 'dashboards.rules.yml'), stringify({ groups: [{ name: 'dashboards', rules }] }));
      const r = promtool('check', 'rules', join(dir, 'dashboards.rules.yml'));
      expect(r.code, r.output).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are provisioned from the folder the compose file mounts, against the datasource uid they use', () => {
    const ds = yamlDocument<{ datasources: { uid: string; type: string; url: string }[] }>('grafana/provisioning/datasources/prometheus.yml');
    expect(ds.datasources).toEqual([expect.objectContaining({ uid: 'prometheus', type: 'prometheus', url: 'http://prometheus:9090' })]);
    const providers = yamlDocument<{ providers: { options: { path: string } }[] }>('grafana/provisioning/dashboards/dashboards.yml').providers;
    expect(providers.map((p) => p.options.path)).toEqual(['/var/lib/grafana/dashboards']);
    expect(readInfra('docker-compose.yml')).toContain('./grafana/dashboards:/var/lib/grafana/dashboards:ro');
  });
});

describe('metric names in dashboards and alerts', () => {
  let exposed: Map<string, Set<string>>;
  const exprs = () => [...dashboardExprs(), ...alertExprs()];

  beforeAll(async () => {
    exposed = await scrapeLiveServices();
  });

  it('the live services export their histograms, counters and gauges after real calls', () => {
    for (const name of [
      'dharma_trpc_requests_total', 'dharma_trpc_request_duration_seconds_bucket', 'dharma_cache_operations_total',
      'dharma_cache_operation_duration_seconds_bucket', 'dharma_db_transaction_duration_seconds_bucket', 'dharma_business_events_total',
      'dharma_pgbouncer_up', 'dharma_pgbouncer_client_waiting', 'dharma_cache_store_up', 'dharma_nodejs_eventloop_lag_p99_seconds',
    ]) {
      expect(exposed.has(name), name).toBe(true);
    }
  });

  it('each is exported by our services or listed in exporter-metrics.txt', () => {
    const listed = new Set(exporterMetricList());
    const unknown = exprs().flatMap(({ where, expr }) =>
      metricSelectors(expr)
        .filter((s) => s.metric === '' || (!exposed.has(s.metric) && !listed.has(s.metric)))
        .map((s) => `${where}: ${s.metric || '(selector without a metric name)'}`),
    );
    expect(unknown).toEqual([]);
  });

  it('label matchers on our metrics name labels the services export (job and instance come from Prometheus)', () => {
    const wrong = exprs().flatMap(({ where, expr }) =>
      metricSelectors(expr)
        .filter((s) => exposed.has(s.metric))
        .flatMap((s) => s.labels.filter((l) => !['job', 'instance'].includes(l) && !exposed.get(s.metric)!.has(l)).map((l) => `${where}: ${s.metric}{${l}}`)),
    );
    expect(wrong).toEqual([]);
  });

  it('exporter-metrics.txt lists only exporter metrics, each once, each used somewhere', () => {
    const list = exporterMetricList();
    const used = new Set(exprs().flatMap(({ expr }) => metricSelectors(expr).map((s) => s.metric)));
    expect(list.filter((m) => m.startsWith('dharma_')), 'our own metrics are proven by the scrape, not listed').toEqual([]);
    expect(list.filter((m, i) => list.indexOf(m) !== i), 'duplicates').toEqual([]);
    expect(list.filter((m) => !used.has(m)), 'listed but unused').toEqual([]);
    expect(list.filter((m) => !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(m)), 'not metric names').toEqual([]);
  });
});

describe('YAML under infra/', () => {
  it('every file parses (all documents, duplicate keys rejected)', () => {
    const files = infraFiles(isYaml);
    expect(files.length).toBeGreaterThan(10);
    const failures: string[] = [];
    for (const f of files) {
      try {
        if (yamlDocuments(f).length === 0) failures.push(`${f}: empty`);
      } catch (error) {
        failures.push(String((error as Error).message));
      }
    }
    expect(failures).toEqual([]);
  });
});
