import { ok, type Result } from '../../errors';
import type { DayOrder } from './dates';
import type { ColumnMapping } from './mapping';
import { prepareCsv } from './read-csv';
import { prepareGeojson } from './read-geojson';
import { mapPrepared, type ImportFormat, type ParsedImport, type PreparedImport } from './rows';
import type { Encoding } from './text';
import { prepareUcdp } from './ucdp';

export interface ReadOptions {
  /** CSV and GeoJSON: which column (property) is which; without it, columns named like report fields. */
  readonly mapping?: ColumnMapping | null;
  /** UCDP: force the encoding (CSV takes it from the mapping; GeoJSON is always UTF-8). */
  readonly encoding?: Encoding | 'auto';
  /** UCDP: the order of slash dates when the file does not prove it. */
  readonly dayOrder?: DayOrder;
}

/** Reads a file of any supported format into rows (reports or reasons). Pure: the bytes are given. */
export function readImport(format: ImportFormat, bytes: Uint8Array, options: ReadOptions = {}): Result<ParsedImport> {
  const prepared = prepareImport(format, bytes, options);
  return prepared.ok ? ok(mapPrepared(prepared.value)) : prepared;
}

/** The whole-file part of reading (a file that cannot be read at all fails here); rows are mapped after. */
export function prepareImport(format: ImportFormat, bytes: Uint8Array, options: ReadOptions = {}): Result<PreparedImport> {
  switch (format) {
    case 'ucdp':
      return prepareUcdp(bytes, {
        ...(options.encoding ? { encoding: options.encoding } : {}),
        ...(options.dayOrder ? { dayOrder: options.dayOrder } : {}),
      });
    case 'csv':
      return prepareCsv(bytes, options.mapping ?? null);
    case 'geojson':
      return prepareGeojson(bytes, options.mapping ?? null);
  }
}
