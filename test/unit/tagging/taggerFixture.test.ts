import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { parseSelectedTags } from '../../../src/core/tagging/selectedTags';
import { designedScore, TINY_TAGGER_TAGS, writeTagger } from '../../fixtures/localModels/taggerModel';

describe('tiny WD tagger fixture (designed scores from the mean colour)', function () {
  this.timeout(20_000);
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ic-tagger-fixture-'));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('has the v3 signature and scores a BGR red square as designed', async () => {
    const folder = await writeTagger(path.join(root, 'tagger'));
    const session = await ort.InferenceSession.create(path.join(folder, 'model.onnx'));
    const input = session.inputMetadata[0];
    assert.equal(input.name, 'input');
    assert.deepEqual(input.isTensor && input.shape, ['batch', 448, 448, 3]);
    const pixels = new Float32Array(448 * 448 * 3);
    for (let i = 0; i < 448 * 448; i++) pixels.set([16, 16, 224], i * 3); // BGR: red
    const out = await session.run({ input: new ort.Tensor('float32', pixels, [1, 448, 448, 3]) });
    const scores = out.output.data as Float32Array;
    assert.equal(scores.length, TINY_TAGGER_TAGS.length);
    TINY_TAGGER_TAGS.forEach((tag, i) => assert.ok(Math.abs(scores[i] - designedScore(tag, [224, 16, 16])) < 1e-5, tag.name));
    const red = TINY_TAGGER_TAGS.findIndex((t) => t.name === 'red_theme');
    assert.ok(scores[red] > 0.95);
    const labels = parseSelectedTags(fs.readFileSync(path.join(folder, 'selected_tags.csv'), 'utf8'));
    assert.deepEqual(labels.problems, []);
    assert.deepEqual(labels.labels.slice(0, 1), [{ name: 'general', category: 'rating' }]);
    await session.release();
  });
});
