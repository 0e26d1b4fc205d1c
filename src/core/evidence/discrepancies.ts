import type { CaptureFacts, Discrepancy } from './model';

/**
 * Place and time of a capture come from independent sources: the device (its clock and GNSS), the
 * camera's EXIF, and the server's receipt. Where they disagree the disagreement is flagged beside all of
 * the values, never settled by overwriting one with another: the analyst and the commission decide.
 */

/** Clocks a few minutes apart are normal; more is worth a human look. */
export const TIME_TOLERANCE_MS = 10 * 60_000;
/** A device may be ahead of the server by this much before its time is called impossible. */
export const RECEIPT_SKEW_MS = 5 * 60_000;
/** EXIF positions within the device's accuracy plus this are taken to agree. */
export const POSITION_TOLERANCE_M = 200;

const EDITORS = /photoshop|lightroom|gimp|snapseed|picsart|facetune|affinity|pixelmator|canva/i;

export function findDiscrepancies(facts: CaptureFacts): Discrepancy[] {
  const found: Discrepancy[] = [];
  const received = Date.parse(facts.receivedAt);
  const device = facts.deviceTime === null ? null : Date.parse(facts.deviceTime);
  if (device !== null && device - received > RECEIPT_SKEW_MS) {
    found.push({
      code: 'device-time-after-receipt',
      message: `the device time ${facts.deviceTime} is ${minutes(device - received)} after the server received the file (${facts.receivedAt})`,
    });
  }
  const exif = facts.exif;
  if (device !== null && exif?.takenAt) {
    const exifMs = exifInstant(exif.takenAt, exif.offset ?? offsetOf(facts.deviceTime!));
    if (exifMs !== null && Math.abs(exifMs - device) > TIME_TOLERANCE_MS) {
      found.push({
        code: 'exif-time-differs',
        message: `the camera's EXIF time ${exif.takenAt}${exif.offset ? ` ${exif.offset}` : " (no zone; read in the device's zone)"} is ${minutes(Math.abs(exifMs - device))} from the device time ${facts.deviceTime}`,
      });
    }
  }
  if (device === null && !exif?.takenAt) {
    found.push({
      code: 'no-independent-time',
      message: 'neither the device nor the file says when it was captured; only the server receipt time is known',
    });
  }
  if (facts.position && exif?.position) {
    const d = distanceM(facts.position, exif.position);
    if (d > facts.position.accuracy_m + POSITION_TOLERANCE_M) {
      found.push({
        code: 'exif-position-differs',
        message: `the EXIF position is ${formatDistance(d)} from the device position (accuracy ${Math.round(facts.position.accuracy_m)} m)`,
      });
    }
  }
  if (exif?.software && EDITORS.test(exif.software)) {
    found.push({ code: 'exif-edited-by-software', message: `the EXIF names editing software: ${exif.software}` });
  }
  return found;
}

/** EXIF "YYYY:MM:DD HH:MM:SS" read at a "+HH:MM" offset, as epoch milliseconds. */
export function exifInstant(takenAt: string, offset: string): number | null {
  const m = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(takenAt);
  if (!m) return null;
  const zone = /^[+-]\d{2}:\d{2}$/.test(offset) ? offset : 'Z';
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone === 'Z' ? 'Z' : zone}`);
  return Number.isNaN(ms) ? null : ms;
}

function offsetOf(instant: string): string {
  const m = /([+-]\d{2}:\d{2}|Z)$/.exec(instant);
  return m && m[1] !== 'Z' ? m[1]! : 'Z';
}

function minutes(ms: number): string {
  const m = Math.round(ms / 60_000);
  if (m > 2880) return `${Math.round(m / 1440)} days`;
  return m >= 120 ? `${(m / 60).toFixed(1)} h` : `${m} min`;
}

function formatDistance(m: number): string {
  return m >= 1000 ? `${(m / 1000).toFixed(1)} km` : `${Math.round(m)} m`;
}

/** Great-circle distance (haversine): enough for "do these two places agree". */
export function distanceM(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
}
