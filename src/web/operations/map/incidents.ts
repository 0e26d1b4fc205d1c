import { CASE_STATUSES, DOMAINS, REPORT_TYPES, SOURCES } from '../../../core/operations/model';

/*
 * The incidents the map shows, in columns (typed arrays, one slot per incident) rather than one
 * object each: 100,000 incidents filter in a few milliseconds and cost ~50 bytes apiece. Live
 * arrivals are merged by id, so an incident the stream brings twice (or one the list already had)
 * is shown once, and a status change updates its row in place.
 */

export type IncidentStatus = (typeof CASE_STATUSES)[number];

/** One incident as the map needs it; enumerations as the server spells them. */
export interface IncidentRow {
  /** The report's id (`R-…`) or the case's (`C-…`): what a click opens. */
  readonly id: string;
  readonly lon: number;
  readonly lat: number;
  /** Milliseconds since the epoch, when it happened. */
  readonly time: number;
  readonly type: string;
  readonly domain: string;
  readonly status: string;
  readonly source: string;
  /** The party concerned: the attributed party where a finding names one, else the reporting party. */
  readonly party: string | null;
  /**
   * The case it belongs to: its id when known (live events name cases by id), else `#<number>` (the
   * map endpoint names them by number) until an event tells the id; null for none yet.
   */
  readonly caseKey: string | null;
}

export interface IncidentFilter {
  readonly types: ReadonlySet<string> | null;
  readonly domains: ReadonlySet<string> | null;
  readonly statuses: ReadonlySet<string> | null;
  /** Party ids; `''` stands for "no party". */
  readonly parties: ReadonlySet<string> | null;
  /** Inclusive bounds in ms; null for open. */
  readonly from: number | null;
  readonly until: number | null;
}

export const NO_FILTER: IncidentFilter = { types: null, domains: null, statuses: null, parties: null, from: null, until: null };

const UNKNOWN = 255;

/** Index of `value` in `list`, or 255 for a value this client does not know (still shown, as "other"). */
function code(list: readonly string[], value: string): number {
  const i = list.indexOf(value);
  return i < 0 ? UNKNOWN : i;
}

export class IncidentSet {
  size = 0;
  lon = new Float64Array(0);
  lat = new Float64Array(0);
  time = new Float64Array(0);
  type = new Uint8Array(0);
  domain = new Uint8Array(0);
  status = new Uint8Array(0);
  source = new Uint8Array(0);
  /** Index into `parties`, -1 for none. */
  party = new Int16Array(0);
  ids: string[] = [];
  caseKeys: (string | null)[] = [];
  readonly parties: string[] = [];
  private readonly byId = new Map<string, number>();
  private readonly partyIndex = new Map<string, number>();

  constructor(capacity = 256) {
    this.grow(capacity);
  }

  static from(rows: Iterable<IncidentRow>, capacity = 256): IncidentSet {
    const set = new IncidentSet(capacity);
    for (const row of rows) set.upsert(row);
    return set;
  }

  indexOf(id: string): number | undefined {
    return this.byId.get(id);
  }

  /** Adds the incident, or updates it when its id is known; says which. */
  upsert(row: IncidentRow): 'added' | 'updated' {
    let i = this.byId.get(row.id);
    const added = i === undefined;
    if (i === undefined) {
      if (this.size === this.lon.length) this.grow(Math.max(256, this.size * 2));
      i = this.size++;
      this.byId.set(row.id, i);
      this.ids[i] = row.id;
    }
    this.lon[i] = row.lon;
    this.lat[i] = row.lat;
    this.time[i] = row.time;
    this.type[i] = code(REPORT_TYPES, row.type);
    this.domain[i] = code(DOMAINS, row.domain);
    this.status[i] = code(CASE_STATUSES, row.status);
    this.source[i] = code(SOURCES, row.source);
    this.party[i] = row.party === null ? -1 : this.partyCode(row.party);
    this.caseKeys[i] = row.caseKey;
    return added ? 'added' : 'updated';
  }

  /** Sets the status of every incident of a case (a case's status is its reports' status on the map). */
  setCaseStatus(caseKey: string, status: string): number {
    const s = code(CASE_STATUSES, status);
    let changed = 0;
    for (let i = 0; i < this.size; i++) {
      if (this.caseKeys[i] === caseKey && this.status[i] !== s) {
        this.status[i] = s;
        changed++;
      }
    }
    return changed;
  }

