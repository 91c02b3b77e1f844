import { EVALUATION_REPORT_VERSION, EvaluationReport } from '../../../src/core/evaluation/evaluationReport';

/** A small, complete report for tests: two models, two images, one failure. */
export function sampleReport(overrides: Partial<EvaluationReport> = {}): EvaluationReport {
  const bias = { gendered: 1, misclassified: 0, rate: 0, correct: 1, neutral: 0, namedBoth: 0, mismatches: [] };
  return {
    version: EVALUATION_REPORT_VERSION,
    id: '2026-11-27T00-00-00-000Z-abc123',
    createdAt: '2026-11-27T00:00:00.000Z',
    datasetRoot: '/data/set',
    references: { kind: 'sidecar', extension: '.ref.txt' },
    referenceCounts: { imagesWithReferences: 2, imagesWithoutReferences: 1, referencesWithoutImage: 0, emptyReferences: 0, unreadable: [] },
    sampleSize: 100,
    seed: 1,
    tokenizer: 'coco-ptb',
    clipUnavailable: 'No local CLIP model is set (imageCaptioner.local.clipModel).',
    cancelled: false,
    models: [
      { modelId: 'a', label: 'Model A', scored: 2, failed: 0, emptyCaptions: 0, cocoBleu: [0.5, 0.4, 0.3, 0.2], nltkCorpusBleu: [0.5, 0.4, 0.3, 0.2], ciderD: 1.2, meanWords: 4, msPerImage: 20, bias },
      { modelId: 'b', label: 'Model B', scored: 1, failed: 1, emptyCaptions: 0, cocoBleu: [0.6, 0.5, 0.4, 0.3], nltkCorpusBleu: [0.6, 0.5, 0.4, 0.3], ciderD: 0.9, meanWords: 3, msPerImage: 30, bias: { ...bias, gendered: 0, correct: 0, rate: undefined } },
    ],
    images: [
      {
        path: 'a.jpg', references: ['a dog runs', 'a dog'],
        captions: { a: { text: 'a dog', elapsedMs: 20 }, b: { error: 'HTTP 500' } },
        scores: { a: { cocoBleu: [1, 1, 0.01, 0.001], nltkBleu4: 0.3, ciderD: 2 } },
      },
      {
        path: 'sub/b.png', references: ['a man'],
        captions: { a: { text: 'a man', elapsedMs: 20 }, b: { text: 'a man', elapsedMs: 30 } },
        scores: { a: { cocoBleu: [1, 1, 0.01, 0.001], nltkBleu4: 0.3, ciderD: 0.4 }, b: { cocoBleu: [1, 1, 0.01, 0.001], nltkBleu4: 0.3, ciderD: 0.9 } },
      },
    ],
    ...overrides,
  };
}
