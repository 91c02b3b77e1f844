import * as assert from 'node:assert/strict';
import { contentOffset, gridShape, gridWindow, MAX_SCROLL_HEIGHT, scrollTopFor } from '../../../src/webviews/ui/explore/virtualGrid';

describe('Explore panel: virtualized gallery maths', () => {
  it('fits as many columns as the width allows, at least one', () => {
    assert.equal(gridShape(10, 800, 180, 8, 200).columns, 4); // 4*180 + 3*8 = 744 ≤ 800 < 5*180+4*8
    assert.equal(gridShape(10, 100, 180, 8, 200).columns, 1);
    assert.equal(gridShape(10, 0, 180, 8, 200).columns, 1);
    const shape = gridShape(10, 800, 180, 8, 200);
    assert.equal(shape.cardWidth, (800 - 3 * 8) / 4);
    assert.equal(shape.rows, 3);
    assert.equal(shape.contentHeight, 600);
  });

  it('renders only the visible rows plus the overscan, for 100,000 items', () => {
    const shape = gridShape(100_000, 800, 180, 8, 200);
    const top = gridWindow(shape, 100_000, 0, 600, 2);
    assert.deepEqual(top, { firstRow: 0, start: 0, end: (3 + 2) * 4, top: 0 });
    const middle = gridWindow(shape, 100_000, 200 * 1000 + 50, 600, 2);
    assert.equal(middle.firstRow, 998);
    assert.equal(middle.start, 998 * 4);
    assert.equal(middle.end, (1000 + 3 + 2 + 1) * 4); // rows 1000..1003 visible (offset 50 straddles 4), 2 more
    assert.equal(middle.top, 998 * 200);
    assert.ok(middle.end - middle.start <= 40, 'a few dozen cards, not thousands');
  });

  it('clamps at the end: the last row is complete or partial, never past the count', () => {
    const shape = gridShape(10, 800, 180, 8, 200); // rows of 4, 4, 2
    const end = gridWindow(shape, 10, 10_000, 300, 1);
    assert.equal(end.end, 10);
    assert.equal(gridWindow(shape, 0, 0, 300).end, 0);
  });

  it('scales the scroll range when the grid would be taller than Chromium allows', () => {
    const count = 1_000_000;
    const shape = gridShape(count, 150, 180, 8, 236); // one column: 236 million px of rows
    assert.equal(shape.scrollHeight, MAX_SCROLL_HEIGHT);
    const viewport = 700;
    const maxScroll = shape.scrollHeight - viewport;
    assert.equal(contentOffset(shape, maxScroll, viewport), shape.contentHeight - viewport);
    const last = gridWindow(shape, count, maxScroll, viewport, 0);
    assert.equal(last.end, count, 'the bottom of the scrollbar shows the last item');
    const halfway = gridWindow(shape, count, maxScroll / 2, viewport, 0);
    assert.ok(Math.abs(halfway.start - count / 2) < 10, `halfway shows item ${halfway.start}`);
    // The first row drawn sits within one row of the viewport's top, in scroll coordinates.
    assert.ok(halfway.top <= maxScroll / 2 && halfway.top > maxScroll / 2 - 236);
  });

  it('scrolls an item to the top, scaled or not', () => {
    const small = gridShape(100, 800, 180, 8, 200);
    assert.equal(scrollTopFor(small, 41, 400), 10 * 200);
    assert.equal(gridWindow(small, 100, scrollTopFor(small, 41, 400), 400, 0).start, 40);
    const huge = gridShape(1_000_000, 150, 180, 8, 236);
    const t = scrollTopFor(huge, 500_000, 700);
    assert.equal(gridWindow(huge, 1_000_000, t, 700, 0).start, 500_000);
  });
});
