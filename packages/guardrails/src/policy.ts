import { celEnv, isCelError, parse, plan } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export const ENFORCEMENTS = ['advisory', 'soft', 'hard'] as const;
export type TSeverity = (typeof SEVERITIES)[number];
export type TEnforcement = (typeof ENFORCEMENTS)[number];

/**
 * A guardrail: a CEL expression that is true when a component (or, with `target: 'blueprint'`, the whole design)
 * complies. `kinds` narrows which components it looks at (empty: every kind); `when` (CEL, optional) narrows further,
 * e.g. to production. Advisory findings inform; soft ones block unless someone allowed to overrides them with a
 * reason; hard ones block until fixed or waived.
 */
export interface TPolicy {
  key: string;
  name: string;
  description: string;
  severity: TSeverity;
  enforcement: TEnforcement;
  target: 'component' | 'blueprint';
  kinds: readonly string[];
  when?: string;
  expression: string;
  /** What a failure says, e.g. "storage must be encrypted at rest". */
  message: string;
  enabled: boolean;
}

export type TCompiled = (bindings: Record<string, unknown>) => { ok: true; value: boolean } | { ok: false; error: string };

/** Where and why an expression does not compile: CEL's own message, with its line and column. */
export class PolicyCompileError extends Error {
  constructor(
    readonly field: 'expression' | 'when',
    readonly detail: string,
  ) {
    super(`${field} does not compile: ${detail}`);
  }
}

const env = celEnv({ funcs: strings });

/** Converts JSON to CEL values: objects become maps (plain objects are not maps to CEL), numbers stay doubles. */
export function toCel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toCel);
  if (value !== null && typeof value === 'object') return new Map(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  return value;
}

/** Compiles one expression; throws PolicyCompileError naming the field and CEL's reason. */
export function compileExpression(source: string, field: 'expression' | 'when'): TCompiled {
  let program: (ctx?: Record<string, unknown>) => unknown;
  try {
    program = plan(env, parse(source)) as (ctx?: Record<string, unknown>) => unknown;
  } catch (error) {
    throw new PolicyCompileError(field, (error as Error).message.replace(/^<input>:/, 'at '));
  }
  return (bindings) => {
    let result: unknown;
    try {
      result = program(bindings);
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    }
    if (isCelError(result)) return { ok: false, error: result.message };
    if (typeof result !== 'boolean') return { ok: false, error: `${field} gave ${typeof result === 'bigint' ? 'an int' : typeof result}, not a bool` };
    return { ok: true, value: result };
  };
}
