import { fail, ok, type Result } from '../errors';

/**
 * Money as exact decimals. Amounts travel as decimal strings ("1250000.50") and are computed as
 * bigint counts of the currency's minor unit (cents, kopiyky; yen have none), so that a sum of a
 * thousand tranches equals its commitment to the last cent. Floats never touch an amount.
 */

/** ISO 4217 currencies Entente accepts, with their minor units (digits after the decimal point). */
export const CURRENCIES = {
  EUR: { minor: 2, name: 'Euro' },
  USD: { minor: 2, name: 'US Dollar' },
  UAH: { minor: 2, name: 'Hryvnia' },
  GBP: { minor: 2, name: 'Pound Sterling' },
  CHF: { minor: 2, name: 'Swiss Franc' },
  CAD: { minor: 2, name: 'Canadian Dollar' },
  PLN: { minor: 2, name: 'Zloty' },
  SEK: { minor: 2, name: 'Swedish Krona' },
  NOK: { minor: 2, name: 'Norwegian Krone' },
  DKK: { minor: 2, name: 'Danish Krone' },
  CZK: { minor: 2, name: 'Czech Koruna' },
  TRY: { minor: 2, name: 'Turkish Lira' },
  AUD: { minor: 2, name: 'Australian Dollar' },
  JPY: { minor: 0, name: 'Yen' },
  KRW: { minor: 0, name: 'Won' },
  KWD: { minor: 3, name: 'Kuwaiti Dinar' },
  XDR: { minor: -1, name: 'SDR (Special Drawing Right)' },
} as const satisfies Record<string, { minor: number; name: string }>;

export type CurrencyCode = keyof typeof CURRENCIES;

/** The currency totals are reported in (the Ukraine Facility's and most pledges' currency). */
export const REPORTING_CURRENCY: CurrencyCode = 'EUR';

/** Digits kept after the point for exchange rates. */
export const RATE_DIGITS = 10;
const RATE_SCALE = 10n ** BigInt(RATE_DIGITS);

export function isCurrency(code: string): code is CurrencyCode {
  return Object.prototype.hasOwnProperty.call(CURRENCIES, code);
}

/** Minor units of a currency; XDR has none defined by ISO 4217 (N.A.) and is kept to 2 here. */
export function minorUnits(code: CurrencyCode): number {
  const m = CURRENCIES[code].minor;
  return m < 0 ? 2 : m;
}

export function checkCurrency(code: string, pointer: string): Result<CurrencyCode> {
  if (isCurrency(code)) return ok(code);
  const hint = /^[A-Z]{3}$/.test(code) ? '' : ' (three capital letters)';
  return fail(
    'validation_failed',
    `${pointer}: ${JSON.stringify(code)} is not an ISO 4217 currency Entente knows${hint}; known: ${Object.keys(CURRENCIES).join(', ')}`,
    pointer,
  );
}

const DECIMAL = /^(\d{1,18})(?:\.(\d{1,18}))?$/;

/**
 * Parses a decimal string into minor units of the currency. Refuses negative amounts, more digits
 * after the point than the currency has, exponents and anything a float would have been.
 */
