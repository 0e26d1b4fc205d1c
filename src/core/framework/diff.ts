import { canonicalize } from '../journal/canonical';
import { hashFramework } from './hash';
import type { Alternative, Clause, Framework } from './model';
import { clauseSites, partSites, pointerSegment } from './traverse';

/**
 * Clause-level diff of two versions of a framework (both normalised, as validateFramework returns
 * them). Clauses are matched by their stable ids, so a moved clause is a move, not a deletion plus an
 * insertion; prose is compared word by word per language; machine-readable parts field by field,
 * with JSON pointers.
 */

export interface WordRun {
  readonly op: 'equal' | 'insert' | 'delete';
  readonly text: string;
}

export interface ProseChange {
  readonly language: string;
  readonly before: string | null;
  readonly after: string | null;
  readonly words: readonly WordRun[];
}

export interface FieldChange {
  /** RFC 6901 pointer inside the compared value ('' = the whole value). */
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface ClauseLocation {
  readonly chapter: string;
  readonly article: string;
  /** 1-based position in its article */
  readonly position: number;
  /** Articles are numbered through the document. */
  readonly articleNumber: number;
}

export interface AlternativeChange {
  readonly change: 'added' | 'withdrawn' | 'changed';
  readonly id: string;
  readonly label: string;
  readonly proposedBy: readonly string[];
  readonly fields: readonly FieldChange[];
  readonly prose: readonly ProseChange[];
  readonly part: readonly FieldChange[];
}

export interface ClauseChange {
  readonly clause: string;
  /** 'moved' = same content, other place; 'changed' = other content (and maybe also moved). */
  readonly change: 'added' | 'removed' | 'moved' | 'changed';
  readonly before: ClauseLocation | null;
  readonly after: ClauseLocation | null;
  readonly moved: boolean;
  readonly status: { readonly before: string; readonly after: string } | null;
  readonly title: readonly ProseChange[];
  readonly prose: readonly ProseChange[];
  readonly untranslated: { readonly before: readonly string[]; readonly after: readonly string[] } | null;
  readonly alternatives: readonly AlternativeChange[];
  readonly part: readonly FieldChange[];
}

export interface FrameworkDiff {
  readonly before: string;
  readonly after: string;
  readonly identical: boolean;
  readonly summary: { readonly added: number; readonly removed: number; readonly moved: number; readonly changed: number };
  readonly clauses: readonly ClauseChange[];
  /** Changes outside clauses: process, parties, definitions, chapter and article titles, retired ids. */
  readonly document: readonly FieldChange[];
  /** Breaches of "ids are never reused" between the two versions. */
  readonly warnings: readonly string[];
}

export function diffFrameworks(a: Framework, b: Framework): FrameworkDiff {
  const before = hashFramework(a).sha256;
  const after = hashFramework(b).sha256;
  const sitesA = new Map([...clauseSites(a)].map((s) => [s.clause.id, s]));
  const sitesB = [...clauseSites(b)];
  const idsB = new Set(sitesB.map((s) => s.clause.id));
  const movedIds = movedClauses(a, b);

  const changes: ClauseChange[] = [];
  for (const sb of sitesB) {
    const sa = sitesA.get(sb.clause.id);
    const locB = location(sb);
    if (!sa) {
      changes.push({
        ...emptyChange(sb.clause.id, 'added'),
        after: locB,
        prose: proseAll(null, sb.clause.text),
        part: sb.clause.part ? [{ path: '', before: undefined, after: sb.clause.part }] : [],
      });
      continue;
    }
    const moved = movedIds.has(sb.clause.id);
    const locA = location(sa);
    if (!moved && canonicalize(sa.clause) === canonicalize(sb.clause)) continue;
    const change = compareClauses(sa.clause, sb.clause);
    if (!moved && isEmpty(change)) continue;
    changes.push({ ...change, change: isEmpty(change) ? 'moved' : 'changed', before: locA, after: locB, moved });
  }
  for (const [id, sa] of sitesA) {
    if (!idsB.has(id)) changes.push({ ...emptyChange(id, 'removed'), before: location(sa), prose: proseAll(sa.clause.text, null) });
  }

  const document = deepDiff(outline(a), outline(b), '');
  const summary = {
    added: changes.filter((c) => c.change === 'added').length,
    removed: changes.filter((c) => c.change === 'removed').length,
    moved: changes.filter((c) => c.moved).length,
    changed: changes.filter((c) => c.change === 'changed').length,
  };
  return { before, after, identical: before === after, summary, clauses: changes, document, warnings: successionWarnings(a, b) };
}

function emptyChange(clause: string, change: ClauseChange['change']): ClauseChange {
  return {
    clause,
    change,
    before: null,
    after: null,
    moved: false,
    status: null,
    title: [],
    prose: [],
    untranslated: null,
    alternatives: [],
    part: [],
  };
}

function isEmpty(c: ClauseChange): boolean {
  return !c.status && c.title.length === 0 && c.prose.length === 0 && !c.untranslated && c.alternatives.length === 0 && c.part.length === 0;
}

function location(s: { chapter: { id: string }; article: { id: string }; clauseIndex: number; articleNumber: number }): ClauseLocation {
  return { chapter: s.chapter.id, article: s.article.id, position: s.clauseIndex + 1, articleNumber: s.articleNumber };
}

function compareClauses(a: Clause, b: Clause): ClauseChange {
  const sameList = (x: readonly string[], y: readonly string[]): boolean => x.length === y.length && x.every((v, i) => v === y[i]);
  return {
    ...emptyChange(b.id, 'changed'),
    status: a.status !== b.status ? { before: a.status, after: b.status } : null,
    title: proseChanges(a.title ?? {}, b.title ?? {}),
    prose: proseChanges(a.text, b.text),
    untranslated: sameList(a.untranslated, b.untranslated) ? null : { before: a.untranslated, after: b.untranslated },
    alternatives: compareAlternatives(a.alternatives, b.alternatives),
    part: deepDiff(a.part, b.part, ''),
  };
}

function compareAlternatives(a: readonly Alternative[], b: readonly Alternative[]): AlternativeChange[] {
  const out: AlternativeChange[] = [];
  const byIdA = new Map(a.map((x) => [x.id, x]));
  const idsB = new Set(b.map((x) => x.id));
  for (const alt of b) {
    const old = byIdA.get(alt.id);
    const base = { id: alt.id, label: alt.label ?? '', proposedBy: alt.proposedBy };
    if (!old) {
      out.push({
        ...base,
        change: 'added',
        fields: [],
        prose: proseAll(null, alt.text),
        part: alt.part ? [{ path: '', before: undefined, after: alt.part }] : [],
      });
      continue;
    }
    const fields = deepDiff(
      { label: old.label, proposedBy: old.proposedBy, untranslated: old.untranslated },
      { label: alt.label, proposedBy: alt.proposedBy, untranslated: alt.untranslated },
      '',
    );
    const prose = proseChanges(old.text, alt.text);
    const part = deepDiff(old.part, alt.part, '');
    if (fields.length + prose.length + part.length > 0) out.push({ ...base, change: 'changed', fields, prose, part });
  }
  for (const old of a) {
    if (!idsB.has(old.id))
      out.push({ id: old.id, label: old.label ?? '', proposedBy: old.proposedBy, change: 'withdrawn', fields: [], prose: [], part: [] });
  }
  return out;
}

function proseAll(a: Readonly<Record<string, string>> | null, b: Readonly<Record<string, string>> | null): ProseChange[] {
  return proseChanges(a ?? {}, b ?? {});
}

function proseChanges(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): ProseChange[] {
  const langs = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const out: ProseChange[] = [];
  for (const language of langs) {
    const x = a[language] ?? null;
    const y = b[language] ?? null;
    if (x === y) continue;
    out.push({ language, before: x, after: y, words: wordDiff(x ?? '', y ?? '') });
  }
  return out;
}

/**
 * Clauses that changed place: to another article, or out of order within their article. Within an
 * article, the longest run of clauses that kept their relative order stays put; the others moved.
 * (Inserting a clause above does not make every later clause "moved".)
 */
function movedClauses(a: Framework, b: Framework): Set<string> {
  const placeA = new Map<string, { article: string; index: number }>();
  for (const s of clauseSites(a)) placeA.set(s.clause.id, { article: s.article.id, index: s.clauseIndex });
  const moved = new Set<string>();
  for (const ch of b.chapters) {
    for (const art of ch.articles) {
      const kept: Array<{ id: string; index: number }> = [];
      for (const c of art.clauses) {
        const p = placeA.get(c.id);
        if (!p) continue;
        if (p.article !== art.id) moved.add(c.id);
        else kept.push({ id: c.id, index: p.index });
      }
      const stay = longestIncreasing(kept.map((k) => k.index));
      kept.forEach((k, i) => {
        if (!stay.has(i)) moved.add(k.id);
      });
    }
  }
  // A clause whose article moved to another chapter has moved too.
  const chapterA = new Map<string, string>();
  for (const s of clauseSites(a)) chapterA.set(s.clause.id, s.chapter.id);
  for (const s of clauseSites(b)) {
    const before = chapterA.get(s.clause.id);
    if (before !== undefined && before !== s.chapter.id) moved.add(s.clause.id);
  }
  return moved;
}

/** Indices (into xs) of one longest strictly increasing subsequence, O(n log n). */
function longestIncreasing(xs: readonly number[]): Set<number> {
  const tails: number[] = [];
  const prev = new Array<number>(xs.length).fill(-1);
  for (let i = 0; i < xs.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (xs[tails[mid]!]! < xs[i]!) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1]!;
    tails[lo] = i;
  }
  const out = new Set<number>();
  for (let i = tails.length > 0 ? tails[tails.length - 1]! : -1; i !== -1; i = prev[i]!) out.add(i);
  return out;
}

