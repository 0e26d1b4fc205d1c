import { describe, expect, it } from 'vitest';
import { checkFileType, sniffType } from './sniff';

const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe1, 0, 0x10]);
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
const pdf = new TextEncoder().encode('%PDF-1.7\n');
const mp4 = new Uint8Array([0, 0, 0, 0x18, ...new TextEncoder().encode('ftypisom')]);
const mov = new Uint8Array([0, 0, 0, 0x14, ...new TextEncoder().encode('ftypqt  ')]);

describe('file type from magic bytes', () => {
  it('recognises the kinds field teams send', () => {
    expect(sniffType(jpeg)).toBe('image/jpeg');
    expect(sniffType(png)).toBe('image/png');
    expect(sniffType(pdf)).toBe('application/pdf');
    expect(sniffType(mp4)).toBe('video/mp4');
    expect(sniffType(mov)).toBe('video/quicktime');
    expect(sniffType(new TextEncoder().encode('hello'))).toBeNull();
  });

  it('accepts a file whose name and declared type agree with its bytes, aliases included', () => {
    expect(checkFileType(jpeg, 'image/jpg', 'IMG_0001.JPG')).toEqual({ ok: true, value: 'image/jpeg' });
    expect(checkFileType(jpeg, '', 'capture')).toEqual({ ok: true, value: 'image/jpeg' });
    expect(checkFileType(pdf, 'application/octet-stream', 'statement.pdf')).toEqual({ ok: true, value: 'application/pdf' });
  });

  it('refuses a declared type that lies, naming both', () => {
    const r = checkFileType(pdf, 'image/jpeg', 'photo.jpg');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toContain('declared as image/jpeg but its bytes are a PDF document');
      expect(r.pointer).toBe('/mediaType');
    }
  });

  it('refuses a file name that lies about the type', () => {
    const r = checkFileType(png, '', 'photo.jpg');
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.message).toBe(
        'photo.jpg is named as a JPEG image (.jpg) but its bytes are a PNG image (image/png): the file lies about its type',
      );
  });

  it('refuses bytes of no accepted kind', () => {
    const r = checkFileType(new TextEncoder().encode('#!/bin/sh\nrm -rf /'), 'text/plain', 'x.sh');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/^x\.sh: its first bytes match no accepted kind of file/);
  });
});
