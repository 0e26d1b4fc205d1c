import {
  Composer,
  Lexer,
  LineCounter,
  Parser,
  YAMLParseError,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
  type Node as YamlNode,
} from 'yaml';
import { pointerSegment } from './traverse';

/**
 * Reading a framework source: YAML for people, JSON for machines. Every problem carries the line and
 * column of the source and a JSON pointer, so `FILE:LINE:COL: message` works for both.
 *
 * Hostile input is expected (a framework may arrive through the API): the size is capped before
 * anything else runs, nesting is measured by a linear token scan before the YAML composer (which
 * recurses, and takes seconds or runs out of memory on a few megabytes of `[`), and alias expansion
 * is capped (billion laughs). Nothing here throws on bad input.
 */

export const MAX_FRAMEWORK_BYTES = 5 * 1024 * 1024;
/** Deeper than any real framework (about 12 levels) and far below what the parsers survive. */
export const MAX_NESTING = 64;
/** yaml's own guard against alias expansion bombs: total alias resolutions it allows. */
export const MAX_ALIAS_COUNT = 100;

export type Severity = 'error' | 'warning';

export interface Problem {
  readonly severity: Severity;
  readonly line: number;
  readonly col: number;
  readonly message: string;
  /** RFC 6901 pointer into the document ('' for the whole document). */
  readonly pointer: string;
}

export interface SourcePosition {
  readonly line: number;
  readonly col: number;
}

export interface ParsedSource {
  readonly format: 'yaml' | 'json';
  /** The plain data, or undefined when the text could not be read. */
  readonly value: unknown;
  /** Problems of reading (syntax, size, nesting, aliases). */
  readonly problems: readonly Problem[];
  /** Where a pointer is in the source: the value's start, or its key's when `at` is 'key'. */
  locate(pointer: string, at?: 'key' | 'value'): SourcePosition;
}

const START: SourcePosition = { line: 1, col: 1 };

export function isJsonFileName(fileName: string): boolean {
  return /\.json$/i.test(fileName);
}

export function parseFrameworkSource(text: string, fileName: string): ParsedSource {
  const format = isJsonFileName(fileName) ? 'json' : 'yaml';
  const size = utf8Length(text, MAX_FRAMEWORK_BYTES);
  if (size > MAX_FRAMEWORK_BYTES) {
    return failed(
      format,
      `the document is larger than the limit of 5 MB (${MAX_FRAMEWORK_BYTES.toLocaleString('en')} bytes); split it or remove embedded data`,
      START,
    );
  }
  return format === 'json' ? parseJson(text) : parseYaml(text);
}

function failed(format: 'yaml' | 'json', message: string, at: SourcePosition, more: Problem[] = []): ParsedSource {
  return {
    format,
    value: undefined,
    problems: [{ severity: 'error', line: at.line, col: at.col, message, pointer: '' }, ...more],
    locate: () => START,
  };
}

// ---------------------------------------------------------------------------------------------------
// YAML

function parseYaml(text: string): ParsedSource {
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    const parsed = composeWithDepthLimit(text, lineCounter);
    if ('tooDeep' in parsed)
      return failed(
        'yaml',
        `nesting deeper than ${MAX_NESTING} levels; a framework never needs that many`,
        positionOf(text, parsed.tooDeep),
      );
    doc = parsed.doc;
  } catch (e) {
    // The parser reports syntax as values; a throw here means it gave up (e.g. stack depth).
    return failed('yaml', `the YAML could not be read: ${errorMessage(e)}`, START);
  }
  const at = (offset: number): SourcePosition => lineCounter.linePos(offset);

  const problems: Problem[] = [];
  for (const e of doc.errors) problems.push({ severity: 'error', ...at(e.pos[0]), message: yamlMessage(e.message), pointer: '' });
  for (const w of doc.warnings) problems.push({ severity: 'warning', ...at(w.pos[0]), message: yamlMessage(w.message), pointer: '' });
  if (problems.some((p) => p.severity === 'error')) return { format: 'yaml', value: undefined, problems, locate: () => START };

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const alias = firstAlias(doc.contents);
    const pos = alias ? at(alias) : START;
    const message = /alias count/i.test(errorMessage(e))
      ? `aliases expand too much (more than ${MAX_ALIAS_COUNT} alias resolutions): this looks like an alias bomb; write the values out`
      : `the YAML could not be read: ${errorMessage(e)}`;
    return failed('yaml', message, pos, problems);
  }
  let map: SourceMap | null = null;
  return {
    format: 'yaml',
    value,
    problems,
    locate(pointer, where = 'value') {
      map ??= buildSourceMap(doc.contents, lineCounter);
      return lookup(map, pointer, where);
    },
  };
}

