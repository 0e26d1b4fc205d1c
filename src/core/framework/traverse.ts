import type { Alternative, Article, Chapter, Clause, Framework, Part } from './model';

/**
 * Walks over a framework document with JSON pointers, so that every check, the diff and the exports
 * name places the same way (and validate.ts can map a pointer back to a line and column).
 */

export interface ClauseSite {
  readonly clause: Clause;
  readonly chapter: Chapter;
  readonly article: Article;
  readonly chapterIndex: number;
  readonly articleIndex: number;
  readonly clauseIndex: number;
  /** Articles are numbered through the whole document (Article 1, 2, …), as treaties do. */
  readonly articleNumber: number;
  readonly pointer: string;
}

export function* clauseSites(doc: Framework): Generator<ClauseSite> {
  let articleNumber = 0;
  for (let c = 0; c < doc.chapters.length; c++) {
    const chapter = doc.chapters[c]!;
    for (let a = 0; a < chapter.articles.length; a++) {
      const article = chapter.articles[a]!;
      articleNumber++;
      for (let k = 0; k < article.clauses.length; k++) {
        yield {
          clause: article.clauses[k]!,
          chapter,
          article,
          chapterIndex: c,
          articleIndex: a,
          clauseIndex: k,
          articleNumber,
          pointer: `/chapters/${c}/articles/${a}/clauses/${k}`,
        };
      }
    }
  }
}

export interface PartSite {
  readonly part: Part;
  readonly pointer: string;
  readonly clause: Clause;
  readonly clausePointer: string;
  /** Set when the part belongs to an alternative (one option of a bracketed clause). */
  readonly alternative: Alternative | null;
}

/** Every machine-readable part, the clause's own and each alternative's. */
export function* partSites(doc: Framework): Generator<PartSite> {
  for (const site of clauseSites(doc)) {
    const { clause } = site;
    if (clause.part) yield { part: clause.part, pointer: site.pointer + '/part', clause, clausePointer: site.pointer, alternative: null };
    for (let i = 0; i < clause.alternatives.length; i++) {
      const alt = clause.alternatives[i]!;
      if (alt.part)
        yield { part: alt.part, pointer: `${site.pointer}/alternatives/${i}/part`, clause, clausePointer: site.pointer, alternative: alt };
    }
  }
}

/** RFC 6901 pointer segment escaping. */
export function pointerSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
