import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { INFRA_DIR, REPO_DIR, readInfra, yamlDocument } from './files';

interface TComposeService {
  image?: string;
  build?: { context?: string; dockerfile?: string };
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null>;
  volumes?: string[];
  configs?: { source: string; target: string }[];
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: { test?: string[] };
}
export interface TCompose {
  services: Record<string, TComposeService>;
  volumes?: Record<string, unknown>;
  configs?: Record<string, { content?: string; file?: string }>;
}

export const loadCompose = () => yamlDocument<TCompose>('docker-compose.yml');

/** `${VAR}`, `${VAR:-default}`, `${VAR:?error}` references in the compose file (`$$` escapes excluded). */
export function composeVariables(text: string): Set<string> {
  return new Set([...text.replaceAll('$$', '').matchAll(/\$\{([A-Z0-9_]+)(?::?[-?][^}]*)?\}/g)].map((m) => m[1]!));
}

/** Compose's interpolation with the given values: what a service's environment becomes at `up`. */
export function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::?([-?])([^}]*))?\}/g, (_, name: string, op?: string, arg?: string) => vars[name] ?? (op === '-' ? (arg ?? '') : ''));
}

/** infra/.env.example as name -> example value. */
export function envExample(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readInfra('.env.example').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

/** Dockerfile problems: COPY sources that do not exist, workspaces missing from the install layer, ignore file. */
export function dockerfileProblems(dockerfileRel: string): string[] {
  const problems: string[] = [];
  const text = readFileSync(join(REPO_DIR, dockerfileRel), 'utf8');
  const copies = [...text.matchAll(/^COPY\s+(?!--from)(.+)$/gm)].map((m) => m[1]!.trim().split(/\s+/).slice(0, -1));
  for (const src of copies.flat()) if (src !== '.' && !existsSync(join(REPO_DIR, src))) problems.push(`${dockerfileRel}: COPY source ${src} does not exist`);
  const copied = new Set(copies.flat());
  for (const root of ['apps', 'packages']) {
    for (const name of readdirSync(join(REPO_DIR, root))) {
      const manifest = `${root}/${name}/package.json`;
      if (existsSync(join(REPO_DIR, manifest)) && !copied.has(manifest)) problems.push(`${dockerfileRel}: workspace manifest ${manifest} is not copied before npm install`);
    }
  }
  const ignore = join(REPO_DIR, `${dockerfileRel}.dockerignore`);
  if (!existsSync(ignore)) problems.push(`${dockerfileRel}: no ${dockerfileRel}.dockerignore (the context is the whole repository)`);
  else {
    const rules = readFileSync(ignore, 'utf8');
    for (const must of ['**/node_modules', '.stack', '.git', '**/.env']) if (!rules.split('\n').includes(must)) problems.push(`${dockerfileRel}.dockerignore: must exclude ${must}`);
  }
  return problems;
}

/** Everything in the compose file that points at something that does not exist. */
export function composeProblems(compose: TCompose): string[] {
  const problems: string[] = [];
  const names = new Set(Object.keys(compose.services));
  for (const [name, svc] of Object.entries(compose.services)) {
    if (!svc.image && !svc.build) problems.push(`${name}: neither image nor build`);
    if (svc.image && !svc.build && (!/:[\w.-]+$/.test(svc.image) || svc.image.endsWith(':latest'))) problems.push(`${name}: image ${svc.image} is not pinned to a tag`);
    if (svc.build) {
      const context = resolve(INFRA_DIR, svc.build.context ?? '.');
      const dockerfile = join(context, svc.build.dockerfile ?? 'Dockerfile');
      if (!existsSync(dockerfile)) problems.push(`${name}: dockerfile ${dockerfile} does not exist`);
    }
    for (const v of svc.volumes ?? []) {
      const [src] = v.split(':');
      if (src!.startsWith('.')) {
        if (!existsSync(resolve(INFRA_DIR, src!))) problems.push(`${name}: bind mount source ${src} does not exist`);
      } else if (!(src! in (compose.volumes ?? {}))) problems.push(`${name}: named volume ${src} is not declared`);
    }
    for (const c of svc.configs ?? []) if (!compose.configs?.[c.source]) problems.push(`${name}: config ${c.source} is not declared`);
    const deps = Array.isArray(svc.depends_on) ? svc.depends_on : Object.keys(svc.depends_on ?? {});
    for (const d of deps) if (!names.has(d)) problems.push(`${name}: depends_on unknown service ${d}`);
  }
  return problems;
}
