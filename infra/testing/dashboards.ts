import { readInfra, infraFiles } from './files';

export interface TPanel {
  id?: number;
  type?: string;
  title?: string;
  datasource?: { type?: string; uid?: string };
  targets?: { expr?: string; refId?: string; datasource?: { uid?: string } }[];
}
export interface TDashboard {
  uid?: string;
  title?: string;
  schemaVersion?: number;
  panels?: TPanel[];
}

export const DASHBOARD_FILES = ['api-performance.json', 'database.json', 'pgbouncer.json', 'redis-cache.json'];

export function loadDashboards(): { file: string; dashboard: TDashboard }[] {
  return infraFiles((rel) => rel.startsWith('grafana/dashboards/') && rel.endsWith('.json')).map((rel) => ({
    file: rel.slice('grafana/dashboards/'.length),
    dashboard: JSON.parse(readInfra(rel)) as TDashboard,
  }));
}

/** Structural problems of one dashboard: panels, ids, targets, datasource. Empty when it is fine. */
export function dashboardProblems(file: string, d: TDashboard): string[] {
  const problems: string[] = [];
  if (!d.uid || !d.title) problems.push(`${file}: uid and title are required`);
  if (typeof d.schemaVersion !== 'number' || d.schemaVersion < 36) problems.push(`${file}: schemaVersion ${d.schemaVersion} (want ~39)`);
  const panels = d.panels ?? [];
  if (panels.length === 0) problems.push(`${file}: no panels`);
  const ids = new Set<number>();
  for (const p of panels) {
    const where = `${file} panel ${p.id} "${p.title}"`;
    if (typeof p.id !== 'number') problems.push(`${where}: no numeric id`);
    else if (ids.has(p.id)) problems.push(`${where}: duplicate id`);
    else ids.add(p.id);
    if (!p.title) problems.push(`${where}: no title`);
    if (p.datasource?.uid !== 'prometheus') problems.push(`${where}: datasource uid ${p.datasource?.uid} (want prometheus)`);
    const targets = p.targets ?? [];
    if (targets.length === 0) problems.push(`${where}: no targets`);
    for (const t of targets) {
      if (!t.expr || t.expr.trim() === '') problems.push(`${where}: target ${t.refId} has no expr`);
      if (t.datasource && t.datasource.uid !== 'prometheus') problems.push(`${where}: target ${t.refId} datasource ${t.datasource.uid}`);
    }
  }
  return problems;
}

/** Every PromQL expression of every dashboard, labelled for messages. */
export function dashboardExprs(): { where: string; expr: string }[] {
  return loadDashboards().flatMap(({ file, dashboard }) =>
    (dashboard.panels ?? []).flatMap((p) => (p.targets ?? []).map((t) => ({ where: `${file} panel ${p.id} "${p.title}" ${t.refId}`, expr: t.expr ?? '' }))),
  );
}

/** Grafana's range variables replaced by a duration Prometheus accepts, so promtool can parse the query. */
export const asPlainPromql = (expr: string) => expr.replaceAll('$__rate_interval', '5m').replaceAll('$__interval', '1m').replaceAll('$__range', '1h');
