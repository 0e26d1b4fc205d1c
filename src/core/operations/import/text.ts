/**
 * Bytes to text for imported files, and the checks that keep damaged text out of the journal.
 * Real exports arrive as UTF-8 or as Windows-1252 (Excel on Windows); both are read exactly, and a
 * byte that neither explains is reported with its line instead of being guessed at.
 */

export const ENCODINGS = ['utf-8', 'windows-1252'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/**
 * Windows-1252 0x80–0x9F. The five holes (0x81, 0x8D, 0x8F, 0x90, 0x9D) are not characters: a file
 * that has them is not Windows-1252. Every other byte is the Latin-1 code point of the same value.
 * (Latin-1 itself would turn 0x92 into an invisible control character instead of ’.)
 */
const CP1252_HIGH: readonly (number | null)[] = [
  0x20ac,
  null,
  0x201a,
  0x0192,
  0x201e,
  0x2026,
  0x2020,
  0x2021,
  0x02c6,
  0x2030,
  0x0160,
  0x2039,
  0x0152,
  null,
  0x017d,
  null,
  null,
  0x2018,
  0x2019,
  0x201c,
  0x201d,
  0x2022,
  0x2013,
  0x2014,
  0x02dc,
  0x2122,
  0x0161,
  0x203a,
  0x0153,
  null,
  0x017e,
  0x0178,
];

/** A byte the chosen encoding cannot read, located so the row holding it can be named. */
export interface UnreadableByte {
  readonly line: number;
  readonly byte: number;
}

export interface DecodedText {
  readonly text: string;
  readonly encoding: Encoding;
  /** Why this encoding was chosen, for the operator. */
  readonly detected: string;
  /** Bytes that could not be read (each shown as U+FFFD in `text`); their rows must be refused. */
  readonly unreadable: readonly UnreadableByte[];
}

const REPLACEMENT = '\uFFFD';

/** Length of the valid UTF-8 sequence starting at i, or 0 when the bytes there are not UTF-8. */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i]!;
  if (b0 < 0x80) return 1;
  let need: number;
  let min: number;
  if (b0 >= 0xc2 && b0 <= 0xdf) [need, min] = [1, 0x80];
  else if (b0 >= 0xe0 && b0 <= 0xef) [need, min] = [2, 0x800];
  else if (b0 >= 0xf0 && b0 <= 0xf4) [need, min] = [3, 0x10000];
  else return 0;
  let cp = b0 & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
  for (let k = 1; k <= need; k++) {
    const b = bytes[i + k];
    if (b === undefined || (b & 0xc0) !== 0x80) return 0;
    cp = (cp << 6) | (b & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return need + 1;
}

/**
 * Decodes a file. `auto` reads UTF-8 when the bytes are UTF-8; when they are not and hold no UTF-8
 * multi-byte character at all, the file is Windows-1252 (what Excel writes); when they hold both,
 * the file is UTF-8 with some rows pasted from elsewhere, and those rows are reported.
 */
export function decodeBytes(bytes: Uint8Array, wanted: Encoding | 'auto' = 'auto'): DecodedText {
  let start = 0;
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (bom && wanted !== 'windows-1252') start = 3;

  let multibyte = 0;
  let invalid = 0;
  for (let i = start; i < bytes.length;) {
    if (bytes[i]! < 0x80) {
      i++;
      continue;
    }
    const n = utf8SequenceLength(bytes, i);
    if (n === 0) {
      invalid++;
      i++;
    } else {
      multibyte++;
      i += n;
    }
  }

  let encoding: Encoding;
  let detected: string;
  if (wanted !== 'auto') {
    encoding = wanted;
    detected = `read as ${wanted}, as asked`;
  } else if (invalid === 0) {
    encoding = 'utf-8';
    detected = bom ? 'UTF-8 (with a byte-order mark)' : multibyte > 0 ? 'UTF-8' : 'UTF-8 (plain ASCII)';
  } else if (multibyte === 0) {
    encoding = 'windows-1252';
    detected = `Windows-1252 (${invalid} byte${invalid === 1 ? '' : 's'} that are not UTF-8 and no UTF-8 character)`;
  } else {
    encoding = 'utf-8';
    detected = `UTF-8, with ${invalid} byte${invalid === 1 ? '' : 's'} that are not UTF-8`;
  }

  return encoding === 'utf-8' ? decodeUtf8(bytes, start) : decodeCp1252(bytes);
  function decodeUtf8(b: Uint8Array, from: number): DecodedText {
    const parts: string[] = [];
    const unreadable: UnreadableByte[] = [];
    const decoder = new TextDecoder('utf-8', { fatal: false });
    let line = 1;
    let runStart = from;
    for (let i = from; i < b.length;) {
      const byte = b[i]!;
      if (byte === 0x0a) line++;
      if (byte < 0x80) {
        i++;
        continue;
      }
      const n = utf8SequenceLength(b, i);
      if (n > 0) {
        i += n;
        continue;
      }
      parts.push(decoder.decode(b.subarray(runStart, i)), REPLACEMENT);
      unreadable.push({ line, byte });
      i++;
      runStart = i;
    }
    parts.push(decoder.decode(b.subarray(runStart)));
    return { text: parts.join(''), encoding: 'utf-8', detected, unreadable };
  }
  function decodeCp1252(b: Uint8Array): DecodedText {
    const unreadable: UnreadableByte[] = [];
    const chars: string[] = [];
    let line = 1;
    let run = '';
    for (let i = 0; i < b.length; i++) {
      const byte = b[i]!;
      if (byte === 0x0a) line++;
      let code: number | null = byte;
      if (byte >= 0x80 && byte <= 0x9f) code = CP1252_HIGH[byte - 0x80]!;
      if (code === null) {
        unreadable.push({ line, byte });
        run += REPLACEMENT;
      } else {
        run += String.fromCharCode(code);
      }
      // Joining in pieces keeps a multi-megabyte file from building one huge rope of tiny strings.
      if (run.length >= 8192) {
        chars.push(run);
        run = '';
      }
    }
    chars.push(run);
    return { text: chars.join(''), encoding: 'windows-1252', detected, unreadable };
  }
}

export function hex(byte: number): string {
  return '0x' + byte.toString(16).toUpperCase().padStart(2, '0');
}

/** Each line holding an unreadable byte, with the reason its row is refused. */
export function unreadableLines(decoded: DecodedText): Map<number, string> {
  const lines = new Map<number, string>();
  for (const u of decoded.unreadable) {
    if (lines.has(u.line)) continue;
    lines.set(
      u.line,
      decoded.encoding === 'utf-8'
        ? `byte ${hex(u.byte)} is not UTF-8: this row was saved in another encoding`
        : `byte ${hex(u.byte)} is not a Windows-1252 character: the row is in an encoding that cannot be told`,
    );
  }
  return lines;
}

/**
 * Why a piece of text looks damaged, or null. Three kinds of damage survive decoding:
 * - U+FFFD: a byte could not be read, here or in an earlier conversion;
 * - runs of `?` where letters were: an earlier export wrote characters its encoding could not hold
 *   (Cyrillic saved as Windows-1252 becomes `? ????????? ???????`);
 * - mojibake: UTF-8 read as Windows-1252 and saved again (`Ð¡Ñ‚Ð°Ð½Ð¸Ñ†Ñ` for `Станиця`).
 */
export function textDamage(text: string): string | null {
  if (text.includes(REPLACEMENT)) return 'has unreadable characters (shown as \uFFFD)';
  const lost = LOST_CHARACTERS.exec(text);
  if (lost) return `has "${excerpt(text, lost.index)}": question marks stand where characters were (an earlier export could not hold them)`;
  const moji = MOJIBAKE.exec(text);
  if (moji) return `has "${excerpt(text, moji.index)}": UTF-8 text that was read as another encoding (mojibake)`;
  return null;
}

// Two question marks in a row, or one glued to the letter or digit after it ("?29", "??-26").
// A real question ends a sentence: it is followed by a space, punctuation or the end.
const LOST_CHARACTERS = /\?\?|\?(?=[\p{L}\p{N}'’-])/u;
// UTF-8 lead bytes (Ã Â Ð Ñ â …) read as Windows-1252 and followed by a continuation byte's character.
const MOJIBAKE =
  /[ÂÃÐÑ][\u0080-\u00BF\u0152\u0153\u0160\u0161\u0178\u017D\u017E\u0192\u02C6\u02DC\u2013\u2014\u2018-\u201E\u2020-\u2022\u2026\u2030\u2039\u203A\u20AC\u2122]|â€/;

function excerpt(text: string, at: number): string {
  const from = Math.max(0, at - 12);
  const to = Math.min(text.length, at + 24);
  return (from > 0 ? '…' : '') + text.slice(from, to).replace(/\s+/g, ' ') + (to < text.length ? '…' : '');
}

/** The 1-based line of each character offset is needed for errors; this finds it in O(log n). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

export function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}
