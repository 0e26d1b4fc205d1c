import type { JournalEvent } from '../journal/envelope';
import type { Projection } from '../projection';
import { DOMAINS, REPORT_TYPES, SOURCES } from './model';

/**
 * The incidents as columns: one row per report in typed arrays (no object per record), so millions of
 * reports fit in memory and the map, the filters and the daily report scan them fast. About 75 bytes a
 * row plus growth slack. Exact and coarse coordinates are both here; which one a reader gets is
 * decided where rows are presented (see queries.ts), never by the caller.
 */

const SPEC = {
  /** occurredAt, epoch ms */
  time: Float64Array,
  /** exact point (the centroid for an area) */
  lon: Float64Array,
  lat: Float64Array,
  /** the grid cell at public precision (rounded to 4 decimals on output) */
  clon: Float32Array,
  clat: Float32Array,
  /** position of the `report.filed` event */
  position: Uint32Array,
  type: Uint8Array,
  domain: Uint8Array,
  source: Uint8Array,
  /** index into CASE_STATUSES of the report's case */
  status: Uint8Array,
  /** 0 observation, 1 claim */
  kind: Uint8Array,
  /** index into the projection's party dictionary (0: none) */
  party: Uint16Array,
  /** ZONE_FLAGS */
  flags: Uint8Array,
  /** index into TIME_PRECISIONS */
  timePrecision: Uint8Array,
  /** exact distance to the contact line in metres (NaN: no line in force) */
  contact: Float32Array,
  killed: Uint16Array,
  injured: Uint16Array,
  /** the number of the report's case (0: none) */
  caseNo: Uint32Array,
  /** the public precision (m) of the framework in force at occurredAt: the coarse cell's size */
  cell: Float32Array,
} as const;

type ColumnName = keyof typeof SPEC;
type ColumnArray = InstanceType<(typeof SPEC)[ColumnName]>;
export type IncidentRow = { [K in ColumnName]: number };

export const ZONE_FLAGS = { buffer: 1, withdrawal: 2, corridor: 4, airspace: 8 } as const;

export class IncidentColumns {
  size = 0;
  time = new Float64Array(1024);
  lon = new Float64Array(1024);
  lat = new Float64Array(1024);
  clon = new Float32Array(1024);
  clat = new Float32Array(1024);
  position = new Uint32Array(1024);
  type = new Uint8Array(1024);
  domain = new Uint8Array(1024);
  source = new Uint8Array(1024);
  status = new Uint8Array(1024);
  kind = new Uint8Array(1024);
  party = new Uint16Array(1024);
  flags = new Uint8Array(1024);
  timePrecision = new Uint8Array(1024);
  contact = new Float32Array(1024);
  killed = new Uint16Array(1024);
  injured = new Uint16Array(1024);
  caseNo = new Uint32Array(1024);
  cell = new Float32Array(1024);

  /** Adds a row (missing columns are 0, the contact distance NaN); returns its index. */
  push(row: Partial<IncidentRow> & Pick<IncidentRow, 'time' | 'lon' | 'lat' | 'position' | 'type' | 'domain' | 'status'>): number {
    if (this.size === this.time.length) this.grow(this.size * 2);
    const i = this.size++;
    for (const name of Object.keys(SPEC) as ColumnName[]) this.column(name)[i] = row[name] ?? (name === 'contact' ? NaN : 0);
    return i;
  }

  private column(name: ColumnName): ColumnArray {
    return this[name];
  }

  /** Bytes held per stored row (capacity included), for the benchmark. */
  bytesPerRow(): number {
    let total = 0;
    for (const name of Object.keys(SPEC) as ColumnName[]) total += this.column(name).byteLength;
    return this.size === 0 ? 0 : total / this.size;
  }

  trim(): void {
    this.grow(Math.max(this.size, 16));
  }

  private grow(capacity: number): void {
    for (const name of Object.keys(SPEC) as ColumnName[]) {
      const old = this.column(name);
      const next = new SPEC[name](capacity);
      next.set(old.subarray(0, Math.min(this.size, capacity)) as never);
      (this as unknown as Record<ColumnName, ColumnArray>)[name] = next;
    }
  }

  toSnapshot(): Record<string, unknown> {
    const out: Record<string, unknown> = { size: this.size };
    for (const name of Object.keys(SPEC) as ColumnName[]) {
      const a = this.column(name).subarray(0, this.size);
      out[name] = Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
    }
    return out;
  }

  static fromSnapshot(data: unknown): IncidentColumns {
    const d = data as Record<string, string> & { size: number };
    const s = new IncidentColumns();
    if (!d || d.size === 0) return s;
    for (const name of Object.keys(SPEC) as ColumnName[]) {
      const buf = Buffer.from(d[name] ?? '', 'base64');
      const bytes = new Uint8Array(buf.length);
      bytes.set(buf);
      (s as unknown as Record<ColumnName, ColumnArray>)[name] = new SPEC[name](bytes.buffer);
    }
    s.size = d.size;
    return s;
  }
}

/** Index of a value in a vocabulary, 0 for an unknown one (older events, other vocabularies). */
export function codeOf(list: readonly string[], value: unknown): number {
  return Math.max(0, list.indexOf(value as string));
}

/**
 * The columns alone, folded from `report.filed` (for the memory benchmark; the node keeps the same
 * columns inside the operations projection, which also knows cases and coarse coordinates).
 */
export const incidentProjection: Projection<IncidentColumns> = {
  name: 'incidents',
  version: 2,
  init: () => new IncidentColumns(),
  apply(state, event: JournalEvent) {
    if (event.type !== 'report.filed') return;
    const p = event.payload as {
      occurredAt: string;
      point?: { lon: number; lat: number };
      location: { lon: number; lat: number };
      type: string;
      domain: string;
      source: string;
    };
    const at = p.point ?? p.location;
    state.push({
      time: Date.parse(p.occurredAt),
      lon: at.lon,
      lat: at.lat,
      position: event.position,
      type: codeOf(REPORT_TYPES, p.type),
      domain: codeOf(DOMAINS, p.domain),
      source: codeOf(SOURCES, p.source),
      status: 0,
    });
  },
  toSnapshot: (s) => s.toSnapshot(),
  fromSnapshot: (data) => IncidentColumns.fromSnapshot(data),
};
