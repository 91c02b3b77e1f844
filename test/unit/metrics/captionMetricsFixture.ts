/** The shared caption-metrics fixture: captions.json and the reference implementations' values in expected.json. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ScoredItem } from '../../../src/core/metrics/metricTypes';
import { repoRoot } from '../helpers/vscodeImports';

export interface FixtureImage {
  readonly id: string;
  readonly references: readonly string[];
  readonly candidates: Readonly<Record<string, string>>;
}

export interface ExpectedModel {
  readonly coco_bleu_1_4: readonly number[];
  readonly coco_bleu_per_image_1_4: Readonly<Record<string, readonly number[]>>;
  readonly cider_d: number;
  readonly cider_d_per_image: Readonly<Record<string, number>>;
  readonly nltk_corpus_bleu_1_4: readonly number[];
  readonly nltk_sentence_bleu4_method1: Readonly<Record<string, number>>;
}

/** The shared copy (../shared/fixtures from the repository root) when this checkout sits beside it, else the committed copy. */
export function fixtureFolder(): { folder: string; shared: boolean } {
  const root = repoRoot(__dirname);
  const shared = path.join(root, '..', 'shared', 'fixtures', 'caption-metrics');
  if (fs.existsSync(path.join(shared, 'expected.json'))) return { folder: shared, shared: true };
  return { folder: path.join(root, 'test', 'fixtures', 'caption-metrics'), shared: false };
}

/** The committed copy, which CI on a clean clone reads. */
export function committedFixtureFolder(): string {
  return path.join(repoRoot(__dirname), 'test', 'fixtures', 'caption-metrics');
}

export function readFixture(folder = fixtureFolder().folder): { images: FixtureImage[]; expected: Record<string, ExpectedModel> } {
  const captions = JSON.parse(fs.readFileSync(path.join(folder, 'captions.json'), 'utf8')) as { images: FixtureImage[] };
  const expected = JSON.parse(fs.readFileSync(path.join(folder, 'expected.json'), 'utf8')) as { models: Record<string, ExpectedModel> };
  return { images: captions.images, expected: expected.models };
}

/** The fixture's images scored for one candidate set, split on whitespace as pycocoevalcap's precook does. */
export function itemsFor(images: readonly FixtureImage[], model: string): ScoredItem[] {
  return images.map((image) => ({
    id: image.id,
    candidate: image.candidates[model].split(/\s+/).filter(Boolean),
    references: image.references.map((r) => r.split(/\s+/).filter(Boolean)),
  }));
}
