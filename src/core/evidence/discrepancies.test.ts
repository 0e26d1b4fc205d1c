import { describe, expect, it } from 'vitest';
import { exifInstant, findDiscrepancies } from './discrepancies';
import type { CaptureFacts } from './model';

const exif = (over: Partial<NonNullable<CaptureFacts['exif']>> = {}): NonNullable<CaptureFacts['exif']> => ({
  takenAt: '2026:01:07 05:40:00',
  offset: '+02:00',
  position: { lon: 35.93, lat: 47.47 },
  make: 'Canon',
  model: 'EOS',
  software: null,
  ...over,
});
const facts = (over: Partial<CaptureFacts> = {}): CaptureFacts => ({
  deviceTime: '2026-01-07T05:41:00+02:00',
  position: { lon: 35.9302, lat: 47.4701, accuracy_m: 15 },
  receivedAt: '2026-01-07T09:00:00Z',
  exif: exif(),
  ...over,
});

describe('discrepancies between capture sources', () => {
  it('finds none when device, camera and server agree', () => {
    expect(findDiscrepancies(facts())).toEqual([]);
  });

  it('flags an EXIF time far from the device time, keeping both values in the message', () => {
    const found = findDiscrepancies(facts({ exif: exif({ takenAt: '2026:01:05 05:40:00' }) }));
    expect(found.map((d) => d.code)).toEqual(['exif-time-differs']);
    expect(found[0]!.message).toContain('2026:01:05 05:40:00 +02:00');
    expect(found[0]!.message).toContain('is 2 days from the device time');
  });

  it("reads an EXIF time without a zone in the device's zone", () => {
    expect(findDiscrepancies(facts({ exif: exif({ offset: null }) }))).toEqual([]);
    expect(exifInstant('2026:01:07 05:40:00', '+02:00')).toBe(Date.parse('2026-01-07T03:40:00Z'));
  });

  it('flags an EXIF position beyond the device accuracy, a device clock ahead of the server, and editing software', () => {
    const found = findDiscrepancies(
      facts({
        deviceTime: '2026-01-07T12:00:00+02:00',
        receivedAt: '2026-01-07T09:00:00Z',
        exif: exif({ takenAt: '2026:01:07 12:00:00', position: { lon: 36.0, lat: 47.47 }, software: 'Adobe Photoshop 25.0' }),
      }),
    );
    expect(found.map((d) => d.code).sort()).toEqual(['device-time-after-receipt', 'exif-edited-by-software', 'exif-position-differs']);
    expect(found.find((d) => d.code === 'exif-position-differs')!.message).toMatch(/5\.\d km from the device position/);
  });

  it('says so when nothing but the server knows the time', () => {
    expect(findDiscrepancies(facts({ deviceTime: null, exif: null })).map((d) => d.code)).toEqual(['no-independent-time']);
  });
});
