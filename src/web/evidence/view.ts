/* Pure helpers of the evidence page (tested in view.test.ts). */

export type CustodyTone = 'create' | 'read' | 'change' | 'analysis' | 'public' | 'sealed';

/** The colour family of a custody event on the timeline. */
export function custodyTone(type: string): CustodyTone {
  switch (type) {
    case 'evidence.captured':
    case 'evidence.derived':
    case 'evidence.derivative-made':
      return 'create';
    case 'evidence.viewed':
    case 'evidence.downloaded':
    case 'evidence.exported':
      return 'read';
    case 'evidence.analysed':
    case 'evidence.challenged':
      return 'analysis';
    case 'evidence.published':
      return 'public';
    case 'evidence.reporter-sealed':
    case 'evidence.reporter-unsealed':
      return 'sealed';
    default:
      return 'change';
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

export function distanceM(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const rad = Math.PI / 180;
  const h =
    Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lon - a.lon) * rad) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Where the device and the camera put the capture, in a 200 × 100 frame: the device at the centre with
 * its accuracy circle, the EXIF position placed to scale (east right, north up) so both fit.
 */
export function placeFrame(
  device: { lon: number; lat: number; accuracy_m: number } | null,
  exif: { lon: number; lat: number } | null,
): { device: { x: number; y: number }; exif: { x: number; y: number }; accuracy: number; label: string } | null {
  if (!device || !exif) return null;
  const dx = (exif.lon - device.lon) * 111_320 * Math.cos((device.lat * Math.PI) / 180);
  const dy = (exif.lat - device.lat) * 110_540;
  const reach = Math.max(Math.abs(dx), Math.abs(dy) * 2, device.accuracy_m, 1);
  const scale = 80 / reach; // pixels per metre: the farther point lands 80 px from the centre
  const centre = { x: 100, y: 52 };
  const d = distanceM(device, exif);
  return {
    device: centre,
    exif: { x: centre.x + dx * scale, y: centre.y - dy * scale },
    accuracy: Math.max(device.accuracy_m * scale, 2),
    label: d >= 1000 ? `${(d / 1000).toFixed(1)} km` : `${Math.round(d)} m`,
  };
}
