import { describe, expect, it } from 'vitest';
import { custodyTone, formatBytes, placeFrame } from './view';

describe('evidence page helpers', () => {
  it('groups custody events by what they do', () => {
    expect(custodyTone('evidence.captured')).toBe('create');
    expect(custodyTone('evidence.downloaded')).toBe('read');
    expect(custodyTone('evidence.challenged')).toBe('analysis');
    expect(custodyTone('evidence.access-changed')).toBe('change');
    expect(custodyTone('evidence.published')).toBe('public');
  });

  it('writes sizes as people read them', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(2 * 1024 ** 3)).toBe('2.0 GiB');
  });

  it('places the EXIF position east and north of the device to scale', () => {
    const f = placeFrame({ lon: 35.93, lat: 47.47, accuracy_m: 10 }, { lon: 35.94, lat: 47.47 })!;
    expect(f.exif.x).toBeCloseTo(180, 0);
    expect(f.exif.y).toBeCloseTo(52, 5);
    expect(f.label).toBe('752 m');
    expect(placeFrame(null, { lon: 1, lat: 1 })).toBeNull();
  });
});