/** The document without clause bodies: what the clause diff does not already cover. */
function outline(doc: Framework): unknown {
  return {
    process: doc.process,
    parties: doc.parties,
    definitions: doc.definitions,
    chapters: doc.chapters.map((ch) => ({ id: ch.id, title: ch.title, articles: ch.articles.map((a) => ({ id: a.id, title: a.title })) })),
    retiredIds: doc.retiredIds,
  };
}

function successionWarnings(a: Framework, b: Framework): string[] {
  const idsOf = (d: Framework): Set<string> => {
    const ids = new Set<string>();
    for (const def of d.definitions) ids.add(def.id);
    for (const ch of d.chapters) {
      ids.add(ch.id);
      for (const art of ch.articles) ids.add(art.id);
    }
    for (const s of clauseSites(d)) {
      ids.add(s.clause.id);
      for (const alt of s.clause.alternatives) ids.add(alt.id);
    }
    for (const p of partSites(d)) ids.add(p.part.id);
    return ids;
  };
  const inA = idsOf(a);
  const inB = idsOf(b);
  const retiredB = new Set(b.retiredIds);
  const out: string[] = [];
  for (const id of inA) {
    if (!inB.has(id) && !retiredB.has(id))
      out.push(`"${id}" was removed but is not listed in retiredIds of the newer version, so it could be reused by mistake`);
  }
  for (const id of a.retiredIds) {
    if (!retiredB.has(id)) out.push(`"${id}" was retired but is no longer listed in retiredIds`);
    if (inB.has(id)) out.push(`"${id}" was retired but is used again`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Field-by-field comparison

function isObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function idOf(x: unknown): string | null {
  return isObject(x) && typeof x.id === 'string' ? x.id : null;
}

/**
 * Changes between two JSON values as pointer paths. Objects by key; lists of things with ids (rungs,
 * parties, chapters) by id, so that inserting one does not report every later one as changed; other
 * lists element by element when their lengths match (coordinates), otherwise as a whole.
 */
export function deepDiff(a: unknown, b: unknown, path: string, out: FieldChange[] = []): FieldChange[] {
  if (a === b) return out;
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) deepDiff(a[k], b[k], `${path}/${pointerSegment(k)}`, out);
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const keyed = a.length + b.length > 0 && [...a, ...b].every((x) => idOf(x) !== null);
    if (keyed) {
      const indexA = new Map(a.map((x, i) => [idOf(x)!, i]));
      const idsB = new Set(b.map((x) => idOf(x)!));
      // Only elements that left the relative order of the others count as moved (as for clauses).
      const common = b.map((x, i) => ({ i, j: indexA.get(idOf(x)!) })).filter((e): e is { i: number; j: number } => e.j !== undefined);
      const stay = longestIncreasing(common.map((e) => e.j));
      const movedAt = new Set(common.filter((_, k) => !stay.has(k)).map((e) => e.i));
      b.forEach((x, i) => {
        const j = indexA.get(idOf(x)!);
        if (j === undefined) out.push({ path: `${path}/${i}`, before: undefined, after: x });
        else {
          if (movedAt.has(i))
            out.push({ path: `${path}/${i}/id`, before: `${idOf(x)} at position ${j + 1}`, after: `${idOf(x)} at position ${i + 1}` });
          deepDiff(a[j], x, `${path}/${i}`, out);
        }
      });
      a.forEach((x, j) => {
        if (!idsB.has(idOf(x)!)) out.push({ path: `${path}/${j}`, before: x, after: undefined });
      });
      return out;
    }
    if (a.length === b.length) {
      for (let i = 0; i < a.length; i++) deepDiff(a[i], b[i], `${path}/${i}`, out);
      return out;
    }
    out.push({ path, before: a, after: b });
    return out;
  }
  if (canonicalOrSelf(a) !== canonicalOrSelf(b)) out.push({ path, before: a, after: b });
  return out;
}

function canonicalOrSelf(x: unknown): unknown {
  return x !== null && typeof x === 'object' ? canonicalize(x) : x;
}

// ---------------------------------------------------------------------------------------------------
// Word diff (Myers, O((N+M)·D))

export function wordDiff(before: string, after: string): WordRun[] {
  const a = before === '' ? [] : before.split(/\s+/);
  const b = after === '' ? [] : after.split(/\s+/);
  const ops = myers(a, b);
  const runs: WordRun[] = [];
  for (const [op, word] of ops) {
    const last = runs[runs.length - 1];
    if (last && last.op === op) runs[runs.length - 1] = { op, text: last.text + ' ' + word };
    else runs.push({ op, text: word });
  }
  return runs;
}

function myers(a: readonly string[], b: readonly string[]): Array<[WordRun['op'], string]> {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max;
  let v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
    v = next;
  }
  trace.push(v.slice());
  // Walk back through the trace to recover the edit script.
  const out: Array<[WordRun['op'], string]> = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 2; d > 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = vd[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      out.push(['equal', a[x - 1]!]);
      x--;
      y--;
    }
    if (x === prevX) out.push(['insert', b[y - 1]!]);
    else out.push(['delete', a[x - 1]!]);
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    out.push(['equal', a[x - 1]!]);
    x--;
    y--;
  }
  return out.reverse();
}

