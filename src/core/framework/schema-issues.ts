import type { z } from 'zod';
import { frameworkJsonSchema } from './model';
import { pointerSegment } from './traverse';

/**
 * Turns zod's issues into findings a drafter can act on: which clause, which field, what was expected,
 * what was found, and (for a misspelt field) the field they probably meant.
 */

export interface Finding {
  readonly severity: 'error' | 'warning';
  readonly pointer: string;
  readonly message: string;
  /** Point at the key rather than the value (unknown fields, unknown languages). */
  readonly at: 'key' | 'value';
}

type Issue = z.core.$ZodIssue;
type PathSegment = PropertyKey;

export function schemaFindings(issues: readonly Issue[], root: unknown): Finding[] {
  const out: Finding[] = [];
  for (const issue of issues) collect(issue, [], root, out);
  return out;
}

function collect(issue: Issue, prefix: readonly PathSegment[], root: unknown, out: Finding[]): void {
  const path = [...prefix, ...issue.path];
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'unrecognized_keys':
      for (const key of issue.keys) {
        const suggestion = closestKnownKey(key);
        out.push({
          severity: 'error',
          pointer: toPointer([...path, key]),
          at: 'key',
          message: withContext(
            root,
            path,
            `unknown field "${key}"${suggestion && suggestion !== key ? `; did you mean "${suggestion}"?` : ''}`,
          ),
        });
      }
      return;
    case 'invalid_union': {
      const discriminator = (issue as { discriminator?: string }).discriminator;
      const options = (issue as { options?: readonly unknown[] }).options;
      if (discriminator !== undefined) {
        const allowed = (options ?? []).map(String).join(', ');
        // zod reports the whole object as the input; the value that failed is its discriminator.
        const value =
          input !== null && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>)[discriminator] : input;
        const message =
          value === undefined
            ? `"${discriminator}" is missing; it must be one of: ${allowed}`
            : `${discriminator} ${describeValue(value)} is not known; it must be one of: ${allowed}`;
        out.push({ severity: 'error', pointer: toPointer(path), at: 'value', message: withContext(root, path, message) });
        return;
      }
      // A plain union (e.g. a ladder named by id, or given inline): report the branch that fits the
      // input's type; if none fits, say which shapes are accepted.
      const branches = issue.errors.filter((b) => !(b.length === 1 && b[0]!.code === 'invalid_type' && b[0]!.path.length === 0));
      if (branches.length > 0) {
        const best = branches.reduce((a, b) => (b.length < a.length ? b : a));
        for (const sub of best) collect(sub, path, root, out);
        return;
      }
      const expected = issue.errors
        .map((b) => (b[0]?.code === 'invalid_type' ? String((b[0] as { expected?: unknown }).expected) : 'value'))
        .join(' or ');
      out.push({
        severity: 'error',
        pointer: toPointer(path),
        at: 'value',
        message: withContext(root, path, `expected ${expected}, found ${describeValue(input)}`),
      });
      return;
    }
    case 'invalid_type': {
      if (input === undefined) {
        // A missing field: name it, and place the message on the object that lacks it.
        const parent = path.slice(0, -1);
        out.push({
          severity: 'error',
          pointer: toPointer(path),
          at: 'value',
          message: withContext(root, parent, `"${lastName(path)}" is required`),
        });
        return;
      }
      const message =
        issue.expected === 'int'
          ? `must be a whole number, found ${describeValue(input)}`
          : `must be ${article(issue.expected)}, found ${describeValue(input)}`;
      out.push({ severity: 'error', pointer: toPointer(path), at: 'value', message: withContext(root, path, message) });
      return;
    }
    case 'invalid_value': {
      const values = issue.values.map((v) => JSON.stringify(v));
      if (path.length === 1 && path[0] === 'format') {
        out.push({
          severity: 'error',
          pointer: '/format',
          at: 'value',
          message: `the document must start with "format: ${String(issue.values[0])}" (found ${describeValue(input)})`,
        });
        return;
      }
      const message =
        values.length === 1
          ? `must be ${values[0]}, found ${describeValue(input)}`
          : `must be one of ${values.join(', ')}; found ${describeValue(input)}`;
      out.push({ severity: 'error', pointer: toPointer(path), at: 'value', message: withContext(root, path, message) });
      return;
    }
    default:
      out.push({ severity: 'error', pointer: toPointer(path), at: 'value', message: withContext(root, path, issue.message) });
  }
}

function toPointer(path: readonly PathSegment[]): string {
  return path.map((p) => '/' + pointerSegment(String(p))).join('');
}

function lastName(path: readonly PathSegment[]): string {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return String(path[i]);
  return 'the document';
}

function article(expected: string): string {
  if (expected === 'array') return 'a list';
  if (expected === 'object') return 'a mapping (key: value pairs)';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  return `${typeof value} ${String(value)}`;
}

const ENTITY_BY_CONTAINER: Readonly<Record<string, string>> = {
  chapters: 'chapter',
  articles: 'article',
  clauses: 'clause',
  alternatives: 'alternative',
  parties: 'party',
  definitions: 'definition',
  rungs: 'rung',
};

/**
 * "clause c-sea-lead, commitment sea-b: trigger.count: …" — names the innermost clause or part that
 * holds the field, by id, then the path inside it.
 */
export function withContext(root: unknown, path: readonly PathSegment[], message: string): string {
  const labels: string[] = [];
  let inner = 0;
  let node: unknown = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    if (node === null || typeof node !== 'object') break;
    node = (node as Record<PropertyKey, unknown>)[seg as string];
    const id = node && typeof node === 'object' && !Array.isArray(node) ? (node as { id?: unknown }).id : undefined;
    const container = i > 0 ? String(path[i - 1]) : '';
    if (typeof seg === 'number' && typeof id === 'string' && ENTITY_BY_CONTAINER[container]) {
      labels.push(`${ENTITY_BY_CONTAINER[container]} ${id}`);
      inner = i + 1;
    } else if (seg === 'part' && typeof id === 'string') {
      const kind = (node as { kind?: unknown }).kind;
      labels.push(`${typeof kind === 'string' ? kind : 'part'} ${id}`);
      inner = i + 1;
    }
  }
  const rest = path
    .slice(inner)
    .map((p) => (typeof p === 'number' ? `[${p}]` : '.' + String(p)))
    .join('')
    .replace(/^\./, '');
  const where = labels.slice(-2).join(', ');
  const restShown = rest ? `${rest}: ` : '';
  return where ? `${where}: ${restShown}${message}` : `${restShown}${message}`;
}

let knownKeys: string[] | null = null;

/** The field a misspelt key most likely meant: any key of the format within edit distance 2. */
export function closestKnownKey(key: string): string | null {
  knownKeys ??= collectKeys(frameworkJsonSchema());
  let best: string | null = null;
  let bestDistance = 3;
  for (const k of knownKeys) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase(), bestDistance);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

function collectKeys(schema: unknown): string[] {
  const keys = new Set<string>();
  const stack: unknown[] = [schema];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (node && typeof node === 'object') {
      const props = (node as { properties?: unknown }).properties;
      if (props && typeof props === 'object') for (const k of Object.keys(props)) keys.add(k);
      stack.push(...Object.values(node));
    }
  }
  return [...keys].sort();
}

function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin >= cap) return cap;
    prev = cur;
  }
  return prev[b.length]!;
}