function yamlMessage(message: string): string {
  // With prettyErrors off the message has no position; trim yaml's trailing detail lines.
  return message.split('\n')[0]!.replace(/\s+$/, '');
}

/**
 * yaml's parseDocument, with one difference: flow-collection nesting is measured on the lexer's
 * tokens as they stream into the parser, and reading stops past MAX_NESTING — before the composer,
 * which recurses, ever sees it. The lexer knows quotes, comments and block scalars, so a `[` inside
 * a string does not count; block nesting needs indentation, so 5 MB cannot nest blocks deeply enough
 * to hurt. One pass over the text, not two.
 */
function composeWithDepthLimit(text: string, lineCounter: LineCounter): { doc: Document.Parsed } | { tooDeep: number } {
  const parser = new Parser((offset) => lineCounter.addNewLine(offset));
  const composer = new Composer({ prettyErrors: false, uniqueKeys: true });
  let depth = 0;
  let offset = 0;
  let tooDeep = -1;
  function* tokens() {
    lineCounter.addNewLine(0);
    for (const lexeme of new Lexer().lex(text)) {
      if (lexeme === '{' || lexeme === '[') {
        if (++depth > MAX_NESTING) {
          tooDeep = offset;
          return;
        }
      } else if (lexeme === '}' || lexeme === ']') depth = Math.max(0, depth - 1);
      // Control lexemes (one character below U+0020 other than whitespace) are markers, not source text.
      if (!(lexeme.length === 1 && lexeme < ' ' && lexeme !== '\n' && lexeme !== '\t' && lexeme !== '\r')) offset += lexeme.length;
      yield* parser.next(lexeme);
    }
    yield* parser.end();
  }
  let doc: Document.Parsed | null = null;
  for (const next of composer.compose(tokens(), true, text.length)) {
    if (tooDeep >= 0) break;
    if (!doc) doc = next;
    else {
      doc.errors.push(
        new YAMLParseError(
          [next.range[0], next.range[1]],
          'MULTIPLE_DOCS',
          'Source contains multiple documents; please use YAML.parseAllDocuments()',
        ),
      );
      break;
    }
  }
  if (tooDeep >= 0) return { tooDeep };
  if (!doc) throw new Error('no document');
  return { doc };
}

function firstAlias(node: unknown): number | null {
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const n = stack.pop();
    if (isAlias(n)) return n.range?.[0] ?? null;
    if (isMap(n) || isSeq(n)) {
      for (let i = n.items.length - 1; i >= 0; i--) {
        const item = n.items[i];
        if (isPair(item)) stack.push(item.value, item.key);
        else stack.push(item);
      }
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------
// JSON

function parseJson(text: string): ParsedSource {
  const scan = scanJson(text);
  if (scan.kind === 'too-deep')
    return failed('json', `nesting deeper than ${MAX_NESTING} levels; a framework never needs that many`, positionOf(text, scan.offset));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const where = jsonSyntaxError(text);
    return where
      ? failed('json', `invalid JSON: ${where.message}`, positionOf(text, where.offset))
      : failed('json', `invalid JSON: ${errorMessage(e)}`, START);
  }
  if (scan.kind === 'duplicate') {
    return failed(
      'json',
      `key "${scan.key}" appears twice in the same object; JSON readers disagree on which one counts`,
      positionOf(text, scan.offset),
    );
  }
  let map: SourceMap | null = null;
  return {
    format: 'json',
    value,
    problems: [],
    locate(pointer, where = 'value') {
      // Positions are only needed when there is a problem: read the text again, with positions, then.
      if (!map) {
        const lineCounter = new LineCounter();
        try {
          const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
          map = buildSourceMap(doc.contents, lineCounter);
        } catch {
          map = { spots: new Map(), lineCounter: null };
        }
      }
      return lookup(map, pointer, where);
    },
  };
}

type JsonScan = { kind: 'ok' } | { kind: 'too-deep'; offset: number } | { kind: 'duplicate'; offset: number; key: string };

/**
 * One linear pass over JSON text that measures nesting and finds duplicate keys (JSON.parse keeps the
 * last silently; a signed text must not have two readings). It does not check syntax: JSON.parse does.
 */
function scanJson(text: string): JsonScan {
  interface Frame {
    readonly object: boolean;
    readonly keys: Set<string> | null;
    expectKey: boolean;
  }
  const stack: Frame[] = [];
  let firstDuplicate: JsonScan | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      const start = i;
      let escaped = false;
      for (i++; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x5c /* \ */) {
          escaped = true;
          i++;
        } else if (c === 0x22) break;
      }
      const top = stack[stack.length - 1];
      if (top?.object && top.expectKey && top.keys && !firstDuplicate) {
        const raw = text.slice(start + 1, i);
        let key = raw;
        if (escaped) {
          try {
            key = JSON.parse('"' + raw + '"') as string;
          } catch {
            key = raw;
          }
        }
        if (top.keys.has(key)) firstDuplicate = { kind: 'duplicate', offset: start, key };
        else top.keys.add(key);
      }
      if (top) top.expectKey = false;
    } else if (ch === 0x7b /* { */ || ch === 0x5b /* [ */) {
      if (stack.length >= MAX_NESTING) return { kind: 'too-deep', offset: i };
      const object = ch === 0x7b;
      stack.push({ object, keys: object ? new Set() : null, expectKey: object });
    } else if (ch === 0x7d || ch === 0x5d) {
      stack.pop();
    } else if (ch === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.object) top.expectKey = true;
    }
  }
  return firstDuplicate ?? { kind: 'ok' };
}

