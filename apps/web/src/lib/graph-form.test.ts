import { describe, expect, it } from 'vitest';
import { formToGraph, graphToForm, issuesAt, newComponentRow, newRelationRow, renameComponent, type TGraphForm } from './graph-form';

const form = (): TGraphForm => ({
  components: [
    { ...newComponentRow({ cloud: 'aws', region: 'eu-west-1' }), id: 'web', name: 'web', properties: '{"size": "m"}' },
    { ...newComponentRow({ cloud: 'aws', region: 'eu-west-1', kind: 'database' }), id: 'db', name: 'db' },
  ],
  relations: [newRelationRow('web', 'db')],
});

describe('formToGraph', () => {
  it('turns valid rows into a graph', () => {
    const { graph, issues } = formToGraph(form());
    expect(issues).toEqual([]);
    expect(graph?.components.map((c) => c.id)).toEqual(['web', 'db']);
    expect(graph?.components[0]?.properties).toEqual({ size: 'm' });
    expect(graph?.relations).toEqual([{ from: 'web', to: 'db', type: 'depends_on', properties: {} }]);
  });

  it('reports invalid JSON as an issue on that box, in the services key format', () => {
    const f = form();
    f.components[1]!.tags = '{"Owner": ';
    f.relations[0]!.properties = '[1, 2]';
    const { graph, issues } = formToGraph(f);
    expect(graph).toBeNull();
    expect(issues.map((i) => i.field)).toEqual(['graph.components[1].tags', 'graph.relations[0].properties']);
    expect(issues[0]!.message).toMatch(/^invalid JSON/);
    expect(issues[1]!.message).toMatch(/must be a JSON object/);
  });

  it('flags a relation to a removed component and schema errors with their field', () => {
    const f = form();
    f.components = f.components.filter((c) => c.id !== 'db');
    f.components[0]!.name = ' ';
    const { graph, issues } = formToGraph(f);
    expect(graph).toBeNull();
    expect(issues).toContainEqual({ field: 'graph.components[0].name', message: 'must not be empty' });
    const dangling = formToGraph({ ...form(), components: form().components.slice(0, 1) });
    expect(dangling.issues).toContainEqual({ field: 'graph.relations[0].to', message: 'refers to unknown component "db"' });
  });

  it('round-trips a graph, keeping positions', () => {
    const graph = { components: [{ id: 'a', kind: 'vm' as const, name: 'a', cloud: 'gcp' as const, region: 'x', properties: { n: 1 }, tags: { T: 'v' }, position: { x: 1, y: 2 } }], relations: [] };
    expect(formToGraph(graphToForm(graph)).graph).toEqual(graph);
  });
});

describe('issuesAt', () => {
  const issues = [
    { field: 'graph.components[1].properties.size', message: 'too long' },
    { field: 'graph.components[1]', message: 'duplicate' },
    { field: 'graph.components[10].name', message: 'empty' },
  ];
  it('collects nested issues under a field, and not those of a longer index', () => {
    expect(issuesAt(issues, 'graph.components[1].properties')).toEqual(['size: too long']);
    expect(issuesAt(issues, 'graph.components[1]', false)).toEqual(['duplicate']);
    expect(issuesAt(issues, 'graph.components[1].name')).toEqual([]);
  });
});

describe('renameComponent', () => {
  it('moves relations along with a renamed component', () => {
    const next = renameComponent(form(), 1, 'database');
    expect(next.components[1]!.id).toBe('database');
    expect(next.relations[0]).toMatchObject({ from: 'web', to: 'database' });
  });
});
