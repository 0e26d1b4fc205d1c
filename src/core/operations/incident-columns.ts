import type { JournalEvent } from '../journal/envelope';
import type { Projection } from '../projection';
import { DOMAINS, REPORT_TYPES } from './report';

/**
 * The map projection: one row per report in typed arrays (no object per record), so millions of
 * incidents fit in memory: 8 (time) + 4 + 4 (lon/lat as float32, ~1 m) + 4 (position) + 1 + 1 + 1
 * = 23 bytes a row, plus growth slack. The report's id is its journal position.
 */
export class IncidentColumns {
  size = 0;
  time = new Float64Array(1024);
  lon = new Float32Array(1024);
  lat = new Float32Array(1024);
  position = new Uint32Array(1024);
  type = new Uint8Array(1024);
  domain = new Uint8Array(1024);
  status = new Uint8Array(1024);

  push(row: { time: number; lon: number; lat: number; position: number; type: number; domain: number; status: number }): void {
    if (this.size === this.time.length) this.grow(this.size * 2);
    const i = this.size++;
    this.time[i] = row.time;
    this.lon[i] = row.lon;
    this.lat[i] = row.lat;
    this.position[i] = row.position;
    this.type[i] = row.type;
    this.domain[i] = row.domain;
    this.status[i] = row.status;
  }

  /** Bytes held per stored row (capacity included), for the benchmark. */
  bytesPerRow(): number {
    const total = this.time.byteLength + this.lon.byteLength + this.lat.byteLength + this.position.byteLength + this.type.byteLength + this.domain.byteLength + this.status.byteLength;
    return this.size === 0 ? 0 : total / this.size;
  }

  trim(): void {
    this.grow(Math.max(this.size, 16));
  }

  private grow(capacity: number): void {
    const copy = <T extends Float64Array | Float32Array | Uint32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(capacity);
      b.set(a.subarray(0, Math.min(this.size, capacity)));
      return b;
    };
    this.time = copy(this.time, (n) => new Float64Array(n));
    this.lon = copy(this.lon, (n) => new Float32Array(n));
    this.lat = copy(this.lat, (n) => new Float32Array(n));
    this.position = copy(this.position, (n) => new Uint32Array(n));
    this.type = copy(this.type, (n) => new Uint8Array(n));
    this.domain = copy(this.domain, (n) => new Uint8Array(n));
    this.status = copy(this.status, (n) => new Uint8Array(n));
  }
}

export const incidentProjection: Projection<IncidentColumns> = {
  name: 'incidents',
  version: 1,
  init: () => new IncidentColumns(),
  apply(state, event: JournalEvent) {
    if (event.type !== 'report.filed') return;
    const p = event.payload as { occurredAt: string; location: { lon: number; lat: number }; type: string; domain: string };
    state.push({
      time: Date.parse(p.occurredAt),
      lon: p.location.lon,
      lat: p.location.lat,
      position: event.position,
      type: Math.max(0, (REPORT_TYPES as readonly string[]).indexOf(p.type)),
      domain: Math.max(0, (DOMAINS as readonly string[]).indexOf(p.domain)),
      status: 0,
    });
  },
  toSnapshot(s) {
    const n = s.size;
    const b64 = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
    return {
      size: n,
      time: b64(s.time.subarray(0, n)),
      lon: b64(s.lon.subarray(0, n)),
      lat: b64(s.lat.subarray(0, n)),
      position: b64(s.position.subarray(0, n)),
      type: b64(s.type.subarray(0, n)),
      domain: b64(s.domain.subarray(0, n)),
      status: b64(s.status.subarray(0, n)),
    };
  },
  fromSnapshot(data) {
    const d = data as Record<string, string> & { size: number };
    const s = new IncidentColumns();
    const bytes = (k: string) => {
      const buf = Buffer.from(d[k] as string, 'base64');
      const copy = new Uint8Array(buf.length);
      copy.set(buf);
      return copy.buffer;
    };
    s.time = new Float64Array(bytes('time'));
    s.lon = new Float32Array(bytes('lon'));
    s.lat = new Float32Array(bytes('lat'));
    s.position = new Uint32Array(bytes('position'));
    s.type = new Uint8Array(bytes('type'));
    s.domain = new Uint8Array(bytes('domain'));
    s.status = new Uint8Array(bytes('status'));
    s.size = d.size;
    if (s.size === 0) return new IncidentColumns();
    return s;
  },
};
