import { hashFramework } from '../hash';
import type { Framework } from '../model';
import { clauseSites } from '../traverse';
import { PartyNames, chooseLanguages, clauseSegments, describePart, labelsFor, roman, type Segment } from './render';

export interface MarkdownOptions {
  /** One language, or two (or more) side by side as a table. Defaults to the first working language. */
  readonly languages?: readonly string[];
  /** Add a one-line description of each machine-readable part under its clause (default true). */
  readonly parts?: boolean;
}

/** Markdown of a framework version, brackets rendered the way diplomats read them. */
export function exportMarkdown(doc: Framework, options: MarkdownOptions = {}): string {
  const langs = chooseLanguages(doc, options.languages);
  const showParts = options.parts ?? true;
  const names = new PartyNames(doc);
  const { sha256 } = hashFramework(doc);
  const out: string[] = [];
  const both = (pick: (lang: string) => string): string => langs.map(pick).join(' / ');

  out.push(`# ${both((l) => esc(doc.process.title[l] ?? doc.process.title[langs[0]!] ?? ''))}`, '');
  const meta = [
    doc.process.version ? `${labelsFor(langs[0]!).version}: ${esc(doc.process.version)}` : null,
    doc.process.date ?? null,
    `sha256 \`${sha256}\``,
  ].filter((x) => x !== null);
  out.push(`_${meta.join(' · ')}_`, '');

  out.push(`## ${both((l) => labelsFor(l).parties)}`, '');
  for (const p of doc.parties)
    out.push(`- **${esc(p.short ?? p.id.toUpperCase())}** — ${both((l) => esc(p.name[l] ?? p.id))} (${p.roles.join(', ')})`);
  out.push('');

  if (doc.definitions.length > 0) {
    out.push(`## ${both((l) => labelsFor(l).definitions)}`, '');
    if (langs.length === 1) {
      const l = langs[0]!;
      for (const d of doc.definitions) out.push(`- **${esc(d.term[l] ?? d.id)}**: ${esc(d.text[l] ?? `[${labelsFor(l).pending}]`)}`);
    } else {
      out.push(row(langs), row(langs.map(() => '---')));
      for (const d of doc.definitions)
        out.push(row(langs.map((l) => `**${esc(d.term[l] ?? d.id)}**: ${esc(d.text[l] ?? `[${labelsFor(l).pending}]`)}`)));
    }
    out.push('');
  }

  const sites = [...clauseSites(doc)];
  doc.chapters.forEach((ch, c) => {
    out.push(`## ${both((l) => `${labelsFor(l).chapter} ${roman(c + 1)}. ${esc(ch.title[l] ?? '')}`)}`, '');
    ch.articles.forEach((art) => {
      const clauses = sites.filter((s) => s.article === art);
      const number = clauses[0]?.articleNumber ?? 0;
      out.push(`### ${both((l) => `${labelsFor(l).article} ${number}. ${esc(art.title[l] ?? '')}`)}`, '');
      if (langs.length > 1) out.push(row(['', ...langs]), row(['---', ...langs.map(() => '---')]));
      for (const s of clauses) {
        const n = `${s.clauseIndex + 1}.`;
        const anchor = `<a id="${s.clause.id}"></a>`;
        if (langs.length === 1) out.push(`${n} ${anchor}${md(clauseSegments(s.clause, langs[0]!, names))}`);
        else out.push(row([`${n} ${anchor}`, ...langs.map((l) => md(clauseSegments(s.clause, l, names)))]));
      }
      if (showParts) {
        const notes: string[] = [];
        for (const s of clauses) {
          if (s.clause.part) notes.push(`> ${s.clauseIndex + 1}. _machine-readable:_ ${esc(describePart(s.clause.part))}`);
          s.clause.alternatives.forEach((alt) => {
            if (alt.part) notes.push(`> ${s.clauseIndex + 1} [${alt.label ?? ''}]. _machine-readable:_ ${esc(describePart(alt.part))}`);
          });
        }
        if (notes.length > 0) out.push('', notes.join('\n>\n'));
      }
      out.push('');
    });
  });
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}

function row(cells: readonly string[]): string {
  // Cells come from esc()/md(), which already escaped pipes; only line breaks would break the row.
  return '| ' + cells.map((c) => c.replace(/\n/g, ' ')).join(' | ') + ' |';
}

function md(segments: readonly Segment[]): string {
  return segments
    .map((s) => {
      const t = esc(s.text);
      switch (s.style) {
        case 'label':
          return `**${t}**`;
        case 'proposers':
        case 'note':
          return t.trim() ? t.replace(/^(\s*)(.*?)(\s*)$/, '$1_$2_$3') : t;
        case 'deleted':
          return `~~${t}~~`;
        case 'bracket':
          // Our brackets are structure; brackets inside the prose were escaped by esc().
          return s.text === '[' || s.text === ']' ? s.text : t.replace(/^\\\[(.*)\\\]$/, '[$1]');
        default:
          return t;
      }
    })
    .join('');
}

/** Escapes what Markdown would read as syntax, so prose prints as written. */
function esc(s: string): string {
  return s.replace(/[\\`*_[\]<>|#~]/g, (c) => '\\' + c);
}
