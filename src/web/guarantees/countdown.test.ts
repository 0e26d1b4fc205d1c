import { describe, expect, it } from 'vitest';
import { formatCountdown, urgency } from './countdown';

describe('rung deadline countdowns', () => {
  it('shows hours, minutes and seconds, and days when there are any', () => {
    expect(formatCountdown(5_000)).toBe('00:00:05');
    expect(formatCountdown(3_600_000 + 61_000)).toBe('01:01:01');
    expect(formatCountdown(2 * 86_400_000 + 3 * 3_600_000 + 4 * 60_000 + 5_000)).toBe('2 d 03:04:05');
  });

  it('counts an overdue deadline up from zero, by the same format', () => {
    expect(formatCountdown(-90_000)).toBe('00:01:30');
    expect(urgency(-1)).toBe('overdue');
    expect(urgency(0)).toBe('overdue');
  });

  it('marks under an hour as urgent and under six hours as soon', () => {
    expect(urgency(59 * 60_000)).toBe('urgent');
    expect(urgency(5 * 3_600_000)).toBe('soon');
    expect(urgency(7 * 3_600_000)).toBe('later');
  });
});
