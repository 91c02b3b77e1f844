/** Evaluation reports for tests: a small hand-made one, and one scored from the shared caption-metrics fixture. */
import { captionMetrics } from '../../../src/core/metrics/captionMetrics';
import { genderBias } from '../../../src/core/metrics/genderBias';
import { EVALUATION_REPORT_VERSION, type EvaluationImage, type EvaluationReport, type ModelBias, type ModelSummary } from '../../../src/core/evaluation/evaluationReport';
import { itemsFor, readFixture } from '../metrics/captionMetricsFixture';

const NO_BIAS: ModelBias = { gendered: 0, misclassified: 0, correct: 0, neutral: 0, namedBoth: 0, mismatches: [] };

/** Two models, three images: a formula-looking caption, quotes and commas, a failed caption, a model that never ran on one image. */
export function smallReport(): EvaluationReport {
  const models: ModelSummary[] = [
    {
      modelId: 'a', label: 'Model "A", big', scored: 2, failed: 1, emptyCaptions: 0,
      cocoBleu: [0.5, 0.25, 0.125, 0.0625], nltkCorpusBleu: [0.5, 0.25, 0.125, 0.06], ciderD: 1.5, clipScore: 30.25, meanWords: 4.5, msPerImage: 120,
      bias: { gendered: 2, misclassified: 1, rate: 0.5, correct: 1, neutral: 0, namedBoth: 0, mismatches: [{ path: 'b.jpg', expected: 'female', named: 'male', wrongWords: ['man'] }] },
    },
    { modelId: 'b', label: 'B', scored: 0, failed: 3, emptyCaptions: 0, bias: NO_BIAS },
  ];
  const images: EvaluationImage[] = [
    {
      path: 'a.jpg', references: ['a dog runs', 'a dog, running'],
      captions: { a: { text: '=HYPERLINK("x")', elapsedMs: 100 }, b: { error: 'HTTP 500' } },
      scores: { a: { cocoBleu: [1, 0.5, 0.25, 0.125], nltkBleu4: 0.1, ciderD: 2, clipScore: 31 } },
    },
    {
      path: 'b.jpg', references: ['a woman sits'],
      captions: { a: { text: 'a man sits', elapsedMs: 140 }, b: { error: 'timeout' } },
      scores: { a: { cocoBleu: [0.6667, 0.5, 0, 0], nltkBleu4: 0.2, ciderD: 1 } },
    },
    { path: 'sub/c, d.jpg', references: ['-1 cat'], captions: { a: { error: 'refused' } }, scores: {} },
  ];
  return {
    version: EVALUATION_REPORT_VERSION, id: 'r1', createdAt: '2026-11-27T00:00:00.000Z', datasetRoot: '/data/set',
    references: { kind: 'sidecar', extension: '.ref.txt' },
    referenceCounts: { imagesWithReferences: 3, imagesWithoutReferences: 2, referencesWithoutImage: 0, emptyReferences: 1, unreadable: [{ path: 'x.ref.txt', reason: 'not UTF-8' }] },
    sampleSize: 3, seed: 7, tokenizer: 'coco-ptb', cancelled: true, models, images,
  };
}

/**
 * The fixture's 120 images scored for its two candidate sets ('good', 'poor') as two models, with the
 * metrics of src/core/metrics (equal to pycocoevalcap's on this fixture). `pathOf(i)` names image i.
 */
export function fixtureReport(datasetRoot: string, pathOf: (i: number, id: string) => string, folder?: string): EvaluationReport {
  const { images } = readFixture(folder);
  const modelIds = ['good', 'poor'];
  const scored = new Map(modelIds.map((m) => [m, captionMetrics(itemsFor(images, m))]));
  const paths = images.map((image, i) => pathOf(i, image.id));
  const models: ModelSummary[] = modelIds.map((m) => {
    const s = scored.get(m)!;
    const bias = genderBias(images.map((image, i) => ({ id: paths[i], candidate: image.candidates[m], references: image.references })));
    const words = images.map((image) => image.candidates[m].split(/\s+/).filter(Boolean).length);
    return {
      modelId: m, label: `Fixture ${m}`, scored: images.length, failed: 0, emptyCaptions: 0,
      cocoBleu: s.cocoBleu, nltkCorpusBleu: s.nltkCorpusBleu, ciderD: s.ciderD,
      meanWords: words.reduce((a, b) => a + b, 0) / words.length, msPerImage: m === 'good' ? 250 : 90,
      bias: {
        gendered: bias.gendered, misclassified: bias.misclassified, rate: bias.rate, correct: bias.correct, neutral: bias.neutral, namedBoth: bias.namedBoth,
        mismatches: bias.mismatches.map((x) => ({ path: x.id, expected: x.expected, named: x.named, wrongWords: x.wrongWords })),
      },
    };
  });
  const reportImages: EvaluationImage[] = images.map((image, i) => ({
    path: paths[i],
    references: image.references,
    captions: Object.fromEntries(modelIds.map((m) => [m, { text: image.candidates[m], elapsedMs: 100 }])),
    scores: Object.fromEntries(modelIds.map((m) => {
      const s = scored.get(m)!.images[i];
      return [m, { cocoBleu: s.cocoBleu, nltkBleu4: s.nltkSentenceBleu4, ciderD: s.ciderD }];
    })),
  }));
  return {
    version: EVALUATION_REPORT_VERSION, id: 'fixture', createdAt: '2026-11-27T00:00:00.000Z', datasetRoot,
    references: { kind: 'imported', file: 'captions.json', format: 'fixture' },
    referenceCounts: { imagesWithReferences: images.length, imagesWithoutReferences: 0, referencesWithoutImage: 0, emptyReferences: 0, unreadable: [] },
    sampleSize: images.length, seed: 1, tokenizer: 'coco-ptb', cancelled: false, models, images: reportImages,
  };
}
