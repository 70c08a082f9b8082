import type { TBlueprintGraph, TComponent } from '@dharma/db/blueprint-graph';
import { Ref, Var, type TAttrs, type TVariable } from '../model';

/**
 * What a mapping may ask while it turns one component into resource attributes: its related components by kind
 * (a subnet's network, a database's subnets), and a variable for a secret. Relations count in either direction
 * for `contains` and `depends_on` (designers draw them both ways); `connects_to` is traffic, never a reference.
 */
export interface TMapContext {
  component: TComponent;
  /** The related component of this kind (the nearest by relation order), if any. */
  related: (kind: TComponent['kind']) => TComponent | undefined;
  /** A reference to a related component's attribute; `all` for a counted resource's every instance. */
  ref: (target: TComponent, attr: string, all?: boolean) => Ref;
  /** Declares a sensitive variable for one of this component's secrets and returns it. */
  secret: (property: string, description: string) => Var;
  /** The component's property, or the fallback (the catalog's default). */
  prop: TProp;
  /** The component's own resource name, for the supporting resources it adds (`localName` of its id). */
  own: string;
  /** Components referenced through `ref`, so the writer does not also list them in depends_on. */
  referenced: Set<string>;
}

export interface TProp {
  (name: string, fallback: string): string;
  (name: string, fallback: number): number;
  (name: string, fallback: boolean): boolean;
  <T>(name: string, fallback: T): T;
}

/** A component's resource name in HCL (`app-subnets` -> `app_subnets`; an id starting with a digit gets `c_`). */
export function localName(componentId: string): string {
  const name = componentId.replace(/-/g, '_');
  return /^[a-z_]/.test(name) ? name : `c_${name}`;
}

export function createContext(graph: TBlueprintGraph, component: TComponent, variables: TVariable[]): TMapContext {
  const byId = new Map(graph.components.map((c) => [c.id, c]));
  const neighbours: TComponent[] = [];
  for (const r of graph.relations) {
    if (r.type === 'connects_to') continue;
    const other = r.from === component.id ? r.to : r.to === component.id ? r.from : null;
    const found = other === null ? undefined : byId.get(other);
    if (found && found.cloud === component.cloud && !neighbours.includes(found)) neighbours.push(found);
  }
  const referenced = new Set<string>();
  return {
    component,
    own: localName(component.id),
    referenced,
    related: (kind) => neighbours.find((n) => n.kind === kind),
    ref: (target, attr, all = false) => {
      referenced.add(target.id);
      return new Ref(target.id, attr, all);
    },
    secret: (property, description) => {
      const name = `${localName(component.id)}_${property.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`)}`;
      if (!variables.some((v) => v.name === name)) variables.push({ name, description, type: 'string', sensitive: true });
      return new Var(name);
    },
    prop: ((name: string, fallback: unknown) => component.properties[name] ?? fallback) as TProp,
  };
}

/** Lower-case label keys and values (GCP's rule): letters, digits, `_` and `-`, at most 63 characters. */
export function gcpLabels(tags: Record<string, string>): TAttrs {
  const clean = (s: string) => s.toLowerCase().replace(/[^a-z0-9_-]/g, '_').slice(0, 63);
  return Object.fromEntries(Object.entries(tags).map(([k, v]) => [clean(k), clean(v)]));
}
