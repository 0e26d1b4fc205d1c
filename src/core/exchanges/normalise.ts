/**
 * Normalisation of identifiers before keyed hashing. Two bureaus write one person's name in
 * different scripts and systems (Олександр, Oleksandr, Александр, Aleksandr, Alexander), so names are
 * reduced to a consonant skeleton in which the variants of the Ukrainian and Russian national
 * transliterations coincide: vowels and y/i/j dropped, г/х/h/kh/g one sound, x = ks, doubles single.
 * The skeleton is lossy on purpose; a match is a candidate the intermediary confirms in person.
 */

const CYRILLIC: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  ґ: 'g',
  д: 'd',
  е: 'e',
  є: 'ye',
  ё: 'yo',
  ж: 'zh',
  з: 'z',
  и: 'y',
  і: 'i',
  ї: 'yi',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ь: '',
  ъ: '',
  ы: 'y',
  э: 'e',
  ю: 'yu',
  я: 'ya',
};

// Order matters: longer spellings of one sound first. Digits stand for sounds with two-letter spellings.
const SOUNDS: [RegExp, string][] = [
  [/shch|shtsh|sch|sc/g, '1'],
  [/sh|sz/g, '2'],
  [/zh/g, '3'],
  [/tsch|tch|ch|cz/g, '4'],
  [/kh|h/g, 'g'],
  [/ts|tz/g, '5'],
  [/x/g, 'ks'],
  [/ph/g, 'f'],
  [/w/g, 'v'],
  [/q|ck|c/g, 'k'],
  [/[aeiouyj]/g, ''],
];

/** Given names whose national forms differ in more than spelling (Mykola / Nikolai). */
const NAME_GROUPS: readonly (readonly string[])[] = [
  ['nikolai', 'mykola', 'nikolay', 'nicholas', 'mikola'],
  ['konstantin', 'kostiantyn', 'kostyantyn', 'constantine'],
  ['yelizaveta', 'elizaveta', 'yelyzaveta', 'elizabeth'],
  ['yekaterina', 'kateryna', 'ekaterina', 'catherine'],
  ['natalia', 'nataliia', 'natalya'],
  ['ilya', 'illia', 'ilia'],
  ['grigory', 'hryhorii', 'gregory'],
  ['stepan', 'stefan', 'stephen'],
  ['mikhail', 'mykhailo', 'michael'],
];

function letters(word: string): string {
  let out = '';
  for (const ch of word.normalize('NFKD').toLowerCase()) {
    const cyr = CYRILLIC[ch];
    if (cyr !== undefined) out += cyr;
    else if (ch >= 'a' && ch <= 'z') out += ch;
    // combining marks, apostrophes, hyphens and spaces fall away
  }
  return out;
}

function skeletonOf(latin: string): string {
  let s = latin;
  for (const [re, to] of SOUNDS) s = s.replace(re, to);
  return s.replace(/(.)\1+/g, '$1');
}

const CANONICAL = new Map<string, string>();
for (const group of NAME_GROUPS) {
  const canonical = skeletonOf(group[0]!);
  for (const variant of group) CANONICAL.set(skeletonOf(variant), canonical);
}

/**
 * A cache of skeletons for one batch of declarations: a list repeats its common names thousands of
 * times. It lives as long as the batch, so names do not linger in the process after it.
 */
export type SkeletonMemo = Map<string, string>;

/** One name (given, family or patronymic) as its transliteration-independent skeleton. */
export function nameSkeleton(name: string, memo?: SkeletonMemo): string {
  const known = memo?.get(name);
  if (known !== undefined) return known;
  const skeleton = name
    .split(/[\s\-‐]+/)
    .map(letters)
    .filter((w) => w.length > 0)
    .map((w) => {
      const s = skeletonOf(w);
      return CANONICAL.get(s) ?? s;
    })
    .join(' ');
  memo?.set(name, skeleton);
  return skeleton;
}

