import type { Alternative, Article, Chapter, Clause, Framework } from '../../core/framework/model';

/*
 * Reading a framework document for display: numbering as the exports number it (chapters in roman
 * numerals, articles through the whole document, clauses within their article), prose in a language,
 * party short names in protocol order. Pure functions over the document; no React here.
 */

export type Localised = Readonly<Record<string, string>>;
export type ClauseStatus = Clause['status'];

/** The prose in one language, or null when there is none (not yet translated). */
export function textIn(text: Localised | undefined, language: string): string | null {
  const value = text?.[language];
  return value !== undefined && value.trim() !== '' ? value : null;
}

/** For titles: the language asked for, else the first one the text has. */
export function titleIn(text: Localised | undefined, language: string, fallbacks: readonly string[] = []): string {
  if (!text) return '';
  for (const l of [language, ...fallbacks]) {
    const value = textIn(text, l);
    if (value !== null) return value;
  }
  return Object.values(text)[0] ?? '';
}

/** Whether the clause (or alternative) still waits for its text in this language. */
export function isPending(
  item: Pick<Clause, 'text' | 'untranslated'> | Pick<Alternative, 'text' | 'untranslated'>,
  language: string,
): boolean {
  return item.untranslated.includes(language) || textIn(item.text, language) === null;
}

export { roman } from '../../core/framework/export/render';

/** A, B, … Z, AA, AB: what the document normalises an unlabelled alternative to. */
export function alternativeLabel(alternative: Pick<Alternative, 'label'>, index: number): string {
  if (alternative.label) return alternative.label;
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return index < 26 ? letters[index]! : letters[Math.floor(index / 26) - 1]! + letters[index % 26]!;
}

export interface PartyDirectory {
  /** How the text names a party in brackets: its short name (UA, UK, Coalition), else its id in capitals. */
  short(id: string): string;
  /** The party's name in a language (falling back to another). */
  name(id: string, language: string): string;
  /** Short names in protocol order (the order the document declares the parties), as brackets list them. */
  list(ids: readonly string[]): string;
}

export function partyDirectory(doc: Framework): PartyDirectory {
  const order = new Map(doc.parties.map((p, i) => [p.id, i]));
  const byId = new Map(doc.parties.map((p) => [p.id, p]));
  const short = (id: string): string => byId.get(id)?.short ?? id.toUpperCase();
  return {
    short,
    name: (id, language) => {
      const party = byId.get(id);
      return party ? titleIn(party.name, language, doc.process.languages) : id;
    },
    list: (ids) =>
      [...ids]
        .sort((a, b) => (order.get(a) ?? Number.MAX_SAFE_INTEGER) - (order.get(b) ?? Number.MAX_SAFE_INTEGER))
        .map(short)
        .join(', '),
  };
}

export interface ClauseSite {
  readonly chapter: Chapter;
  readonly article: Article;
  readonly clause: Clause;
  /** 1-based, within the article */
  readonly clauseNumber: number;
  /** 1-based, through the document */
  readonly articleNumber: number;
}

export interface NumberedArticle {
  readonly article: Article;
  readonly number: number;
}

export interface NumberedChapter {
  readonly chapter: Chapter;
  readonly number: number;
  readonly articles: readonly NumberedArticle[];
}

/** Chapters with their numbers and their articles numbered through the document. */
export function numbered(doc: Framework): NumberedChapter[] {
  let articleNumber = 0;
  return doc.chapters.map((chapter, i) => ({
    chapter,
    number: i + 1,
    articles: chapter.articles.map((article) => ({ article, number: ++articleNumber })),
  }));
}

export function clauseSites(doc: Framework): ClauseSite[] {
  const out: ClauseSite[] = [];
  for (const ch of numbered(doc)) {
    for (const a of ch.articles) {
      a.article.clauses.forEach((clause, i) =>
        out.push({ chapter: ch.chapter, article: a.article, clause, clauseNumber: i + 1, articleNumber: a.number }),
      );
    }
  }
  return out;
}

/** The first words of a clause, for the contents tree. */
export function teaser(text: string | null, words = 9): string {
  if (!text) return '';
  const all = text.split(/\s+/).filter(Boolean);
  return all.length <= words ? all.join(' ') : `${all.slice(0, words).join(' ')}…`;
}

/** DOM ids of what the contents tree can scroll to (prefixed: document ids must not collide with the shell's). */
export const anchorId = {
  chapter: (id: string) => `fw-chapter-${id}`,
  article: (id: string) => `fw-article-${id}`,
  clause: (id: string) => `fw-clause-${id}`,
  preamble: 'fw-preamble',
} as const;

/**
 * The ways to read the text: each working language alone, and the first language side by side with
 * each of the others (with two working languages: English, Ukrainian, both side by side).
 */
export function languageChoices(languages: readonly string[]): string[][] {
  const singles = languages.map((l) => [l]);
  const first = languages[0];
  const pairs = first === undefined ? [] : languages.slice(1).map((other) => [first, other]);
  return [...singles, ...pairs];
}

/** What to show first: the reader's interface language when the text has it, else the text's first language. */
export function defaultLanguages(languages: readonly string[], readerLanguage: string): string[] {
  return languages.includes(readerLanguage) ? [readerLanguage] : languages.slice(0, 1);
}

/** Keeps a choice that fits the document's languages; otherwise the default. */
export function fitLanguages(asked: readonly string[] | null, languages: readonly string[], readerLanguage: string): string[] {
  if (asked && asked.length > 0 && asked.length <= 2 && asked.every((l) => languages.includes(l)) && new Set(asked).size === asked.length) {
    return [...asked];
  }
  return defaultLanguages(languages, readerLanguage);
}

const displayNames = new Map<string, Intl.DisplayNames>();

/** A language's own name ("English", "Українська"): how a reader recognises their language. */
export function autonym(tag: string): string {
  try {
    let names = displayNames.get(tag);
    if (!names) {
      names = new Intl.DisplayNames([tag], { type: 'language' });
      displayNames.set(tag, names);
    }
    const name = names.of(tag) ?? tag;
    return name.charAt(0).toLocaleUpperCase(tag) + name.slice(1);
  } catch {
    return tag;
  }
}

/** A language's name in the reader's interface language ("Ukrainian" for an English reader). */
export function languageName(tag: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}
