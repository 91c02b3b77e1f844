import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_IMAGE_EXTENSIONS, extensionSet } from '../../../src/core/dataset/imageFiles';
import { DEFAULT_REFERENCE_EXTENSION } from '../../../src/core/evaluation/references';
import { DEFAULT_GENDER_WORDS } from '../../../src/core/metrics/genderBias';
import { evaluationSettingsFrom } from '../../../src/services/evaluationSettings';
import { repoRoot } from '../helpers/vscodeImports';

const images = extensionSet(DEFAULT_IMAGE_EXTENSIONS);
const read = (values: Record<string, unknown>) => evaluationSettingsFrom((key) => values[key], '.txt', images);

describe('evaluation settings', () => {
  it('defaults: .ref.txt, the gender words of the metrics, CLIP on', () => {
    assert.deepEqual(read({}), { settings: { referenceExtension: '.ref.txt', genderWords: DEFAULT_GENDER_WORDS, clipScore: true }, problems: [] });
  });

  it('keeps the default reference suffix when the setting would name the captions, an image or a path', () => {
    for (const bad of ['.txt', '.ref.png', '../x.txt', 3]) {
      const result = read({ referenceExtension: bad });
      assert.equal(result.settings.referenceExtension, DEFAULT_REFERENCE_EXTENSION);
      assert.match(result.problems[0], /imageCaptioner\.evaluate\.referenceExtension .* cannot be used/);
    }
    assert.equal(read({ referenceExtension: '.gold.txt' }).settings.referenceExtension, '.gold.txt');
  });

  it('takes each gender list given, lowercased, and keeps the default for the ones left out or wrong', () => {
    const result = read({ genderWords: { male: ['Lad'], female: 'lass' } });
    assert.deepEqual(result.settings.genderWords, { male: ['lad'], female: DEFAULT_GENDER_WORDS.female, neutral: DEFAULT_GENDER_WORDS.neutral });
    assert.deepEqual(result.problems, ['imageCaptioner.evaluate.genderWords.female should be a list of words; the default list is used.']);
    assert.equal(read({ clipScore: false }).settings.clipScore, false);
  });

  it('package.json declares the settings with the core defaults', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot(__dirname), 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default: unknown }> } } };
    const properties = manifest.contributes.configuration.properties;
    assert.equal(properties['imageCaptioner.evaluate.referenceExtension'].default, DEFAULT_REFERENCE_EXTENSION);
    assert.deepEqual(properties['imageCaptioner.evaluate.genderWords'].default, DEFAULT_GENDER_WORDS);
    assert.equal(properties['imageCaptioner.evaluate.clipScore'].default, true);
  });
});
