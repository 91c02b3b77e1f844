/**
 * The Explore plot and word cloud in headless Chromium under the webview CSP: the points are
 * drawn in one WebGL trace per cluster, a box dragged with the mouse reports the global indices
 * of the items inside it, the word cloud paints the same pixels for the same words, and nothing
 * the page does is refused by the CSP (which would show up in VS Code as a broken plot).
 */
import * as assert from 'node:assert/strict';
import { openPlotPage, PlotPage } from '../../fixtures/explorePlotPage';

interface PlotState {
  traces: Array<{ type: string; length: number; visible: boolean | string; color: string }>;
  legend: string[];
  area: { x: number; y: number; width: number; height: number };
}
type PageGlobals = {
  plotState(): PlotState;
  dataToClient(x: number, y: number): [number, number];
  points: { x: Float32Array; y: Float32Array };
  events: { selected: Array<number[] | null> };
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
    assert.ok(missing.length + extra.length <= 5, `selection differs from the items in the box: ${missing.length} missing, ${extra.length} extra`);
    assert.ok(selected.every((i) => i % 4 === 1), 'every selected item is of cluster 1 (item i is in cluster i % 4)');
    assert.deepEqual(plot.violations, []);
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