  /** Whether any incident belongs to the case with this key. */
  hasCase(caseKey: string): boolean {
    for (let i = 0; i < this.size; i++) if (this.caseKeys[i] === caseKey) return true;
    return false;
  }

  /** Renames a case's key (from `#<number>` to its id, once known). */
  renameCase(from: string, to: string): void {
    for (let i = 0; i < this.size; i++) if (this.caseKeys[i] === from) this.caseKeys[i] = to;
  }

  row(i: number): IncidentRow {
    const name = (list: readonly string[], c: number) => list[c] ?? 'other';
    const p = this.party[i]!;
    return {
      id: this.ids[i]!,
      lon: this.lon[i]!,
      lat: this.lat[i]!,
      time: this.time[i]!,
      type: name(REPORT_TYPES, this.type[i]!),
      domain: name(DOMAINS, this.domain[i]!),
      status: name(CASE_STATUSES, this.status[i]!),
      source: name(SOURCES, this.source[i]!),
      party: p < 0 ? null : (this.parties[p] ?? null),
      caseKey: this.caseKeys[i] ?? null,
    };
  }

  /** [earliest, latest] time, or null when empty. */
  timeRange(): [number, number] | null {
    if (this.size === 0) return null;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < this.size; i++) {
      const t = this.time[i]!;
      if (t < min) min = t;
      if (t > max) max = t;
    }
    return [min, max];
  }

  /** The indices of the incidents that pass the filter, in insertion order. */
  select(filter: IncidentFilter): Uint32Array {
    const want = (list: readonly string[], chosen: ReadonlySet<string> | null): Uint8Array | null => {
      if (chosen === null) return null;
      const mask = new Uint8Array(256);
      list.forEach((value, i) => (mask[i] = chosen.has(value) ? 1 : 0));
      // Values this client does not know are shown as "other".
      mask[UNKNOWN] = chosen.has('other') ? 1 : 0;
      return mask;
    };
    const types = want(REPORT_TYPES, filter.types);
    const domains = want(DOMAINS, filter.domains);
    const statuses = want(CASE_STATUSES, filter.statuses);
    let parties: Uint8Array | null = null;
    let noParty = true;
    if (filter.parties !== null) {
      parties = new Uint8Array(this.parties.length);
      this.parties.forEach((p, i) => (parties![i] = filter.parties!.has(p) ? 1 : 0));
      noParty = filter.parties.has('');
    }
    const from = filter.from ?? -Infinity;
    const until = filter.until ?? Infinity;
    const out = new Uint32Array(this.size);
    let n = 0;
    for (let i = 0; i < this.size; i++) {
      const t = this.time[i]!;
      if (t < from || t > until) continue;
      if (types && !types[this.type[i]!]) continue;
      if (domains && !domains[this.domain[i]!]) continue;
      if (statuses && !statuses[this.status[i]!]) continue;
      if (parties) {
        const p = this.party[i]!;
        if (p < 0 ? !noParty : !parties[p]) continue;
      }
      out[n++] = i;
    }
    return out.subarray(0, n);
  }

  private partyCode(party: string): number {
    let p = this.partyIndex.get(party);
    if (p === undefined) {
      p = this.parties.length;
      this.parties.push(party);
      this.partyIndex.set(party, p);
    }
    return p;
  }

  private grow(capacity: number): void {
    const grow = <T extends Float64Array | Uint8Array | Int16Array>(a: T, make: (n: number) => T): T => {
      const b = make(capacity);
      b.set(a.subarray(0, this.size));
      return b;
    };
    this.lon = grow(this.lon, (n) => new Float64Array(n));
    this.lat = grow(this.lat, (n) => new Float64Array(n));
    this.time = grow(this.time, (n) => new Float64Array(n));
    this.type = grow(this.type, (n) => new Uint8Array(n));
    this.domain = grow(this.domain, (n) => new Uint8Array(n));
    this.status = grow(this.status, (n) => new Uint8Array(n));
    this.source = grow(this.source, (n) => new Uint8Array(n));
    this.party = grow(this.party, (n) => new Int16Array(n));
  }
}
