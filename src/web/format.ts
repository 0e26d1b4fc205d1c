/** Formatting of instants, coordinates and hashes for people (the data stays in UTC ISO form). */

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

function dateTimeFormat(locale: string): Intl.DateTimeFormat {
  let format = dateTimeFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });
    dateTimeFormats.set(locale, format);
  }
  return format;
}

/** An instant in the reader's own time zone, or the raw text when it is not a valid instant. */
export function formatInstant(iso: string, locale: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat(locale).format(date);
}

/** The same instant in UTC, for a tooltip: what the journal holds. */
export function utcTitle(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC');
}

export function shortHash(hash: string, length = 12): string {
  return hash.length > length ? `${hash.slice(0, length)}…` : hash;
}

/** Degrees to four decimals (about 11 m), without the sign: the hemisphere is said in words. */
export function formatDegrees(value: number, locale: string): string {
  return Math.abs(value).toLocaleString(locale, { minimumFractionDigits: 4, maximumFractionDigits: 4 });
}

export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** `yyyy-MM-ddTHH:mm` in local time, the value format of <input type="datetime-local">. */
export function toDateTimeLocal(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
