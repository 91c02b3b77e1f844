/**
 * The maths of the gallery's virtualized grid: which rows are on screen for a scroll position, so
 * only those cards are in the DOM (100,000 items stay a few dozen elements). DOM-free (unit-tested).
 *
 * Chromium caps an element's height near 33.5 million px; a taller grid (100,000 items in one
 * column) gets a spacer of at most MAX_SCROLL_HEIGHT and its scroll position is scaled.
 */

/** Tallest spacer the grid uses, below Chromium's limit on element height. */
export const MAX_SCROLL_HEIGHT = 16_000_000;

/** The grid's shape for a width. */
export interface GridShape {
  readonly columns: number;
  readonly cardWidth: number;
  readonly rowHeight: number;
  readonly rows: number;
  /** Height of all rows laid out. */
  readonly contentHeight: number;
  /** Height of the scrolling spacer (contentHeight, or less when scaled). */
  readonly scrollHeight: number;
}

/** Columns that fit `width` with cards at least `minCardWidth` wide and `gap` between them. */
export function gridShape(count: number, width: number, minCardWidth: number, gap: number, rowHeight: number): GridShape {
  const columns = Math.max(1, Math.floor((Math.max(0, width) + gap) / (minCardWidth + gap)));
  const cardWidth = Math.max(0, (width - gap * (columns - 1)) / columns);
  const rows = Math.ceil(count / columns);
  const contentHeight = rows * rowHeight;
  return { columns, cardWidth, rowHeight, rows, contentHeight, scrollHeight: Math.min(contentHeight, MAX_SCROLL_HEIGHT) };
}

/** The rows to render for a scroll position: items [start, end) and where row `firstRow` sits in the viewport's coordinates. */
export interface GridWindow {
  readonly firstRow: number;
  readonly start: number;
  readonly end: number;
  /** Position of row `firstRow` from the top of the scrolling spacer. */
  readonly top: number;
}

/** Content offset shown at the top of the viewport for `scrollTop` (scaled when the spacer is capped). */
export function contentOffset(shape: GridShape, scrollTop: number, viewportHeight: number): number {
  const maxScroll = Math.max(0, shape.scrollHeight - viewportHeight);
  const maxContent = Math.max(0, shape.contentHeight - viewportHeight);
  const clamped = Math.min(Math.max(0, scrollTop), maxScroll);
  return maxScroll === 0 ? 0 : maxContent === maxScroll ? clamped : (clamped / maxScroll) * maxContent;
}

/** Rows visible at `scrollTop`, plus `overscan` rows either side. */
export function gridWindow(shape: GridShape, count: number, scrollTop: number, viewportHeight: number, overscan = 2): GridWindow {
  if (count === 0 || shape.rowHeight <= 0) return { firstRow: 0, start: 0, end: 0, top: 0 };
  const offset = contentOffset(shape, scrollTop, viewportHeight);
  const firstVisible = Math.floor(offset / shape.rowHeight);
  const lastVisible = Math.floor((offset + Math.max(0, viewportHeight) - 1) / shape.rowHeight);
  const firstRow = Math.max(0, firstVisible - overscan);
  const lastRow = Math.min(shape.rows - 1, lastVisible + overscan);
  const start = firstRow * shape.columns;
  const end = Math.min(count, (lastRow + 1) * shape.columns);
  // Rows are placed relative to the real scroll position, so scaling moves them in step with the scrollbar.
  const top = Math.min(Math.max(0, scrollTop), Math.max(0, shape.scrollHeight - viewportHeight)) + (firstRow * shape.rowHeight - offset);
  return { firstRow, start, end, top };
}

/** The scrollTop that brings item `index` to the top of the viewport. */
export function scrollTopFor(shape: GridShape, index: number, viewportHeight: number): number {
  const rowTop = Math.floor(index / shape.columns) * shape.rowHeight;
  const maxScroll = Math.max(0, shape.scrollHeight - viewportHeight);
  const maxContent = Math.max(0, shape.contentHeight - viewportHeight);
  const target = Math.min(rowTop, maxContent);
  return maxContent === maxScroll || maxContent === 0 ? Math.min(target, maxScroll) : (target / maxContent) * maxScroll;
}
