import { describe, expect, it } from 'vitest';
import { convert, formatAmount, parseAmount, parseRate, RateTable, checkCurrency } from './money';

const minor = (text: string, cur: Parameters<typeof parseAmount>[1]) => {
  const r = parseAmount(text, cur, '/amount');
  if (!r.ok) throw new Error(r.message);
  return r.value;
};

describe('money as exact decimals', () => {
  it('parses by the currency’s minor units and formats back canonically', () => {
    expect(minor('1250000.5', 'EUR')).toBe(125000050n);
    expect(formatAmount(125000050n, 'EUR')).toBe('1250000.50');
    expect(minor('300', 'JPY')).toBe(300n);
    expect(formatAmount(300n, 'JPY')).toBe('300');
    expect(minor('1.234', 'KWD')).toBe(1234n);
  });

  it('adds a thousand cents without drift (0.1 + 0.2 is 0.3 here)', () => {
    let total = 0n;
    for (let i = 0; i < 1000; i++) total += minor('0.10', 'EUR');
    expect(formatAmount(total, 'EUR')).toBe('100.00');
    expect(formatAmount(minor('0.1', 'USD') + minor('0.2', 'USD'), 'USD')).toBe('0.30');
  });

  it('refuses negative amounts, too many decimals, exponents and unknown currencies with the field named', () => {
    const neg = parseAmount('-5.00', 'EUR', '/amount');
    expect(neg.ok).toBe(false);
    if (!neg.ok) expect(neg.message).toMatch(/\/amount: an amount cannot be negative/);
    const cents = parseAmount('10.001', 'EUR', '/amount');
    if (!cents.ok) expect(cents.message).toMatch(/EUR has 2 digits after the point; 10.001 has 3/);
    expect(parseAmount('10', 'JPY', '/a').ok).toBe(true);
    expect(parseAmount('10.5', 'JPY', '/a').ok).toBe(false);
    expect(parseAmount('1e6', 'EUR', '/a').ok).toBe(false);
    const unknown = checkCurrency('EUX', '/currency');
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.message).toMatch(/"EUX" is not an ISO 4217 currency/);
  });

  it('converts with a dated rate, rounding once, and uses the inverse of a rate recorded the other way', () => {
    const rates = new RateTable();
    rates.add({ base: 'USD', quote: 'EUR', rate: '0.9', on: '2026-01-01', source: 'test', position: 1 });
    rates.add({ base: 'USD', quote: 'EUR', rate: '0.8', on: '2026-02-01', source: 'test', position: 2 });
    rates.add({ base: 'EUR', quote: 'JPY', rate: '160', on: '2026-01-01', source: 'test', position: 3 });
    expect(rates.lookup('USD', 'EUR', '2025-12-31')).toBeNull();
    const jan = rates.lookup('USD', 'EUR', '2026-01-15')!;
    expect(formatAmount(convert(minor('100.00', 'USD'), 'USD', 'EUR', jan.rate), 'EUR')).toBe('90.00');
    const feb = rates.lookup('USD', 'EUR', '2026-03-01')!;
    expect(formatAmount(convert(minor('100.00', 'USD'), 'USD', 'EUR', feb.rate), 'EUR')).toBe('80.00');
    const yen = rates.lookup('JPY', 'EUR', '2026-01-02')!;
    expect(formatAmount(convert(16000n, 'JPY', 'EUR', yen.rate), 'EUR')).toBe('100.00');
    expect(
      formatAmount(
        convert(minor('1.00', 'EUR'), 'EUR', 'JPY', parseRate('160.4', '').ok ? (parseRate('160.4', '') as { value: bigint }).value : 0n),
        'JPY',
      ),
    ).toBe('160');
  });
});