/** Family and given name (first given name only: middle names and patronymics are often omitted). */
export function personNameKey(familyName: string, givenName: string, memo?: SkeletonMemo): string {
  const given = nameSkeleton(givenName, memo).split(' ')[0] ?? '';
  return `${nameSkeleton(familyName, memo)}|${given}`;
}

const MONTHS: Record<string, number> = {};
[
  ['jan', 'січ', 'янв'],
  ['feb', 'лют', 'фев'],
  ['mar', 'бер', 'мар'],
  ['apr', 'кві', 'апр'],
  ['may', 'тра', 'мая', 'май'],
  ['jun', 'чер', 'июн'],
  ['jul', 'лип', 'июл'],
  ['aug', 'сер', 'авг'],
  ['sep', 'вер', 'сен'],
  ['oct', 'жов', 'окт'],
  ['nov', 'лис', 'ноя'],
  ['dec', 'гру', 'дек'],
].forEach((names, i) => names.forEach((n) => (MONTHS[n] = i + 1)));

function iso(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1) return null;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  if (d > days) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * A date of birth as YYYY-MM-DD, or null when it cannot be read. Accepts ISO (1994-03-12), compact
 * (19940312), day-first with dots, slashes or dashes (12.03.1994, 12/03/1994, 12-03-1994: the
 * convention of both sides' records) and month names in English, Ukrainian or Russian (12 Mar 1994,
 * 12 березня 1994, March 12, 1994).
 */
export function normaliseDate(text: string): string | null {
  const t = text.trim().toLowerCase();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (m) return iso(+m[1]!, +m[2]!, +m[3]!);
  m = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(t);
  if (m) return iso(+m[3]!, +m[2]!, +m[1]!);
  m = /^(\d{1,2})\s+([\p{L}]+)\.?,?\s+(\d{4})(?:\s*(?:р\.?|г\.?))?$/u.exec(t);
  if (m) {
    const month = MONTHS[m[2]!.slice(0, 3)];
    return month ? iso(+m[3]!, month, +m[1]!) : null;
  }
  m = /^([\p{L}]+)\.?\s+(\d{1,2}),?\s+(\d{4})$/u.exec(t);
  if (m) {
    const month = MONTHS[m[1]!.slice(0, 3)];
    return month ? iso(+m[3]!, month, +m[2]!) : null;
  }
  return null;
}

// Cyrillic letters that look like Latin ones on a typed or scanned serial number.
const HOMOGLYPHS: Record<string, string> = {
  А: 'A',
  В: 'B',
  Е: 'E',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: 'O',
  Р: 'P',
  С: 'C',
  Т: 'T',
  Х: 'X',
  І: 'I',
  У: 'Y',
};

/** A serial number without spaces, dashes or slashes, upper case, Cyrillic look-alikes as Latin. */
export function normaliseSerial(text: string): string {
  let out = '';
  for (const ch of text.toUpperCase()) {
    const latin = HOMOGLYPHS[ch] ?? ch;
    if (/[A-Z0-9]/.test(latin)) out += latin;
    else if (/\p{L}/u.test(latin)) out += latin;
  }
  return out;
}

/** The strings that are keyed-hashed for matching; hashing itself happens where the key is. */
export interface MatchMaterial {
  readonly serial: string | null;
  readonly nameDob: string | null;
  readonly name: string;
}

export function matchMaterial(
  identity: { familyName: string; givenName: string; serialNumber?: string | undefined; dateOfBirth?: string | undefined },
  memo?: SkeletonMemo,
): MatchMaterial {
  const name = personNameKey(identity.familyName, identity.givenName, memo);
  const dob = identity.dateOfBirth ? normaliseDate(identity.dateOfBirth) : null;
  const serial = identity.serialNumber ? normaliseSerial(identity.serialNumber) : '';
  return { serial: serial.length >= 3 ? `s|${serial}` : null, nameDob: dob ? `nd|${name}|${dob}` : null, name: `n|${name}` };
}
