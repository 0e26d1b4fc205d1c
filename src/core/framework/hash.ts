import { canonicalize } from '../journal/canonical';
import { sha256Hex } from '../journal/chain';
import type { Framework } from './model';

/**
 * The version hash: SHA-256 of the RFC 8785 canonical JSON of the normalised document. Key order,
 * whitespace, comments and YAML style vanish in parsing and canonicalisation; everything else that
 * survives normalisation (normalise.ts) is meaning, and changes the hash.
 *
 * One hash per language as well: that language's prose plus every machine-readable part. A delegation
 * reading only the Ukrainian text can check that its text and the rules behind it are the ones signed,
 * and an edit to the English prose alone leaves the Ukrainian hash unchanged.
 */
export interface FrameworkHashes {
  readonly sha256: string;
  readonly languages: Readonly<Record<string, string>>;
}

export function hashFramework(doc: Framework): FrameworkHashes {
  const languages: Record<string, string> = {};
  for (const lang of doc.process.languages) languages[lang] = sha256Hex(canonicalize(languageView(doc, lang)));
  return { sha256: sha256Hex(canonicalize(doc)), languages };
}

/** The document as a reader of one language sees it: every text reduced to that language. */
export function languageView(doc: Framework, lang: string): unknown {
  const one = (t: Readonly<Record<string, string>>): string | null => t[lang] ?? null;
  return {
    language: lang,
    format: doc.format,
    process: { ...doc.process, title: one(doc.process.title) },
    parties: doc.parties.map((p) => ({ ...p, name: one(p.name) })),
    definitions: doc.definitions.map((d) => ({ ...d, term: one(d.term), text: one(d.text) })),
    chapters: doc.chapters.map((ch) => ({
      ...ch,
      title: one(ch.title),
      articles: ch.articles.map((a) => ({
        ...a,
        title: one(a.title),
        clauses: a.clauses.map((c) => ({
          ...c,
          title: c.title ? one(c.title) : undefined,
          text: one(c.text),
          alternatives: c.alternatives.map((alt) => ({ ...alt, text: one(alt.text) })),
        })),
      })),
    })),
    retiredIds: doc.retiredIds,
  };
}
