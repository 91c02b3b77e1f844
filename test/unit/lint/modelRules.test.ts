import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { DatasetBoundary } from '../../../src/core/files/datasetBoundary';
import { ImageHashes } from '../../../src/core/lint/imageHashes';
import { lintConfig } from '../../../src/core/lint/lintConfig';
import { LintSearchRunner } from '../../../src/core/lint/lintSearchRunner';
import { runModelRules, type LintModelDeps, type LintModelItem } from '../../../src/services/lintModelRules';

const THREAD = path.resolve(__dirname, '../../../src/core/lint/lintSearchThread.js');

/** A horizontal gradient with a dark square at (x, y): images with the square elsewhere hash apart. */
async function writeImage(file: string, x: number, y: number, quality = 90): Promise<void> {
  const width = 96;
  const height = 64;
  const pixels = Buffer.alloc(width * height * 3);
  for (let py = 0; py < height; py++) {
    for (let px = 0; px < width; px++) {
      const inSquare = px >= x && px < x + 24 && py >= y && py < y + 24;
      const value = inSquare ? 20 : Math.round((px / width) * 200 + (py / height) * 50);
      pixels.fill(value, (py * width + px) * 3, (py * width + px) * 3 + 3);
    }
  }
  await sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality }).toFile(file);
}

describe('model-based lint rules', function () {
  this.timeout(30_000);
  let root: string;
  let boundary: DatasetBoundary;
  let search: LintSearchRunner;
  let items: Array<LintModelItem & { readonly id: string }>;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ic-model-rules-'));
    boundary = await DatasetBoundary.at(root);
    search = new LintSearchRunner(THREAD);
    // b is a re-encode of a (lower quality): near-identical; c and d differ
    await writeImage(path.join(root, 'a.jpg'), 10, 10, 95);
    await writeImage(path.join(root, 'b.jpg'), 10, 10, 40);
    await writeImage(path.join(root, 'c.jpg'), 60, 30);
    await writeImage(path.join(root, 'd.jpg'), 40, 0);
    items = ['a', 'b', 'c', 'd'].map((n, k) => ({ id: `${n}.txt`, imagePath: path.join(root, `${n}.jpg`), text: ['a dog', 'a puppy', 'a red car', 'a tree'][k] }));
  });
  after(() => {
    search.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const hashes = new ImageHashes();
  const deps = (overrides: Partial<LintModelDeps> = {}): LintModelDeps => ({
    search,
    captionVectorsProblem: () => undefined,
    // captions 0 and 1 point the same way; 2 and 3 elsewhere
    captionVectors: async (_source, texts) => ({ dims: 3, data: Float32Array.from([1, 0, 0, 0.99, 0.1, 0, 0, 1, 0, 0, 0, 1].slice(0, texts.length * 3)), failed: [] }),
    clipScoreProblem: () => undefined,
    clipScores: async () => [31, 28, 9.5, 'the image cannot be decoded'],
    imageHashes: (paths, signal) => hashes.hashes(paths, boundary, { signal }),
    ...overrides,
  });
  const run = (list: typeof items, ...rest: Parameters<typeof runModelRules> extends [unknown, unknown, ...infer R] ? R : never) => runModelRules(list, (k) => list[k].id, ...rest);
  const summary = (problems: readonly (readonly { rule: string; message: string }[])[]) => problems.map((ps) => ps.map((p) => `${p.rule}: ${p.message}`));

  it('each rule fires on its planted pair and names the other member', async () => {
    const { problems, notes } = await run(items, lintConfig(), 'local:text', deps());
    assert.deepEqual(summary(problems), [
      ['near-duplicate-image: Image nearly the same as the images of b.txt.', 'near-duplicate-caption: Caption nearly the same in meaning as b.txt.'],
      ['near-duplicate-image: Image nearly the same as the images of a.txt.', 'near-duplicate-caption: Caption nearly the same in meaning as a.txt.'],
      ['low-clip-score: CLIP score 9.5 is below 15: the caption may not describe the image.'],
      [],
    ]);
    assert.deepEqual(notes, [
      'Near-duplicate images: 1 group(s) of images within 4 bits.',
      'Near-duplicate captions: 1 group(s) at cosine ≥ 0.95 with local:text.',
      'Low CLIP score: 1 caption(s) below 15. 1 caption(s) had none (first: the image cannot be decoded).',
    ]);
  });

  it('is silent on clean data', async () => {
    const clean = [items[0], items[2], items[3]];
    const { problems } = await run(clean, lintConfig(), 'local:text', deps({
      captionVectors: async () => ({ dims: 3, data: Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]), failed: [] }),
      clipScores: async () => [31, 28, 40],
    }));
    assert.deepEqual(summary(problems), [[], [], []]);
  });

  it('a rule turned off does not run; one that cannot run or fails says why and the others still run', async () => {
    const off = lintConfig({ nearDuplicateImages: { level: 'off' } });
    const { problems, notes } = await run(items, off, 'local:text', deps({
      imageHashes: () => assert.fail('an image rule that is off hashes nothing'),
      captionVectorsProblem: () => 'models do not run in an untrusted folder (trust it to use this rule)',
      clipScores: async () => {
        throw new Error('the worker crashed');
      },
    }));
    assert.deepEqual(summary(problems), [[], [], [], []]);
    assert.deepEqual(notes, [
      'Near-duplicate captions: skipped, models do not run in an untrusted folder (trust it to use this rule).',
      'Low CLIP score: failed, the worker crashed',
    ]);
  });

  it('captions none of which could be embedded are named, not searched', async () => {
    const { problems, notes } = await run(items, lintConfig({ nearDuplicateImages: { level: 'off' }, lowClipScore: { level: 'off' } }), 'hosted:e', deps({
      captionVectors: async (_source, texts) => ({ dims: 0, data: new Float32Array(0), failed: texts.map((_, index) => ({ index, error: 'HTTP 500' })) }),
    }));
    assert.deepEqual(summary(problems), [[], [], [], []]);
    assert.deepEqual(notes, ['Near-duplicate captions: no caption could be embedded with hosted:e. 4 caption(s) had none (first: HTTP 500).']);
  });

  it('an unreadable image has no hash and is named; the rest are still compared', async () => {
    const gone = { id: 'gone.txt', imagePath: path.join(root, 'gone.jpg'), text: 'x' };
    const { problems, notes } = await run([...items, gone], lintConfig({ nearDuplicateCaptions: { level: 'off' }, lowClipScore: { level: 'off' } }), 'local:text', deps());
    assert.equal(problems[0][0].rule, 'near-duplicate-image');
    assert.deepEqual(problems[4], []);
    assert.match(notes[0], /^Near-duplicate images: 1 group\(s\) of images within 4 bits\. 1 image\(s\) had none \(first: .*gone\.jpg/);
  });

  it('cancelling stops the run with the signal\'s error', async () => {
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(run(items, lintConfig(), 'local:text', deps(), abort.signal), /abort/i);
  });
});
