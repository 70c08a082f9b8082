import { readInfra, infraFiles, yamlDocument, yamlDocuments } from './files';

/* Just enough of the Kubernetes types to walk the manifests; everything is optional because it is what we check. */
interface TPort { name?: string; containerPort?: number }
interface TProbe { httpGet?: { path?: string; port?: number | string }; tcpSocket?: { port?: number | string } }
interface TContainer {
  name: string;
  image?: string;
  ports?: TPort[];
  readinessProbe?: TProbe;
  livenessProbe?: TProbe;
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  env?: { name: string; valueFrom?: { configMapKeyRef?: { name: string; key: string }; secretKeyRef?: { name: string; key: string } } }[];
  volumeMounts?: { name: string; subPath?: string }[];
  resources?: { requests?: { cpu?: string; memory?: string }; limits?: { memory?: string } };
}
interface TPodSpec { containers?: TContainer[]; volumes?: { name: string; configMap?: { name: string }; secret?: { secretName: string } }[] }
export interface TK8sObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: {
    type?: string;
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> } & Record<string, string>;
    template?: { metadata?: { labels?: Record<string, string> }; spec?: TPodSpec };
    ports?: { port?: number; targetPort?: number | string }[];
    scaleTargetRef?: { kind?: string; name?: string };
  };
}

export const K8S_DIR = 'k8s/';

export function loadK8s(): { file: string; obj: TK8sObject }[] {
  return infraFiles((rel) => rel.startsWith(K8S_DIR) && /\.ya?ml$/.test(rel) && !rel.endsWith('kustomization.yaml')).flatMap((file) =>
    yamlDocuments(file).map((obj) => ({ file, obj: obj as TK8sObject })),
  );
}

const subset = (a: Record<string, string> = {}, b: Record<string, string> = {}) => Object.keys(a).length > 0 && Object.entries(a).every(([k, v]) => b[k] === v);

/** The numeric container port a probe or Service targetPort refers to, by number or by name. */
export function resolvePort(containers: TContainer[], port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return containers.some((c) => c.ports?.some((p) => p.containerPort === port)) ? port : undefined;
  for (const c of containers) for (const p of c.ports ?? []) if (p.name === port) return p.containerPort;
  return undefined;
}

