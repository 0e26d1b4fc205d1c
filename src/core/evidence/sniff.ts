import { fail, ok, type Result } from '../errors';

/**
 * The file type read from the file's first bytes (its "magic"), never from its name or from what the
 * client declares: a file that says it is one thing and is another is refused, since an evidentiary
 * copy whose kind is in doubt invites the question what else is wrong with it.
 */

interface Signature {
  readonly type: string;
  readonly label: string;
  readonly extensions: readonly string[];
  matches(b: Uint8Array): boolean;
}

const ascii = (b: Uint8Array, at: number, text: string): boolean => {
  if (b.length < at + text.length) return false;
  for (let i = 0; i < text.length; i++) if (b[at + i] !== text.charCodeAt(i)) return false;
  return true;
};
const bytes = (b: Uint8Array, at: number, values: readonly number[]): boolean =>
  b.length >= at + values.length && values.every((v, i) => b[at + i] === v);
const brand = (b: Uint8Array): string | null =>
  ascii(b, 4, 'ftyp') && b.length >= 12 ? String.fromCharCode(b[8]!, b[9]!, b[10]!, b[11]!) : null;

const SIGNATURES: readonly Signature[] = [
  { type: 'image/jpeg', label: 'JPEG image', extensions: ['jpg', 'jpeg', 'jpe'], matches: (b) => bytes(b, 0, [0xff, 0xd8, 0xff]) },
  {
    type: 'image/png',
    label: 'PNG image',
    extensions: ['png'],
    matches: (b) => bytes(b, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  },
  { type: 'image/gif', label: 'GIF image', extensions: ['gif'], matches: (b) => ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a') },
  { type: 'image/webp', label: 'WebP image', extensions: ['webp'], matches: (b) => ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP') },
  {
    type: 'image/tiff',
    label: 'TIFF image',
    extensions: ['tif', 'tiff'],
    matches: (b) => bytes(b, 0, [0x49, 0x49, 0x2a, 0x00]) || bytes(b, 0, [0x4d, 0x4d, 0x00, 0x2a]),
  },
  {
    type: 'image/heic',
    label: 'HEIC image',
    extensions: ['heic', 'heif'],
    matches: (b) => ['heic', 'heix', 'mif1', 'msf1', 'heif'].includes(brand(b) ?? ''),
  },
  { type: 'video/quicktime', label: 'QuickTime video', extensions: ['mov', 'qt'], matches: (b) => brand(b) === 'qt  ' },
  { type: 'audio/mp4', label: 'MPEG-4 audio', extensions: ['m4a'], matches: (b) => brand(b) === 'M4A ' },
  { type: 'video/mp4', label: 'MPEG-4 video', extensions: ['mp4', 'm4v', '3gp'], matches: (b) => brand(b) !== null },
  { type: 'video/webm', label: 'WebM/Matroska video', extensions: ['webm', 'mkv'], matches: (b) => bytes(b, 0, [0x1a, 0x45, 0xdf, 0xa3]) },
  { type: 'audio/wav', label: 'WAV audio', extensions: ['wav'], matches: (b) => ascii(b, 0, 'RIFF') && ascii(b, 8, 'WAVE') },
  { type: 'audio/ogg', label: 'Ogg audio', extensions: ['ogg', 'oga', 'opus'], matches: (b) => ascii(b, 0, 'OggS') },
  {
    type: 'audio/mpeg',
    label: 'MP3 audio',
    extensions: ['mp3'],
    matches: (b) => ascii(b, 0, 'ID3') || bytes(b, 0, [0xff, 0xfb]) || bytes(b, 0, [0xff, 0xf3]) || bytes(b, 0, [0xff, 0xf2]),
  },
  { type: 'application/pdf', label: 'PDF document', extensions: ['pdf'], matches: (b) => ascii(b, 0, '%PDF-') },
];

/** How many leading bytes sniffing needs. */
export const SNIFF_BYTES = 16;

export const ACCEPTED_TYPES: readonly string[] = SIGNATURES.map((s) => s.type);

/** Other names browsers and tools give the same types. */
const ALIASES: Readonly<Record<string, string>> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'audio/x-wav': 'audio/wav',
  'audio/wave': 'audio/wav',
  'audio/mp3': 'audio/mpeg',
  'image/heif': 'image/heic',
  'video/x-matroska': 'video/webm',
  'audio/x-m4a': 'audio/mp4',
};

export function sniffType(head: Uint8Array): string | null {
  return SIGNATURES.find((s) => s.matches(head))?.type ?? null;
}

/**
 * The media type of an upload, or a refusal naming what the bytes are and what the file claimed.
 * `declared` is the client's type ('' when it did not say), `filename` the name the device gave.
 */
export function checkFileType(head: Uint8Array, declared: string, filename: string): Result<string> {
  const found = SIGNATURES.find((s) => s.matches(head));
  if (!found) {
    return fail(
      'validation_failed',
      `${filename}: its first bytes match no accepted kind of file (${SIGNATURES.map((s) => s.label).join(', ')})`,
      '/upload',
    );
  }
  const claimed = declared.split(';')[0]!.trim().toLowerCase();
  const normal = ALIASES[claimed] ?? claimed;
  // A generic type says nothing about the file, so it cannot lie.
  if (normal !== '' && normal !== 'application/octet-stream' && normal !== found.type) {
    return fail(
      'validation_failed',
      `${filename} is declared as ${claimed} but its bytes are a ${found.label} (${found.type}): the file lies about its type`,
      '/mediaType',
    );
  }
  const dot = filename.lastIndexOf('.');
  const extension = dot > 0 ? filename.slice(dot + 1).toLowerCase() : '';
  const claimedBy = SIGNATURES.find((s) => s.extensions.includes(extension));
  if (claimedBy && claimedBy.type !== found.type) {
    return fail(
      'validation_failed',
      `${filename} is named as a ${claimedBy.label} (.${extension}) but its bytes are a ${found.label} (${found.type}): the file lies about its type`,
      '/filename',
    );
  }
  return ok(found.type);
}

export function extensionOf(type: string): string {
  return SIGNATURES.find((s) => s.type === type)?.extensions[0] ?? 'bin';
}
