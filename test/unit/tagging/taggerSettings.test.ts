import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { settingsFromMap, NO_SETTINGS } from '../../../src/core/settings/settingsSource';
import { TAGGER_DEFAULTS, tagJobOf, taggerSettingsFrom } from '../../../src/core/settings/taggerSettings';
import { DEFAULT_TAG_OPTIONS } from '../../../src/core/tagging/tagSelection';

describe('tagger settings (imageCaptioner.tagger.*)', () => {
  it('gives the documented defaults when nothing is set: 0.35 / 0.85, the ViT v3 tagger, 8 images a request', () => {
    const settings = taggerSettingsFrom(NO_SETTINGS);
    assert.deepEqual(settings.options, DEFAULT_TAG_OPTIONS);
    assert.equal(settings.options.generalThreshold, 0.35);
    assert.equal(settings.options.characterThreshold, 0.85);
    assert.equal(settings.model, 'local/wd-vit-tagger-v3');
    assert.equal(settings.batchSize, 8);
    assert.deepEqual(settings.problems, []);
  });

  it('reads every option a user sets', () => {
    const settings = taggerSettingsFrom(settingsFromMap({
      'tagger.model': ' my/tagger ', 'tagger.generalThreshold': 0.5, 'tagger.characterThreshold': 0.7, 'tagger.mcut': true, 'tagger.includeRating': true, 'tagger.maxTags': 12,
      'tagger.underscoresToSpaces': false, 'tagger.escapeParentheses': false, 'tagger.exclude': [' solo ', '', '*_background'], 'tagger.triggerWord': ' mylora ', 'tagger.batchSize': 16,
    }));
    assert.deepEqual(settings.options, { generalThreshold: 0.5, characterThreshold: 0.7, mcut: true, includeRating: true, maxTags: 12, underscoresToSpaces: false, escapeParentheses: false, exclude: ['solo', '*_background'], triggerWord: 'mylora' });
    assert.equal(settings.model, 'my/tagger');
    assert.equal(settings.batchSize, 16);
    assert.deepEqual(settings.problems, []);
  });

  it('keeps the default of each value it cannot use and names the setting, the value and the default used', () => {
    const settings = taggerSettingsFrom(settingsFromMap({
      'tagger.generalThreshold': 1.5, 'tagger.characterThreshold': '0.9', 'tagger.mcut': 'yes', 'tagger.maxTags': -1, 'tagger.exclude': 'solo', 'tagger.batchSize': 0, 'tagger.model': '  ', 'tagger.triggerWord': 3,
    }));
    assert.deepEqual(settings.options, DEFAULT_TAG_OPTIONS);
    assert.equal(settings.batchSize, 8);
    assert.equal(settings.model, 'local/wd-vit-tagger-v3');
    assert.deepEqual(settings.problems, [
      'imageCaptioner.tagger.exclude "solo" must be a list of tags; [] is used.',
      'imageCaptioner.tagger.batchSize 0 must be a whole number from 1 to 64; 8 is used.',
      'imageCaptioner.tagger.model "  " must name a tagger model; "local/wd-vit-tagger-v3" is used.',
      'imageCaptioner.tagger.generalThreshold 1.5 must be a number from 0 to 1; 0.35 is used.',
      'imageCaptioner.tagger.characterThreshold "0.9" must be a number from 0 to 1; 0.85 is used.',
      'imageCaptioner.tagger.mcut "yes" must be true or false; false is used.',
      'imageCaptioner.tagger.maxTags -1 must be a whole number from 0 to 10000; 0 is used.',
      'imageCaptioner.tagger.triggerWord 3 must be text; "" is used.',
    ]);
  });

  it('declares in package.json the defaults the reader uses, with bounds', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../../package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default: unknown; minimum?: number; maximum?: number }> } } };
    const properties = manifest.contributes.configuration.properties;
    for (const [key, value] of Object.entries(TAGGER_DEFAULTS)) assert.deepEqual(properties[`imageCaptioner.${key}`]?.default, value, key);
    assert.deepEqual([properties['imageCaptioner.tagger.generalThreshold'].minimum, properties['imageCaptioner.tagger.generalThreshold'].maximum], [0, 1]);
    assert.deepEqual([properties['imageCaptioner.tagger.batchSize'].minimum, properties['imageCaptioner.tagger.batchSize'].maximum], [1, 64]);
  });
});

describe('tag job options (Resume and Retry)', () => {
  const current = { options: { ...DEFAULT_TAG_OPTIONS, generalThreshold: 0.6 }, batchSize: 4 };

  it('uses the options the journal kept, not the settings of now', () => {
    const kept = { title: 't', kind: 'tags', tagOptions: { ...DEFAULT_TAG_OPTIONS, generalThreshold: 0.2, triggerWord: 'mylora' }, tagBatchSize: 16 };
    assert.deepEqual(tagJobOf(kept, current), { options: { ...DEFAULT_TAG_OPTIONS, generalThreshold: 0.2, triggerWord: 'mylora' }, batchSize: 16 });
  });

  it('falls back to the settings of now for a journal without options, and checks kept values like settings', () => {
    assert.deepEqual(tagJobOf({ title: 't', kind: 'tags' }, current), current);
    assert.deepEqual(tagJobOf(undefined, current), current);
    const tampered = tagJobOf({ tagOptions: { generalThreshold: 'high', exclude: 'x' }, tagBatchSize: 1000 }, current);
    assert.equal(tampered.options.generalThreshold, 0.35);
    assert.deepEqual(tampered.options.exclude, []);
    assert.equal(tampered.batchSize, 8);
  });
});
