/**
 * Photos for the evidence demo and tests: a JPEG whose EXIF is written here, so the camera's
 * statements (time, zone, GPS, make, model, software) are known exactly. The image part is a JPEG
 * comment, not pixels: enough for the type sniffing, the hashes and the EXIF reader.
 */

interface IfdEntry {
  tag: number;
  type: 2 | 4 | 5; // ASCII, LONG, RATIONAL
  values: string | number[];
}

/** Writes a big-endian TIFF IFD at `at`; values that do not fit in 4 bytes go after it. */
function ifd(entries: IfdEntry[], at: number, pointers: Map<number, number> = new Map()): { bytes: Buffer; size: number } {
  const sorted = [...entries].sort((a, b) => a.tag - b.tag);
  const head = Buffer.alloc(2 + sorted.length * 12 + 4);
  const extra: Buffer[] = [];
  let extraAt = at + head.length;
  head.writeUInt16BE(sorted.length, 0);
  sorted.forEach((e, i) => {
    const o = 2 + i * 12;
    let data: Buffer;
    let count: number;
    if (e.type === 2) {
      data = Buffer.from(`${e.values as string}\0`, 'latin1');
      count = data.length;
    } else if (e.type === 4) {
      const v = pointers.get(e.tag) ?? (e.values as number[])[0]!;
      data = Buffer.alloc(4);
      data.writeUInt32BE(v, 0);
      count = 1;
    } else {
      const nums = e.values as number[];
      data = Buffer.alloc(nums.length * 4);
      nums.forEach((n, k) => data.writeUInt32BE(n, k * 4));
      count = nums.length / 2;
    }
    head.writeUInt16BE(e.tag, o);
    head.writeUInt16BE(e.type, o + 2);
    head.writeUInt32BE(count, o + 4);
    if (data.length <= 4) data.copy(head, o + 8);
    else {
      head.writeUInt32BE(extraAt, o + 8);
      extra.push(data);
      extraAt += data.length + (data.length % 2);
      if (data.length % 2) extra.push(Buffer.alloc(1));
    }
  });
  const bytes = Buffer.concat([head, ...extra]);
  return { bytes, size: bytes.length };
}

const dms = (deg: number): number[] => {
  const a = Math.abs(deg);
  const d = Math.floor(a);
  const m = Math.floor((a - d) * 60);
  const s = Math.round(((a - d) * 60 - m) * 60 * 100);
  return [d, 1, m, 1, s, 100];
};

export interface ExifSpec {
  takenAt?: string; // "2026:01:07 05:40:00"
  offset?: string; // "+02:00"
  position?: { lon: number; lat: number };
  make?: string;
  model?: string;
  software?: string;
}

/** A JPEG (SOI, APP1 Exif, a comment carrying `body`, EOI) with the EXIF asked for. */
export function jpegWithExif(spec: ExifSpec, body = 'photo'): Buffer {
  const ifd0Entries: IfdEntry[] = [];
  if (spec.make) ifd0Entries.push({ tag: 0x010f, type: 2, values: spec.make });
  if (spec.model) ifd0Entries.push({ tag: 0x0110, type: 2, values: spec.model });
  if (spec.software) ifd0Entries.push({ tag: 0x0131, type: 2, values: spec.software });
  const exifEntries: IfdEntry[] = [];
  if (spec.takenAt) exifEntries.push({ tag: 0x9003, type: 2, values: spec.takenAt });
  if (spec.offset) exifEntries.push({ tag: 0x9011, type: 2, values: spec.offset });
  const gpsEntries: IfdEntry[] = spec.position
    ? [
        { tag: 1, type: 2, values: spec.position.lat >= 0 ? 'N' : 'S' },
        { tag: 2, type: 5, values: dms(spec.position.lat) },
        { tag: 3, type: 2, values: spec.position.lon >= 0 ? 'E' : 'W' },
        { tag: 4, type: 5, values: dms(spec.position.lon) },
      ]
    : [];
  if (exifEntries.length) ifd0Entries.push({ tag: 0x8769, type: 4, values: [0] });
  if (gpsEntries.length) ifd0Entries.push({ tag: 0x8825, type: 4, values: [0] });
  // Lay out: header (8), IFD0, Exif IFD, GPS IFD — sizes first, then offsets.
  const size0 = ifd(ifd0Entries, 8).size;
  const exifAt = 8 + size0;
  const exifIfd = ifd(exifEntries, exifAt);
  const gpsAt = exifAt + (exifEntries.length ? exifIfd.size : 0);
  const gpsIfd = ifd(gpsEntries, gpsAt);
  const pointers = new Map<number, number>([
    [0x8769, exifAt],
    [0x8825, gpsAt],
  ]);
  const ifd0 = ifd(ifd0Entries, 8, pointers);
  const tiff = Buffer.concat([
    Buffer.from('MM\0\x2a\0\0\0\x08', 'latin1'),
    ifd0.bytes,
    exifEntries.length ? exifIfd.bytes : Buffer.alloc(0),
    gpsEntries.length ? gpsIfd.bytes : Buffer.alloc(0),
  ]);
  const app1Body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1]), u16(app1Body.length + 2), app1Body]);
  const comment = Buffer.from(body, 'utf8');
  const com = Buffer.concat([Buffer.from([0xff, 0xfe]), u16(comment.length + 2), comment]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app1, com, Buffer.from([0xff, 0xd9])]);
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n, 0);
  return b;
}
