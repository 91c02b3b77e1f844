/**
 * The Explore plot and word cloud in headless Chromium under the webview CSP: the points are
 * drawn in one WebGL trace per cluster, a box dragged with the mouse reports the global indices
 * of the items inside it, the word cloud paints the same pixels for the same words, and nothing
 * the page does is refused by the CSP (which would show up in VS Code as a broken plot).
 */
import * as assert from 'node:assert/strict';
import { openPlotPage, PlotPage } from '../../fixtures/explorePlotPage';

interface PlotState {
  traces: Array<{ type: string; length: number; visible: boolean | string; color: string; opacity: number[]; selected: number[] | null }>;
  fontColor: string;
  legend: string[];
  area: { x: number; y: number; width: number; height: number };
}
type PageGlobals = {
  plotState(): PlotState;
  dataToClient(x: number, y: number): [number, number];
  points: { x: Float32Array; y: Float32Array };
  events: { selected: Array<number[] | null>; hovered: Array<[number | null, number, number]>; clicked: number[] };
};

describe('Explore plot and word cloud in Chromium under the webview CSP', function () {
  this.timeout(90_000);
  let plot: PlotPage;

  before(async () => {
    plot = await openPlotPage();
  });
  after(async () => {
    await plot?.close();
  });

  it('draws N points in k WebGL traces, one per cluster, with literal legend labels and no CSP violation', async () => {
    await plot.call('plotPoints', 5000, 4);
    const state = await plot.page.evaluate(() => (globalThis as unknown as PageGlobals).plotState());
    assert.deepEqual(state.traces.map((t) => t.type), ['scattergl', 'scattergl', 'scattergl', 'scattergl']);
    assert.deepEqual(state.traces.map((t) => t.length), [1250, 1250, 1250, 1250]);
    assert.equal(new Set(state.traces.map((t) => t.color)).size, 4, 'each cluster has its own colour');
    // dataset words are text, never markup
    assert.deepEqual(state.legend, ['0 · <b>bold</b> a&b dog', '1 · term1 beach ball', '2 · term2 beach ball', '3 · term3 beach ball']);
    // the WebGL canvas really shows the points: many pixels of the plot area are not the background
    const shot = await plot.page.screenshot({ clip: state.area });
    const sharp = (await import('sharp')).default;
    const { data, info } = await sharp(shot).raw().toBuffer({ resolveWithObject: true });
    let painted = 0;
    for (let p = 0; p < data.length; p += info.channels) if (Math.abs(data[p] - 0x1e) + Math.abs(data[p + 1] - 0x1e) + Math.abs(data[p + 2] - 0x1e) > 90) painted++;
    assert.ok(painted > 2000, `only ${painted} pixels of the plot area show points`);
    assert.deepEqual(plot.violations, []);
    assert.deepEqual(plot.errors, []);
  });

  it('a box dragged over the plot reports the global indices of the items inside it', async () => {
    await plot.call('plotPoints', 5000, 4);
    // cluster 1 sits around (0, 10); the box takes most of it and nothing else
    const box = { x0: -2, x1: 1.5, y0: 8, y1: 12.5 };
    const [sx, sy] = await plot.page.evaluate(([x, y]) => (globalThis as unknown as PageGlobals).dataToClient(x, y), [box.x0, box.y1]);
    const [ex, ey] = await plot.page.evaluate(([x, y]) => (globalThis as unknown as PageGlobals).dataToClient(x, y), [box.x1, box.y0]);
    await plot.page.mouse.move(sx, sy);
    await plot.page.mouse.down();
    for (let step = 1; step <= 10; step++) await plot.page.mouse.move(sx + ((ex - sx) * step) / 10, sy + ((ey - sy) * step) / 10);
    await plot.page.mouse.up();
    await plot.page.waitForFunction(() => (globalThis as unknown as PageGlobals).events.selected.length > 0, undefined, { timeout: 10_000 });
    const [selected, inside] = await plot.page.evaluate(({ x0, x1, y0, y1 }) => {
      const { x, y } = (globalThis as unknown as PageGlobals).points;
      const expected: number[] = [];
      for (let i = 0; i < x.length; i++) if (x[i] > x0 && x[i] < x1 && y[i] > y0 && y[i] < y1) expected.push(i);
      return [(globalThis as unknown as PageGlobals).events.selected[0], expected];
    }, box);
    assert.ok(selected !== null && inside.length > 500, `the box should hold hundreds of items (${inside.length})`);
    // a point within a pixel of the box's edge may fall either side of it
    const chosen = new Set(selected);
    const missing = inside.filter((i) => !chosen.has(i));
    const extra = selected.filter((i) => !inside.includes(i));
    assert.ok(missing.length + extra.length <= Math.max(5, inside.length * 0.01), `selection differs from the items in the box: ${missing.length} missing, ${extra.length} extra`);
    assert.ok(selected.every((i) => i % 4 === 1), 'every selected item is of cluster 1 (item i is in cluster i % 4)');
    assert.deepEqual(plot.violations, []);
  });

  it('hover and click report the item under the pointer by its global index', async () => {
    await plot.call('plotPoints', 400, 4);
    // item 6 (cluster 2, the third trace) under the pointer
    const [px, py] = await plot.page.evaluate(() => { const g = globalThis as unknown as PageGlobals; return g.dataToClient(g.points.x[6], g.points.y[6]); });
    await plot.page.mouse.move(px - 30, py - 30);
    await plot.page.mouse.move(px, py);
    const atPointer = ([i, x, y]: [number | null, number, number], [tx, ty]: number[]): boolean => i !== null && Math.abs(x - tx) <= 1 && Math.abs(y - ty) <= 1;
    await plot.page.waitForFunction(([tx, ty]) => (globalThis as unknown as PageGlobals).events.hovered.some(([i, x, y]) => i !== null && Math.abs(x - tx) <= 1 && Math.abs(y - ty) <= 1), [px, py], { timeout: 10_000 });
    const hovered = (await plot.page.evaluate(() => (globalThis as unknown as PageGlobals).events.hovered)).filter((h) => atPointer(h, [px, py]));
    // (the wait above fails unless a hover came with the pointer's client coordinates, in whole pixels)
    const [index] = hovered[hovered.length - 1];
    const [hx, hy] = await plot.page.evaluate((i) => { const g = globalThis as unknown as PageGlobals; return g.dataToClient(g.points.x[i], g.points.y[i]); }, index!);
    assert.ok(Math.hypot(hx - px, hy - py) < 4, `hover reported item ${index}, ${Math.hypot(hx - px, hy - py).toFixed(1)} px from the pointer`);
    await plot.page.mouse.click(px, py);
    await plot.page.waitForFunction(() => (globalThis as unknown as PageGlobals).events.clicked.length > 0, undefined, { timeout: 10_000 });
    assert.deepEqual(await plot.page.evaluate(() => (globalThis as unknown as PageGlobals).events.clicked), [index]);
    assert.deepEqual(plot.violations, []);
  });

  it('highlight, setSelection, showClusters and a theme change redraw the traces accordingly', async () => {
    await plot.call('plotPoints', 40, 4);
    const state = (): Promise<PlotState> => plot.page.evaluate(() => (globalThis as unknown as PageGlobals).plotState());
    // items 0..39, item i in cluster i % 4 at position i >> 2 of its trace; items 1 and 9 match
    const matches = Array.from({ length: 40 }, (_, i) => (i === 1 || i === 9 ? 1 : 0));
    await plot.call('applyToPlot', 'highlight', matches);
    const lit = (await state()).traces[1].opacity;
    assert.deepEqual([lit[0], lit[2], lit[1] < 0.5], [1, 1, true], 'matches opaque, the rest dimmed');
    await plot.call('applyToPlot', 'setSelection', [5, 6, 14]);
    assert.deepEqual((await state()).traces.map((t) => t.selected), [[], [1], [1, 3], []]);
    await plot.call('applyToPlot', 'setSelection', null);
    assert.deepEqual((await state()).traces.map((t) => t.selected), [null, null, null, null]);
    await plot.call('applyToPlot', 'showClusters', [0, 3]);
    assert.deepEqual((await state()).traces.map((t) => t.visible), [true, 'legendonly', 'legendonly', true]);
    // the user shows cluster 1 again from the legend: a later redraw keeps the user's choice
    await plot.page.locator('.legendtoggle').nth(1).click();
    await plot.page.waitForFunction(() => (globalThis as unknown as PageGlobals).plotState().traces[1].visible === true, undefined, { timeout: 5_000 });
    // and the panel hears of it, so its cluster list can follow: only cluster 2 stays hidden
    assert.deepEqual(await plot.page.evaluate(() => (globalThis as unknown as { events: { legend: number[][] } }).events.legend.at(-1)), [2]);
    await plot.call('applyToPlot', 'highlight', null);
    assert.deepEqual((await state()).traces.map((t) => t.visible), [true, true, 'legendonly', true]);
    assert.equal((await state()).fontColor, '#cccccc');
    await plot.call('switchToLightTheme');
    assert.equal((await state()).fontColor, '#3b3b3b', 'the body\'s theme class changed: the plot re-read the colours');
    assert.deepEqual(plot.violations, []);
    assert.deepEqual(plot.errors, []);
  });

  it('the word cloud paints the canvas, the same pixels for the same words', async () => {
    const words = [['dog', 40], ['beach', 25], ['ball', 18], ['<b>sand</b>', 12], ['waves', 9], ['sun', 7], ['towel', 5], ['kite', 4], ['umbrella', 3], ['shell', 2]].map(([word, count]) => ({ word: word as string, count: count as number }));
    const draw = (): Promise<{ painted: number; hash: number }> => plot.call('drawCloud', words);
    const first = await draw();
    const second = await draw();
    assert.ok(first.painted > 2000, `the cloud painted only ${first.painted} pixels`);
    assert.equal(second.hash, first.hash, 'the same words give the same layout');
    assert.deepEqual(plot.violations, []);
    assert.deepEqual(plot.errors, []);
  });
});
