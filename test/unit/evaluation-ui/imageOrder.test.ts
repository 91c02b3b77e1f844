import * as assert from 'node:assert/strict';
import type { EvaluationImage } from '../../../src/core/evaluation/evaluationReport';
import { disagreement, imageMetric, orderImages, PAGE_SIZE, pageRange, validSort } from '../../../src/webviews/ui/evaluation/imageOrder';

function image(path: string, scores: Record<string, { bleu4: number; cider: number; clip?: number }>): EvaluationImage {
  return {
    path, references: ['r'], captions: {},
    scores: Object.fromEntries(Object.entries(scores).map(([id, s]) => [id, { cocoBleu: [0, 0, 0, s.bleu4] as const, nltkBleu4: 0, ciderD: s.cider, clipScore: s.clip }])),
  };
}

const images: EvaluationImage[] = [
  image('img10.jpg', { a: { bleu4: 0.3, cider: 1.0 }, b: { bleu4: 0.1, cider: 0.2 } }),
  image('img2.jpg', { a: { bleu4: 0.5, cider: 0.4, clip: 30 }, b: { bleu4: 0.5, cider: 0.5 } }),
  image('img1.jpg', { b: { bleu4: 0.2, cider: 3.0 } }),
  image('dir/z.jpg', { a: { bleu4: 0.3, cider: 0.0 }, b: { bleu4: 0.9, cider: 2.0 } }),
];
const paths = (order: number[]): string[] => order.map((i) => images[i].path);

describe('evaluation panel: per-image order and pages', () => {
  it('sorts paths the way people count (img2 before img10), and reverses them', () => {
    assert.deepEqual(paths(orderImages(images, ['a', 'b'], { kind: 'path', descending: false })), ['dir/z.jpg', 'img1.jpg', 'img2.jpg', 'img10.jpg']);
    assert.deepEqual(paths(orderImages(images, ['a', 'b'], { kind: 'path', descending: true })), ['img10.jpg', 'img2.jpg', 'img1.jpg', 'dir/z.jpg']);
  });

  it("sorts by one model's metric; images it did not score come last either way, ties keep path order", () => {
    const byA = (descending: boolean): string[] => paths(orderImages(images, ['a', 'b'], { kind: 'metric', modelId: 'a', metric: 'bleu4', descending }));
    assert.deepEqual(byA(true), ['img2.jpg', 'dir/z.jpg', 'img10.jpg', 'img1.jpg']);
    assert.deepEqual(byA(false), ['dir/z.jpg', 'img10.jpg', 'img2.jpg', 'img1.jpg']);
    assert.deepEqual(paths(orderImages(images, ['a', 'b'], { kind: 'metric', modelId: 'b', metric: 'ciderD', descending: true })), ['img1.jpg', 'dir/z.jpg', 'img2.jpg', 'img10.jpg']);
    assert.deepEqual(paths(orderImages(images, ['a', 'b'], { kind: 'metric', modelId: 'a', metric: 'clip', descending: false })), ['img2.jpg', 'dir/z.jpg', 'img1.jpg', 'img10.jpg']);
  });

  it('disagreement is the spread of the models\' CIDEr-D, absent with fewer than two scored models', () => {
    assert.equal(disagreement(images[3], ['a', 'b']), 2);
    assert.ok(Math.abs(disagreement(images[0], ['a', 'b'])! - 0.8) < 1e-12);
    assert.equal(disagreement(images[2], ['a', 'b']), undefined);
    assert.deepEqual(paths(orderImages(images, ['a', 'b'], { kind: 'disagreement', descending: true })), ['dir/z.jpg', 'img10.jpg', 'img2.jpg', 'img1.jpg']);
    assert.equal(imageMetric(images[2], 'a', 'bleu4'), undefined);
  });

  it('pages of PAGE_SIZE rows, a page out of range clamped; a saved sort naming a model no longer there falls back to path order', () => {
    assert.deepEqual(pageRange(5000, 0), { page: 0, pages: Math.ceil(5000 / PAGE_SIZE), start: 0, end: PAGE_SIZE });
    assert.deepEqual(pageRange(5000, 1e9), { page: 99, pages: 100, start: 4950, end: 5000 });
    assert.deepEqual(pageRange(0, 3), { page: 0, pages: 1, start: 0, end: 0 });
    assert.deepEqual(pageRange(120, Number.NaN), { page: 0, pages: 3, start: 0, end: 50 });
    assert.deepEqual(validSort({ kind: 'metric', modelId: 'gone', metric: 'bleu4', descending: true }, ['a']), { kind: 'path', descending: false });
    assert.deepEqual(validSort({ kind: 'metric', modelId: 'a', metric: 'ciderD', descending: true }, ['a']), { kind: 'metric', modelId: 'a', metric: 'ciderD', descending: true });
    assert.deepEqual(validSort(undefined, ['a']), { kind: 'path', descending: false });
  });

  it('orders 5,000 images by a metric in well under a frame budget per sort', () => {
    const many = Array.from({ length: 5000 }, (_, i) => image(`img${i}.jpg`, { a: { bleu4: (i * 7919) % 1000 / 1000, cider: i % 13 }, b: { bleu4: 0, cider: i % 7 } }));
    const started = performance.now();
    const order = orderImages(many, ['a', 'b'], { kind: 'disagreement', descending: true });
    assert.ok(performance.now() - started < 500, 'sorting stays responsive');
    assert.equal(new Set(order).size, 5000);
  });
});