/**
 * Where JSON text first breaks, and why (Node 20's JSON.parse says neither). Only called after
 * JSON.parse failed, on text whose nesting is already bounded, so plain recursion is safe here.
 */
export function jsonSyntaxError(text: string): { offset: number; message: string } | null {
  let i = 0;
  const fail = (message: string): never => {
    throw { offset: i, message };
  };
  const ws = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const string = (): void => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail('control character in a string (write it as an escape such as \\n)');
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('invalid \\u escape');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail('invalid escape in a string');
      } else i++;
    }
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a string key');
        string();
        ws();
        if (text[i] !== ':') fail('expected ":" after a key');
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') return string();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    NUMBER.lastIndex = i;
    if (c !== undefined && NUMBER.test(text)) {
      i = NUMBER.lastIndex;
      return;
    }
    fail(c === undefined ? 'unexpected end of the text' : 'expected a value');
  };
  try {
    value();
    ws();
    if (i < text.length) fail('unexpected text after the end of the document');
    return null;
  } catch (e) {
    return e as { offset: number; message: string };
  }
}

function positionOf(text: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: offset - lineStart + 1 };
}

// ---------------------------------------------------------------------------------------------------
// Source map: JSON pointer → positions of the value and of its key

interface Spot {
  readonly value: number;
  readonly key: number | null;
}
interface SourceMap {
  readonly spots: Map<string, Spot>;
  readonly lineCounter: LineCounter | null;
}

function buildSourceMap(root: YamlNode | null, lineCounter: LineCounter): SourceMap {
  const spots = new Map<string, Spot>();
  const map: SourceMap = { spots, lineCounter };
  if (!root) return map;
  // Iterative, so that a deep document cannot exhaust the stack here.
  const stack: Array<{ node: unknown; pointer: string; key: number | null }> = [{ node: root, pointer: '', key: null }];
  while (stack.length > 0) {
    const { node, pointer, key } = stack.pop()!;
    const start = rangeStart(node) ?? key ?? 0;
    spots.set(pointer, { value: start, key });
    if (isAlias(node)) continue;
    if (isMap(node)) {
      for (const item of node.items) {
        const k = item.key;
        const name = isScalar(k) ? String(k.value) : String(k);
        const keyStart = rangeStart(k);
        stack.push({ node: item.value, pointer: pointer + '/' + pointerSegment(name), key: keyStart });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => stack.push({ node: item, pointer: pointer + '/' + i, key: null }));
    }
  }
  return map;
}

function rangeStart(node: unknown): number | null {
  if (node && typeof node === 'object' && 'range' in node) {
    const range = (node as { range?: readonly number[] | null }).range;
    if (range && typeof range[0] === 'number') return range[0];
  }
  return null;
}

function lookup(map: SourceMap, pointer: string, where: 'key' | 'value'): SourcePosition {
  const lc = map.lineCounter;
  if (!lc) return START;
  let p = pointer;
  for (;;) {
    const spot = map.spots.get(p);
    if (spot) {
      const offset = where === 'key' && spot.key !== null ? spot.key : spot.value;
      return lc.linePos(offset);
    }
    if (p === '') return START;
    // A missing field: point at the nearest thing that exists (its parent object).
    p = p.slice(0, p.lastIndexOf('/'));
  }
}

// ---------------------------------------------------------------------------------------------------

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** UTF-8 length of a string; exact only up to a little past `limit`, which is all the check needs. */
function utf8Length(text: string, limit: number): number {
  if (text.length > limit) return text.length; // every code unit is at least one byte
  if (text.length * 3 <= limit) return text.length; // at most three bytes per code unit
  return new TextEncoder().encode(text).length;
}
