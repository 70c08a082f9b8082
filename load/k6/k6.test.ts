import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../runner/scenarios';

/**
 * k6 cannot run on our machines, so its scripts are checked for what can go wrong without it: syntax (node --check
 * parses ES modules without resolving `k6` imports), the exports k6 needs, and the link to load/scenarios.json.
 */
const dir = import.meta.dirname;
const scenarios = loadScenarioFile();
const scripts = ['baseline', 'stress', 'spike', 'soak'];

function parse(file: string) {
  const text = readFileSync(resolve(dir, file), 'utf8');
  const out = ts.transpileModule(text, { fileName: file, reportDiagnostics: true, compilerOptions: { allowJs: true, module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const exported = new Set<string>();
  const imports: string[] = [];
  for (const st of source.statements) {
    const mods = ts.canHaveModifiers(st) ? (ts.getModifiers(st) ?? []) : [];
    const isExport = mods.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    const isDefault = mods.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) imports.push(st.moduleSpecifier.text);
    if (!isExport) continue;
    if (isDefault) exported.add('default');
    else if (ts.isFunctionDeclaration(st) && st.name) exported.add(st.name.text);
    else if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) exported.add(d.name.text);
  }
  return { text, diagnostics: out.diagnostics ?? [], exported, imports };
}

describe('k6 scripts', () => {
  it.each(['lib.js', ...scripts.map((s) => `${s}.js`)])('%s is a syntactically valid ES module', (file) => {
    const r = spawnSync(process.execPath, ['--check', resolve(dir, file)], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(parse(file).diagnostics).toEqual([]);
  });

  it('lib.js reads load/scenarios.json and builds k6 options from it', () => {
    const lib = parse('lib.js');
    expect(lib.text).toContain("open('../scenarios.json')");
    expect(lib.text).toContain("new Rate('cache_hits')");
    expect(lib.text).toMatch(/new Counter\('http_429'\)[\s\S]*new Counter\('http_503'\)/);
    expect(lib.text).toContain('__ENV.BASE_URL');
    expect(lib.imports).toEqual(expect.arrayContaining(['k6/http', 'k6', 'k6/metrics']));
    expect([...lib.exported]).toEqual(expect.arrayContaining(['buildOptions', 'setupRun', 'iteration', 'teardownRun']));
  });

  it('lib.js walks the same steps as the Node runner', async () => {
    const { STEPS } = await import('../runner/mix');
    expect(parse('lib.js').text).toContain(`const STEPS = [${STEPS.map((s) => `'${s}'`).join(', ')}];`);
  });

  it.each(scripts)('%s.js exports options, setup, default and teardown for its scenario in scenarios.json', (name) => {
    const script = parse(`${name}.js`);
    expect(scenarios.scenarios[name]).toBeDefined();
    expect(script.imports).toEqual(['./lib.js']);
    for (const e of ['options', 'setup', 'default', 'teardown']) expect(script.exported.has(e), e).toBe(true);
    expect(script.text).toContain(`buildOptions('${name}')`);
    expect(script.text).toContain(`iteration('${name}', data)`);
  });
});
