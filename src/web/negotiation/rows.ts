/**
 * Above this many clauses only the rows in view (and a margin) are in the DOM, inside a scrolling
 * box: 2,000 clauses × 15 parties is 34,000 cells, which took Chromium about 8 s to build and lay
 * out; a screenful is a few hundred. Below it the whole table is there, as before.
 */
export const VIRTUAL_FROM = 150;
/** Fixed row height of a large map (the stylesheet sets the same on its rows). */
export const ROW_PX = 44;
export const VIEWPORT_PX = 720;
const MARGIN_ROWS = 12;

export interface RowWindow {
  readonly virtual: boolean;
  /** Rows [first, last) are drawn; `before` and `after` rows are stood in for by spacers. */
  readonly first: number;
  readonly last: number;
  readonly before: number;
  readonly after: number;
}

export function visibleRows(total: number, scrollTop: number): RowWindow {
  if (total <= VIRTUAL_FROM) return { virtual: false, first: 0, last: total, before: 0, after: 0 };
  const top = Math.max(0, Math.floor(scrollTop / ROW_PX));
  const first = Math.max(0, Math.min(total, top) - MARGIN_ROWS);
  const last = Math.min(total, Math.ceil((scrollTop + VIEWPORT_PX) / ROW_PX) + MARGIN_ROWS);
  return { virtual: true, first, last: Math.max(first, last), before: first, after: total - Math.max(first, last) };
}