// ---------------------------------------------------------------------------------------------------
// Human-readable rendering

export function formatDiff(diff: FrameworkDiff): string {
  const lines: string[] = [];
  lines.push(`framework diff ${diff.before.slice(0, 12)} → ${diff.after.slice(0, 12)}`);
  if (diff.identical) {
    lines.push('identical: same hash, same text');
    return lines.join('\n') + '\n';
  }
  const s = diff.summary;
  lines.push(`${s.added} added, ${s.removed} removed, ${s.moved} moved, ${s.changed} changed clause(s)`);
  const where = (l: ClauseLocation | null): string => (l ? `Article ${l.articleNumber} (${l.article}), paragraph ${l.position}` : '?');
  for (const c of diff.clauses) {
    lines.push('');
    if (c.change === 'added') lines.push(`+ ${c.clause}: added at ${where(c.after)}`);
    else if (c.change === 'removed') lines.push(`- ${c.clause}: removed from ${where(c.before)}`);
    else if (c.change === 'moved') lines.push(`> ${c.clause}: moved to ${where(c.after)}`);
    else lines.push(`~ ${c.clause}: ${where(c.after)}`);
    if (c.moved)
      lines.push(
        `    ${c.change === 'moved' ? 'from' : 'moved from'} ${where(c.before)}${c.before?.chapter !== c.after?.chapter ? ` in ${c.before?.chapter}` : ''}`,
      );
    if (c.status) lines.push(`    status: ${c.status.before} → ${c.status.after}`);
    if (c.untranslated) lines.push(`    untranslated: [${c.untranslated.before.join(', ')}] → [${c.untranslated.after.join(', ')}]`);
    for (const p of c.title) lines.push(`    title ${p.language}: ${renderWords(p.words)}`);
    if (c.change === 'changed') for (const p of c.prose) lines.push(`    ${p.language}: ${renderWords(p.words)}`);
    for (const alt of c.alternatives) {
      const by = alt.proposedBy.map((x) => x.toUpperCase()).join(', ');
      if (alt.change === 'added') lines.push(`    + alternative ${alt.label} ${alt.id} (proposed by ${by})`);
      else if (alt.change === 'withdrawn') lines.push(`    - alternative ${alt.label} ${alt.id} withdrawn (was proposed by ${by})`);
      else {
        lines.push(`    ~ alternative ${alt.label} ${alt.id}`);
        for (const f of alt.fields) lines.push(`        ${f.path}: ${short(f.before)} → ${short(f.after)}`);
        for (const p of alt.prose) lines.push(`        ${p.language}: ${renderWords(p.words)}`);
        for (const f of alt.part) lines.push(`        part${f.path}: ${short(f.before)} → ${short(f.after)}`);
      }
    }
    if (c.change === 'changed') for (const f of c.part) lines.push(`    part${f.path}: ${short(f.before)} → ${short(f.after)}`);
  }
  if (diff.document.length > 0) {
    lines.push('', 'outside the clauses:');
    for (const f of diff.document) lines.push(`    ${f.path}: ${short(f.before)} → ${short(f.after)}`);
  }
  if (diff.warnings.length > 0) {
    lines.push('', 'warnings:');
    for (const w of diff.warnings) lines.push(`    ${w}`);
  }
  return lines.join('\n') + '\n';
}

/** "the [-15-]{+30+} kilometres": the wdiff convention, readable in a terminal and in an e-mail. */
export function renderWords(words: readonly WordRun[]): string {
  return words.map((w) => (w.op === 'equal' ? w.text : w.op === 'delete' ? `[-${w.text}-]` : `{+${w.text}+}`)).join(' ');
}

function short(x: unknown): string {
  if (x === undefined) return '(none)';
  const s = JSON.stringify(x);
  if (s.length <= 80) return s;
  if (Array.isArray(x)) return `[… ${x.length} items]`;
  return s.slice(0, 77) + '…';
}
