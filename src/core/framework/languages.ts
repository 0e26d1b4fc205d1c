/**
 * Working languages. The tag syntax is checked by the schema (model.ts); here we check that the
 * language exists, using the ICU data Node ships (no list of our own to keep up to date).
 */

const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
const scriptNames = new Intl.DisplayNames(['en'], { type: 'script', fallback: 'none' });

/** English name of a tag (`uk` → Ukrainian), or null when the language is unknown. */
export function languageName(tag: string): string | null {
  // Intl throws a RangeError on malformed codes (e.g. "e n"); such a tag is simply not a language.
  if (!/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/.test(tag)) return null;
  try {
    return knownName(tag);
  } catch {
    return null;
  }
}

function knownName(tag: string): string | null {
  const [language, ...rest] = tag.split('-');
  if (!language || NOT_LANGUAGES.has(language)) return null;
  const name = languageNames.of(language);
  // ICU echoes some unknown codes back unchanged instead of returning undefined.
  if (!name || name === language) return null;
  for (const sub of rest) {
    if (/^[A-Z][a-z]{3}$/.test(sub) && !validName(scriptNames.of(sub), sub)) return null;
    if (/^(?:[A-Z]{2}|\d{3})$/.test(sub) && !validName(regionNames.of(sub), sub)) return null;
  }
  return languageNames.of(tag) ?? name;
}

/** Special codes ICU names but that no text can be written in. */
const NOT_LANGUAGES = new Set(['mul', 'zxx', 'und', 'mis']);

/** Country codes people write for a language by mistake. */
const COUNTRY_NOT_LANGUAGE: Readonly<Record<string, string>> = {
  ua: 'uk (Ukrainian)',
  gb: 'en (English)',
  us: 'en (English)',
  by: 'be (Belarusian)',
  ge: 'ka (Georgian)',
  kz: 'kk (Kazakh)',
};

function validName(name: string | undefined, code: string): boolean {
  return !!name && name !== code;
}

/** A message for a tag that is not a known language, or null when it is fine. */
export function unknownLanguageMessage(tag: string): string | null {
  if (languageName(tag)) return null;
  const hint = COUNTRY_NOT_LANGUAGE[tag];
  if (hint) return `unknown language "${tag}": that is a country code; did you mean ${hint}?`;
  return `unknown language "${tag}": use a BCP-47 tag of a real language, e.g. en (English), uk (Ukrainian), ru (Russian), fr (French), tr (Turkish)`;
}