export function parseAmount(text: string, currency: CurrencyCode, pointer: string): Result<bigint> {
  const s = text.trim();
  if (s.startsWith('-')) return fail('validation_failed', `${pointer}: an amount cannot be negative (${s})`, pointer);
  const m = DECIMAL.exec(s);
  if (!m) return fail('validation_failed', `${pointer}: an amount is a decimal such as 1250000.00, not ${JSON.stringify(text)}`, pointer);
  const digits = minorUnits(currency);
  const fraction = m[2] ?? '';
  if (fraction.length > digits) {
    return fail(
      'validation_failed',
      `${pointer}: ${currency} has ${digits} digit${digits === 1 ? '' : 's'} after the point; ${s} has ${fraction.length}`,
      pointer,
    );
  }
  return ok(BigInt(m[1]!) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0'));
}

/** Minor units back to the canonical decimal string of the currency ("1250000.50", "300" for JPY). */
export function formatAmount(minor: bigint, currency: CurrencyCode): string {
  const digits = minorUnits(currency);
  const negative = minor < 0n;
  const abs = negative ? -minor : minor;
  if (digits === 0) return `${negative ? '-' : ''}${abs}`;
  const scale = 10n ** BigInt(digits);
  return `${negative ? '-' : ''}${abs / scale}.${(abs % scale).toString().padStart(digits, '0')}`;
}

/** The canonical form of an amount already known to be valid (what the journal stores). */
export function canonicalAmount(text: string, currency: CurrencyCode): string {
  const parsed = parseAmount(text, currency, '');
  if (!parsed.ok) throw new Error(parsed.message);
  return formatAmount(parsed.value, currency);
}

/** An exchange rate as a scaled integer (RATE_DIGITS after the point); must be positive. */
export function parseRate(text: string, pointer: string): Result<bigint> {
  const m = DECIMAL.exec(text.trim());
  if (!m || text.trim().startsWith('-'))
    return fail('validation_failed', `${pointer}: a rate is a positive decimal such as 0.9215, not ${JSON.stringify(text)}`, pointer);
  const fraction = m[2] ?? '';
  if (fraction.length > RATE_DIGITS)
    return fail('validation_failed', `${pointer}: a rate has at most ${RATE_DIGITS} digits after the point`, pointer);
  const scaled = BigInt(m[1]!) * RATE_SCALE + BigInt(fraction.padEnd(RATE_DIGITS, '0'));
  if (scaled === 0n) return fail('validation_failed', `${pointer}: a rate cannot be zero`, pointer);
  return ok(scaled);
}

/** Divides rounding half away from zero (amounts here are never negative, but sums of differences may be). */
function divideRounded(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n % d;
  if (r === 0n) return q;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice >= (d < 0n ? -d : d)) return q + (n < 0n !== d < 0n ? -1n : 1n);
  return q;
}

/**
 * Converts minor units of `from` into minor units of `to` at a scaled rate (1 `from` = rate `to`),
 * rounding half away from zero once, at the end.
 */
export function convert(minor: bigint, from: CurrencyCode, to: CurrencyCode, rate: bigint): bigint {
  const shift = minorUnits(to) - minorUnits(from);
  const numerator = minor * rate * (shift > 0 ? 10n ** BigInt(shift) : 1n);
  const denominator = RATE_SCALE * (shift < 0 ? 10n ** BigInt(-shift) : 1n);
  return divideRounded(numerator, denominator);
}

/** The inverse of a scaled rate (1 / rate), for a rate recorded the other way round. */
export function invertRate(rate: bigint): bigint {
  return divideRounded(RATE_SCALE * RATE_SCALE, rate);
}

export interface RateRecord {
  readonly base: CurrencyCode;
  readonly quote: CurrencyCode;
  /** scaled by 10^RATE_DIGITS, as a decimal string in the journal */
  readonly rate: string;
  /** the day the rate is for (YYYY-MM-DD) */
  readonly on: string;
  readonly source: string;
  readonly position: number;
}

/** Dated rates: the rate for a day is the latest recorded on or before it (never one from the future). */
export class RateTable {
  private readonly byPair = new Map<string, RateRecord[]>();

  add(r: RateRecord): void {
    const key = `${r.base}/${r.quote}`;
    const list = this.byPair.get(key) ?? [];
    list.push(r);
    list.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : a.position - b.position));
    this.byPair.set(key, list);
  }

  all(): RateRecord[] {
    return [...this.byPair.values()].flat();
  }

  /** The rate record used to turn `from` into `to` on `day`, or null when none is recorded by then. */
  lookup(from: CurrencyCode, to: CurrencyCode, day: string): { rate: bigint; record: RateRecord | null } | null {
    if (from === to) return { rate: RATE_SCALE, record: null };
    const direct = latestOnOrBefore(this.byPair.get(`${from}/${to}`), day);
    if (direct) {
      const r = parseRate(direct.rate, '');
      return r.ok ? { rate: r.value, record: direct } : null;
    }
    const inverse = latestOnOrBefore(this.byPair.get(`${to}/${from}`), day);
    if (inverse) {
      const r = parseRate(inverse.rate, '');
      return r.ok ? { rate: invertRate(r.value), record: inverse } : null;
    }
    return null;
  }
}

function latestOnOrBefore(list: readonly RateRecord[] | undefined, day: string): RateRecord | null {
  if (!list) return null;
  let found: RateRecord | null = null;
  for (const r of list) {
    if (r.on > day) break;
    found = r;
  }
  return found;
}

/** Formats a scaled rate back to a decimal string without trailing zeros. */
export function formatRate(rate: bigint): string {
  const whole = rate / RATE_SCALE;
  const fraction = (rate % RATE_SCALE).toString().padStart(RATE_DIGITS, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}
