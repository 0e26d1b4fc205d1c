const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** A calendar day in the reader's zone, e.g. "7 Jan 2026": for "in force since", where the time of day adds nothing. */
export function formatDay(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  let format = dayFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
    dayFormats.set(locale, format);
  }
  return format.format(date);
}

const momentFormats = new Map<string, Intl.DateTimeFormat>();

/** A day and a time to the minute, e.g. "26 Nov 2026, 12:30": short enough for a table cell. */
export function formatMoment(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  let format = momentFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    momentFormats.set(locale, format);
  }
  return format.format(date);
}
