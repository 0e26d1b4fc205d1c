import { describe, expect, it } from 'vitest';
import { ROW_PX, VIEWPORT_PX, VIRTUAL_FROM, visibleRows } from './rows';

describe('the rows of the gap map that are drawn', () => {
  it('a map of the demo’s size is drawn whole', () => {
    expect(visibleRows(36, 500)).toEqual({ virtual: false, first: 0, last: 36, before: 0, after: 0 });
    expect(visibleRows(VIRTUAL_FROM, 0).virtual).toBe(false);
  });

  it('a large map draws a screenful and a margin; spacers stand for the rest, so the scroll height is the whole map', () => {
    const top = visibleRows(2000, 0);
    expect(top.first).toBe(0);
    expect(top.last).toBeGreaterThanOrEqual(Math.ceil(VIEWPORT_PX / ROW_PX));
    expect(top.last).toBeLessThan(60);
    const middle = visibleRows(2000, 1000 * ROW_PX);
    expect(middle.first).toBeLessThan(1000);
    expect(middle.last).toBeGreaterThan(1000 + VIEWPORT_PX / ROW_PX);
    for (const w of [top, middle, visibleRows(2000, 2000 * ROW_PX), visibleRows(2000, 99_999_999)])
      expect(w.before + (w.last - w.first) + w.after).toBe(2000);
    expect(visibleRows(2000, 2000 * ROW_PX).last).toBe(2000);
  });
});
