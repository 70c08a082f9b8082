import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

/** Absolute path of infra/. */
export const INFRA_DIR = fileURLToPath(new URL('..', import.meta.url));
export const REPO_DIR = join(INFRA_DIR, '..');

export const infraPath = (...parts: string[]) => join(INFRA_DIR, ...parts);
export const readInfra = (...parts: string[]) => readFileSync(infraPath(...parts), 'utf8');

/** Files under infra/ (relative paths), node_modules excluded. */
export function infraFiles(filter: (rel: string) => boolean = () => true): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (filter(relative(INFRA_DIR, full))) out.push(relative(INFRA_DIR, full));
    }
  };
  walk(INFRA_DIR);
  return out.sort();
}

export const isYaml = (rel: string) => /\.ya?ml$/.test(rel);

/** Every document of a YAML file, parsed strictly (merge keys resolved): a syntax error or duplicate key throws. */
export function yamlDocuments(rel: string): unknown[] {
  const docs = parseAllDocuments(readInfra(rel), { uniqueKeys: true, merge: true });
  return docs.map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${rel}: ${doc.errors.map((e) => e.message).join('; ')}`);
    return doc.toJS();
  }).filter((d) => d !== null && d !== undefined);
}

export function yamlDocument<T>(rel: string): T {
  const [doc, ...rest] = yamlDocuments(rel);
  if (rest.length > 0) throw new Error(`${rel}: expected one YAML document, found ${rest.length + 1}`);
  return doc as T;
}
