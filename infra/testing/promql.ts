/** A metric named in a PromQL expression, with the label names its `{...}` matchers use. */
export interface TSelector {
  metric: string;
  labels: string[];
}

const AGGREGATIONS = new Set([
  'sum', 'min', 'max', 'avg', 'group', 'stddev', 'stdvar', 'count', 'count_values', 'bottomk', 'topk', 'quantile', 'limitk', 'limit_ratio',
]);
/** Followed by a parenthesised list of label names. */
const LABEL_LIST_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan', 'atan2']);

const isIdentStart = (c: string) => /[A-Za-z_:]/.test(c);
const isIdentPart = (c: string) => /[A-Za-z0-9_:]/.test(c);

/** Index just past the string literal that starts at `i` ("...", '...' or `...`). */
function skipString(s: string, i: number): number {
  const quote = s[i];
  let j = i + 1;
  while (j < s.length && s[j] !== quote) j += s[j] === '\\' && quote !== '`' ? 2 : 1;
  return j + 1;
}

/** Index just past the bracket group that opens at `i`; strings inside are skipped whole. */
function skipGroup(s: string, i: number, open: string, close: string): number {
  let depth = 0;
  let j = i;
  while (j < s.length) {
    const c = s[j]!;
    if (c === '"' || c === "'" || c === '`') {
      j = skipString(s, j);
      continue;
    }
    if (c === open) depth++;
    if (c === close && --depth === 0) return j + 1;
    j++;
  }
  return j;
}

const nextNonSpace = (s: string, i: number) => {
  let j = i;
  while (j < s.length && /\s/.test(s[j]!)) j++;
  return j;
};

/** Label names used by the matchers of the `{...}` group that opens at `i`. */
function matcherLabels(s: string, i: number): { labels: string[]; end: number } {
  const end = skipGroup(s, i, '{', '}');
  const labels: string[] = [];
  let j = i + 1;
  let expectName = true;
  while (j < end - 1) {
    const c = s[j]!;
    if (c === '"' || c === "'" || c === '`') {
      j = skipString(s, j);
    } else if (isIdentStart(c)) {
      const start = j;
      while (j < end && isIdentPart(s[j]!)) j++;
      if (expectName) labels.push(s.slice(start, j));
      expectName = false;
    } else {
      if (c === ',') expectName = true;
      j++;
    }
  }
  return { labels, end };
}

/**
 * Every metric selector in a PromQL expression (Grafana's `$variables` allowed). A light tokenizer, not a parser:
 * it skips strings, range and subquery brackets, numbers and durations, functions and aggregations (an identifier
 * followed by `(`), keywords, and the label lists after by/without/on/ignoring/group_left/group_right.
 */
export function metricSelectors(expr: string): TSelector[] {
  const out: TSelector[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i]!;
    if (/\s/.test(c)) i++;
    else if (c === '#') i = expr.includes('\n', i) ? expr.indexOf('\n', i) : expr.length;
    else if (c === '"' || c === "'" || c === '`') i = skipString(expr, i);
    else if (c === '[') i = skipGroup(expr, i, '[', ']');
    else if (c === '{') {
      const { labels, end } = matcherLabels(expr, i);
      out.push({ metric: '', labels });
      i = end;
    } else if (c === '$') {
      i++;
      if (expr[i] === '{') i = skipGroup(expr, i, '{', '}');
      else while (i < expr.length && isIdentPart(expr[i]!)) i++;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(expr[i + 1] ?? ''))) {
      while (i < expr.length && /[0-9A-Za-z_.]/.test(expr[i]!)) i++;
    } else if (isIdentStart(c)) {
      const start = i;
      while (i < expr.length && isIdentPart(expr[i]!)) i++;
      const word = expr.slice(start, i);
      const next = nextNonSpace(expr, i);
      const lower = word.toLowerCase();
      if (LABEL_LIST_KEYWORDS.has(lower)) {
        if (expr[next] === '(') i = skipGroup(expr, next, '(', ')');
      } else if (KEYWORDS.has(lower) || AGGREGATIONS.has(lower) || expr[next] === '(') {
        // keyword, aggregation or function call: not a metric
      } else if (expr[next] === '{') {
        const { labels, end } = matcherLabels(expr, next);
        out.push({ metric: word, labels });
        i = end;
      } else {
        out.push({ metric: word, labels: [] });
      }
    } else i++;
  }
  return out;
}

/** Metric names only, without duplicates. */
export function metricNames(expr: string): string[] {
  return [...new Set(metricSelectors(expr).map((s) => s.metric).filter((m) => m !== ''))];
}
