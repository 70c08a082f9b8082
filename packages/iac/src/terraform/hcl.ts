import { Block, Expr, Ref, Var, type TAttrs, type TValue } from '../model';

/**
 * HCL as `terraform fmt` writes it, so generated files pass `terraform fmt -check` unchanged: two-space indents;
 * the `=` of consecutive one-line attributes aligned; an attribute whose value spans lines, and every block, ends
 * such a run (hclwrite's rule). Map keys sorted, so the same input always prints the same bytes.
 */

export type TRefName = (ref: Ref) => string;

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** A quoted HCL string. `${` and `%{` are doubled so they stay text (a replacement function: in a replacement
 * string `$$` would mean one `$`). */
export function hclString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t').replace(/\$\{/g, () => '$${').replace(/%\{/g, '%%{')}"`;
}

const isScalar = (v: TValue): boolean => v === null || typeof v !== 'object' || v instanceof Ref || v instanceof Var || v instanceof Expr;

function scalar(v: TValue, refName: TRefName): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return hclString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Ref) return refName(v);
  if (v instanceof Var) return `var.${v.name}`;
  if (v instanceof Expr) return v.text;
  throw new Error('hcl: not a scalar');
}

/** A value as lines: one line when it fits on one, else an opening line, indented lines and a closing line. */
function valueLines(v: TValue, indent: string, refName: TRefName): string[] {
  if (isScalar(v)) return [scalar(v, refName)];
  if (Array.isArray(v)) {
    if (v.length === 0) return ['[]'];
    if (v.every(isScalar)) {
      const inline = `[${v.map((x) => scalar(x, refName)).join(', ')}]`;
      if (inline.length <= 100) return [inline];
    }
    const inner = indent + '  ';
    const lines = ['['];
    for (const item of v) {
      const itemLines = valueLines(item, inner, refName);
      lines.push(inner + itemLines[0]!, ...itemLines.slice(1));
      lines[lines.length - 1] += ',';
    }
    lines.push(`${indent}]`);
    return lines;
  }
  if (v instanceof Block) throw new Error('hcl: a block is not a value');
  const entries = Object.entries(v as Record<string, TValue>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return ['{}'];
  return ['{', ...bodyLines(Object.fromEntries(entries.map(([k, x]) => [IDENT.test(k) ? k : hclString(k), x])), indent + '  ', refName, false), `${indent}}`];
}

/**
 * The lines of a body (a block's or an object's). `blocks`: whether Block values print as nested blocks (a resource
 * body) or are refused (an object value cannot hold one).
 */
export function bodyLines(attrs: TAttrs, indent: string, refName: TRefName, blocks = true): string[] {
  const out: string[] = [];
  let run: { key: string; value: string }[] = [];
  const flush = () => {
    const width = Math.max(0, ...run.map((r) => r.key.length));
    for (const r of run) out.push(`${indent}${r.key.padEnd(width)} = ${r.value}`);
    run = [];
  };
  for (const [key, value] of Object.entries(attrs)) {
    const asBlocks = value instanceof Block ? [value] : Array.isArray(value) && value.length > 0 && value.every((x) => x instanceof Block) ? (value as Block[]) : null;
    if (asBlocks) {
      if (!blocks) throw new Error(`hcl: ${key} is a block inside an object value`);
      flush();
      for (const b of asBlocks) out.push(`${indent}${key} {`, ...bodyLines(b.body, indent + '  ', refName), `${indent}}`);
      continue;
    }
    const lines = valueLines(value, indent, refName);
    if (lines.length === 1) {
      run.push({ key, value: lines[0]! });
      continue;
    }
    flush();
    out.push(`${indent}${key} = ${lines[0]}`, ...lines.slice(1));
  }
  flush();
  return out;
}

/** A top-level block: `resource "aws_vpc" "vpc" { ... }`. */
export function block(labels: string[], attrs: TAttrs, refName: TRefName): string {
  const head = labels.map((l, i) => (i === 0 ? l : hclString(l))).join(' ');
  const body = bodyLines(attrs, '  ', refName);
  return body.length === 0 ? `${head} {\n}\n` : `${head} {\n${body.join('\n')}\n}\n`;
}
