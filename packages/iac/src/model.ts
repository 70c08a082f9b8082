/**
 * The generators' neutral model: the resources a blueprint becomes, with references between them and variables for
 * what must not be written down (secrets). A mapping per (cloud, kind) builds it; a writer per format prints it.
 */

/** Another component's resource attribute: `aws_vpc.vpc.id`; `all` for every instance of a counted resource. */
export class Ref {
  constructor(
    readonly componentId: string,
    readonly attr: string,
    readonly all = false,
  ) {}
}

/** A generated input variable (a Terraform variable, a CloudFormation parameter, a Pulumi secret config). */
export class Var {
  constructor(readonly name: string) {}
}

/** A nested block (`versioning { ... }`), as opposed to an attribute whose value is a map. */
export class Block {
  constructor(readonly body: TAttrs) {}
}

/** An expression of the format's own (the instance index of a counted resource, a data source's attribute). */
export class Expr {
  constructor(readonly text: string) {}
}

export type TValue = string | number | boolean | null | Ref | Var | Expr | Block | TValue[] | { [key: string]: TValue };
export type TAttrs = { [key: string]: TValue };

export interface TResource {
  componentId: string;
  type: string;
  /** The resource's local name, unique in the generation. */
  name: string;
  /** Instances of one resource (`count`), e.g. a subnet per availability zone. */
  count?: number;
  attrs: TAttrs;
  /** Components this one must follow that no attribute refers to. */
  dependsOn: string[];
  /** The provider instance (a region other than the primary one). */
  region: string;
}

export interface TVariable {
  name: string;
  description: string;
  type: 'string' | 'number';
  sensitive: boolean;
}

export interface TDataSource {
  type: string;
  name: string;
  attrs: TAttrs;
  region: string;
}

export interface TPlan {
  cloud: 'aws' | 'azure' | 'gcp';
  /** The region most components use: the default provider's. */
  primaryRegion: string;
  regions: string[];
  resources: TResource[];
  variables: TVariable[];
  data: TDataSource[];
}

export interface TGeneratedFile {
  path: string;
  content: string;
}

/** An object without its undefined entries: optional arguments are left out of the output, not written as null. */
export function defined<V>(entries: Record<string, V | undefined>): Record<string, V> {
  return Object.fromEntries(Object.entries(entries).filter((e): e is [string, V] => e[1] !== undefined));
}
