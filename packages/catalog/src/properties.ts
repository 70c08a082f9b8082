/**
 * What a component's properties may be: one spec per property, from which the console builds its forms and the
 * validator checks a version. Plain data, shared by the services and the browser.
 */
export type TPropType = 'string' | 'integer' | 'number' | 'boolean' | 'string[]' | 'object' | 'object[]';

export interface TPropSpec {
  name: string;
  type: TPropType;
  label: string;
  required?: boolean;
  /** The values a string (or each item of a string[]) may take. */
  enum?: readonly string[];
  min?: number;
  max?: number;
  /** A regular expression a string (or each item) must match, with what it means for the message. */
  pattern?: { source: string; means: string };
  /** Used when the property is absent (the generators write it, the forms show it). */
  default?: string | number | boolean;
  /** A credential: never stored in a blueprint; the generators make it a variable or parameter. */
  secret?: boolean;
  help?: string;
}

type TOptions = Omit<TPropSpec, 'name' | 'type' | 'label'>;
const spec = (type: TPropType) => (name: string, label: string, o: TOptions = {}): TPropSpec => ({ name, type, label, ...o });
export const str = spec('string');
export const int = spec('integer');
export const num = spec('number');
export const bool = spec('boolean');
export const strs = spec('string[]');
export const obj = spec('object');
export const objs = spec('object[]');

export const CIDR = { source: '^\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}$', means: 'an IPv4 CIDR block such as 10.0.0.0/16' };
