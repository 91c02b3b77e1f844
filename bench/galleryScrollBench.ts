import { openGalleryPage } from '../test/fixtures/galleryPage';
import { Benchmark, formatMs, note } from './measure';

const ITEMS = 100_000;
const FRAMES = 600;

/**
 * `gallery-scroll`: the Gallery app (its real bundle, test/fixtures/galleryPage.ts) in headless
 * Chromium under the webview CSP with 100,000 items: the grid is scrolled from top to bottom, one
 * step per animation frame, and the time between frames (requestAnimationFrame) is recorded; the
 * figure is its 95th percentile. Vsync and the frame-rate cap are off, so a frame takes what its
 * work takes instead of waiting for the next 16.7 ms tick.
 */
/** Runs in the page (the bench's tsconfig has no DOM): scrolls a step per frame and records the frame intervals. */
const SCROLL_IN_PAGE = `(frames) => new Promise((resolve) => {
  const grid = document.getElementById('grid');
  const step = (grid.scrollHeight - grid.clientHeight) / frames;
  const deltas = [];
  let maxCards = 0, last = 0, frame = 0;
  const shown = () => grid.querySelectorAll('.grid-card:not([hidden])');
  const tick = (now) => {
    if (last) deltas.push(now - last);
    last = now;
    maxCards = Math.max(maxCards, shown().length);
    if (frame++ >= frames) {
      resolve({ deltas, maxCards, reached: Math.max(...Array.from(shown(), (c) => Number(c.dataset.index))) });
      return;
    }
    grid.scrollTop = Math.round(step * frame);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})`;

export const galleryScrollBench: Benchmark = {
  name: 'gallery-scroll',
  async run() {
    const gallery = await openGalleryPage({ width: 1400, height: 950, args: ['--disable-gpu-vsync', '--disable-frame-rate-limit'] });
    try {
      await gallery.showItems(ITEMS);
      await gallery.page.locator('#grid .grid-card[data-index="0"]').waitFor();
      const result = (await gallery.page.evaluate(`(${SCROLL_IN_PAGE})(${FRAMES})`)) as { deltas: number[]; maxCards: number; reached: number };
      if (gallery.violations.length > 0) throw new Error(`the page broke its CSP: ${gallery.violations.join('; ')}`);
      if (gallery.errors.length > 0) throw new Error(`the page failed: ${gallery.errors.join('; ')}`);
      if (result.reached !== ITEMS - 1) throw new Error(`the scroll ended at item ${result.reached}, not the last`);
      const sorted = [...result.deltas].sort((a, b) => a - b);
      const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
      note(`${result.deltas.length} frames over ${ITEMS.toLocaleString('en')} items: p50 ${formatMs(at(0.5))}, p95 ${formatMs(at(0.95))}, max ${formatMs(sorted[sorted.length - 1])}; at most ${result.maxCards} cards in the DOM`);
      return { figure: at(0.95), unit: ' ms p95', target: 16 };
    } finally {
      await gallery.close();
    }
  },
};