/** Everything wrong with the manifests as a whole; empty when they are consistent. */
export function k8sProblems(): string[] {
  const problems: string[] = [];
  const all = loadK8s();
  const byKind = (kind: string) => all.filter((o) => o.obj.kind === kind).map((o) => o.obj);
  const named = (kind: string, name: string) => byKind(kind).find((o) => o.metadata?.name === name);
  const keysOf = (o: TK8sObject | undefined) => new Set(Object.keys({ ...o?.data, ...o?.stringData }));

  const seen = new Set<string>();
  for (const { file, obj } of all) {
    if (!obj.apiVersion || !obj.kind || !obj.metadata?.name) problems.push(`${file}: a document lacks apiVersion, kind or metadata.name`);
    const id = `${obj.kind}/${obj.metadata?.name}`;
    if (seen.has(id)) problems.push(`${file}: ${id} defined twice`);
    seen.add(id);
  }

  const kustomization = yamlDocument<{ resources?: string[]; namespace?: string }>(`${K8S_DIR}kustomization.yaml`);
  const listed = new Set(kustomization.resources ?? []);
  const files = new Set(all.map((o) => o.file.slice(K8S_DIR.length)));
  for (const f of files) if (!listed.has(f)) problems.push(`kustomization.yaml does not list ${f}`);
  for (const f of listed) if (!files.has(f)) problems.push(`kustomization.yaml lists missing ${f}`);

  const workloads = [...byKind('Deployment'), ...byKind('Job')];
  for (const w of workloads) {
    const name = `${w.kind}/${w.metadata?.name}`;
    const labels = w.spec?.template?.metadata?.labels;
    if (w.kind === 'Deployment' && !subset(w.spec?.selector?.matchLabels, labels)) problems.push(`${name}: selector does not match the pod template labels`);
    const pod = w.spec?.template?.spec ?? {};
    const containers = pod.containers ?? [];
    for (const c of containers) {
      const where = `${name} container ${c.name}`;
      if (!c.image) problems.push(`${where}: no image`);
      if (!c.resources?.requests?.cpu || !c.resources.requests.memory || !c.resources.limits?.memory) problems.push(`${where}: needs cpu/memory requests and a memory limit`);
      for (const [kind, probe] of [['readiness', c.readinessProbe], ['liveness', c.livenessProbe]] as const) {
        const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port;
        if (probe && resolvePort([c], port) === undefined) problems.push(`${where}: ${kind} probe port ${port} is not a container port`);
      }
      for (const ref of c.envFrom ?? []) {
        if (ref.configMapRef && !named('ConfigMap', ref.configMapRef.name)) problems.push(`${where}: envFrom ConfigMap ${ref.configMapRef.name} missing`);
        if (ref.secretRef && !named('Secret', ref.secretRef.name)) problems.push(`${where}: envFrom Secret ${ref.secretRef.name} missing`);
      }
      for (const e of c.env ?? []) {
        const cm = e.valueFrom?.configMapKeyRef;
        const sec = e.valueFrom?.secretKeyRef;
        if (cm && !keysOf(named('ConfigMap', cm.name)).has(cm.key)) problems.push(`${where}: env ${e.name} refers to missing ConfigMap key ${cm.name}/${cm.key}`);
        if (sec && !keysOf(named('Secret', sec.name)).has(sec.key)) problems.push(`${where}: env ${e.name} refers to missing Secret key ${sec.name}/${sec.key}`);
      }
      for (const m of c.volumeMounts ?? []) {
        const v = pod.volumes?.find((x) => x.name === m.name);
        const source = v?.configMap ? named('ConfigMap', v.configMap.name) : v?.secret ? named('Secret', v.secret.secretName) : undefined;
        if (!v || !source) problems.push(`${where}: volume ${m.name} has no existing ConfigMap/Secret behind it`);
        else if (m.subPath && !keysOf(source).has(m.subPath)) problems.push(`${where}: subPath ${m.subPath} is not a key of volume ${m.name}`);
      }
    }
  }

  const deployments = byKind('Deployment');
  for (const s of byKind('Service')) {
    if (s.spec?.type === 'ExternalName') continue;
    const targets = deployments.filter((d) => subset(s.spec?.selector, d.spec?.template?.metadata?.labels));
    if (targets.length === 0) problems.push(`Service/${s.metadata?.name}: selector matches no Deployment`);
    for (const p of s.spec?.ports ?? []) {
      if (!targets.some((d) => resolvePort(d.spec?.template?.spec?.containers ?? [], p.targetPort ?? p.port) !== undefined)) problems.push(`Service/${s.metadata?.name}: targetPort ${p.targetPort} resolves to no container port`);
    }
  }
  for (const pdb of byKind('PodDisruptionBudget')) {
    if (!deployments.some((d) => subset(pdb.spec?.selector?.matchLabels, d.spec?.template?.metadata?.labels))) problems.push(`PodDisruptionBudget/${pdb.metadata?.name}: selector matches no Deployment`);
  }
  for (const hpa of byKind('HorizontalPodAutoscaler')) {
    const target = hpa.spec?.scaleTargetRef;
    const d = target?.kind === 'Deployment' ? named('Deployment', target.name ?? '') : undefined;
    if (hpa.apiVersion !== 'autoscaling/v2') problems.push(`HPA/${hpa.metadata?.name}: apiVersion ${hpa.apiVersion}`);
    if (!d) problems.push(`HPA/${hpa.metadata?.name}: scaleTargetRef ${target?.kind}/${target?.name} missing`);
    else if (!(d.spec?.template?.spec?.containers ?? []).every((c) => c.resources?.requests?.cpu)) problems.push(`HPA/${hpa.metadata?.name}: CPU utilisation needs cpu requests on every container`);
  }

  const ini = named('ConfigMap', 'dharma-pgbouncer')?.data?.['pgbouncer.ini'];
  if (ini !== readInfra('pgbouncer/pgbouncer.ini')) problems.push('ConfigMap dharma-pgbouncer pgbouncer.ini differs from infra/pgbouncer/pgbouncer.ini');
  return problems;
}

/** The env a container would get from its envFrom ConfigMaps and Secrets. */
export function containerEnv(deployment: string, container: string): Record<string, string> {
  const all = loadK8s().map((o) => o.obj);
  const d = all.find((o) => o.kind === 'Deployment' && o.metadata?.name === deployment);
  const c = d?.spec?.template?.spec?.containers?.find((x) => x.name === container);
  if (!c) throw new Error(`no container ${container} in Deployment ${deployment}`);
  const env: Record<string, string> = {};
  for (const ref of c.envFrom ?? []) {
    const kind = ref.configMapRef ? 'ConfigMap' : 'Secret';
    const name = ref.configMapRef?.name ?? ref.secretRef?.name;
    const src = all.find((o) => o.kind === kind && o.metadata?.name === name);
    Object.assign(env, src?.data, src?.stringData);
  }
  return env;
}

export function deploymentContainer(deployment: string, container: string) {
  const d = loadK8s().map((o) => o.obj).find((o) => o.kind === 'Deployment' && o.metadata?.name === deployment);
  const c = d?.spec?.template?.spec?.containers?.find((x) => x.name === container);
  if (!d || !c) throw new Error(`no container ${container} in Deployment ${deployment}`);
  return { deployment: d, container: c };
}
