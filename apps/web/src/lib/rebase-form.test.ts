import { describe, expect, it } from 'vitest';
import type { TBlueprintGraph } from '@dharma/db/blueprint-graph';
import { formToGraph, graphToForm, type TGraphForm } from './graph-form';
import { rebaseForm } from './rebase-form';

const graph = (): TBlueprintGraph => ({
  components: [
    { id: 'web', kind: 'vm', name: 'web', cloud: 'aws', region: 'eu-west-1', properties: { size: 'm', disk: 20 }, tags: { Owner: 'a' }, position: { x: 1, y: 1 } },
    { id: 'db', kind: 'database', name: 'db', cloud: 'aws', region: 'eu-west-1', properties: { engine: 'postgres' }, tags: {} },
  ],
  relations: [{ from: 'web', to: 'db', type: 'connects_to', properties: { port: 5432 } }],
});

const edit = (g: TBlueprintGraph, change: (g: TBlueprintGraph) => void): TBlueprintGraph => {
  const copy = structuredClone(g);
  change(copy);
  return copy;
};

function rebase(mine: TGraphForm, theirs: TBlueprintGraph, meta: { mine?: Partial<{ name: string; description: string }>; theirs?: Partial<{ name: string; description: string }> } = {}) {
  const base = graph();
  return rebaseForm({
    base: { form: graphToForm(base), name: 'Shop', description: '' },
    mine: { form: mine, name: 'Shop', description: '', ...meta.mine },
    theirs: { form: graphToForm(theirs), name: 'Shop', description: '', version: 3, ...meta.theirs },
  });
}

const component = (form: TGraphForm, id: string) => formToGraph(form).graph?.components.find((c) => c.id === id);

describe('rebaseForm', () => {
  it('keeps both sides when they changed different things', () => {
    const mine = graphToForm(edit(graph(), (g) => (g.components[0]!.name = 'web-renamed')));
    const theirs = edit(graph(), (g) => {
      g.components[1]!.properties = { engine: 'mysql' };
      g.components.push({ id: 'cache', kind: 'cache', name: 'cache', cloud: 'aws', region: 'eu-west-1', properties: {}, tags: {} });
    });
    const out = rebase(mine, theirs);
    expect(out.conflicts).toEqual([]);
    expect(component(out.form, 'web')?.name).toBe('web-renamed');
    expect(component(out.form, 'db')?.properties).toEqual({ engine: 'mysql' });
    expect(component(out.form, 'cache')).toBeDefined();
    expect(new Set(out.form.components.map((c) => c.key)).size).toBe(3);
  });

  it('merges properties key by key and reports a key both changed, keeping the user’s value', () => {
    const mine = graphToForm(edit(graph(), (g) => (g.components[0]!.properties = { size: 'l', disk: 20 })));
    const theirs = edit(graph(), (g) => (g.components[0]!.properties = { size: 'xl', disk: 50 }));
    const out = rebase(mine, theirs);
    expect(component(out.form, 'web')?.properties).toEqual({ size: 'l', disk: 50 });
    expect(out.conflicts).toEqual(['component “web”, properties.size: you and version 3 both changed it; yours is kept.']);
  });

  it('honours removals on either side unless the other side changed the removed thing', () => {
    const mine = graphToForm(edit(graph(), (g) => (g.relations = [])));
    const theirs = edit(graph(), (g) => (g.relations[0]!.properties = { port: 5433 }));
    const out = rebase(mine, theirs);
    expect(out.form.relations).toEqual([]);
    expect(out.conflicts).toEqual(['relation web → db (connects_to): you removed it, version 3 changed it; it stays removed.']);

    const untouched = graphToForm(graph());
    const dropped = edit(graph(), (g) => {
      g.components = g.components.filter((c) => c.id !== 'db');
      g.relations = [];
    });
    const clean = rebase(untouched, dropped);
    expect(clean.form.components.map((c) => c.id)).toEqual(['web']);
    expect(clean.form.relations).toEqual([]);
    expect(clean.conflicts).toEqual([]);
  });

  it('keeps a component the user changed when the other side removed it, and says so', () => {
    const mine = graphToForm(edit(graph(), (g) => (g.components[1]!.region = 'eu-central-1')));
    const theirs = edit(graph(), (g) => {
      g.components = g.components.filter((c) => c.id !== 'db');
      g.relations = [];
    });
    const out = rebase(mine, theirs);
    expect(component(out.form, 'db')?.region).toBe('eu-central-1');
    expect(out.conflicts).toEqual(['component “db”: version 3 removed it, you changed it; yours is kept.']);
  });

  it('merges the name and description like fields, and keeps text the user left invalid', () => {
    const mine = graphToForm(graph());
    mine.components[0]!.tags = '{"Owner": ';
    const theirs = edit(graph(), (g) => (g.components[0]!.tags = { Owner: 'b' }));
    const out = rebase(mine, theirs, { mine: { name: 'Shop v2' }, theirs: { name: 'Shop 2', description: 'Theirs' } });
    expect(out.form.components[0]!.tags).toBe('{"Owner": ');
    expect(out.name).toBe('Shop v2');
    expect(out.description).toBe('Theirs');
    expect(out.conflicts).toEqual([
      'component “web”, tags: you and version 3 both changed it; yours is kept.',
      'Name: you set “Shop v2”, version 3 has “Shop 2”; yours is kept.',
    ]);
  });
});
