import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_LINT_CONFIG } from '../../../src/core/lint/lintConfig';
import { lintCaptionText } from '../../../src/core/lint/captionRules';
import { LINT_SECTION, lintConfigFromSettings, lintSettingDefaults } from '../../../src/services/lintSettings';
import { repoRoot } from '../helpers/vscodeImports';

const from = (settings: Record<string, unknown>) => lintConfigFromSettings((key) => settings[key]);

describe('lint settings → LintConfig', () => {
  it('unset settings give the engine defaults', () => {
    const { config, problems } = from({});
    assert.deepEqual(config, DEFAULT_LINT_CONFIG);
    assert.deepEqual(problems, []);
  });

  it('maps each level, the phrases, the trigger word and separator', () => {
    const { config, problems } = from({
      'empty.level': 'hint',
      'tokenBudget.level': 'off',
      'bannedPhrases.level': 'error',
      'bannedPhrases.phrases': ['stock photo', '  ', ' a view of '],
      'trigger.level': 'information',
      'trigger.word': 'ohwx',
      'trigger.separator': ' ',
      'artefacts.level': 'off',
      'duplicates.level': 'warning',
    });
    assert.deepEqual(problems, []);
    assert.equal(config.empty.level, 'hint');
    assert.deepEqual(config.tokenBudget, { level: 'off', maxTokens: 75 });
    assert.deepEqual(config.bannedPhrases, { level: 'error', phrases: ['stock photo', 'a view of'] });
    assert.deepEqual(config.trigger, { level: 'information', word: 'ohwx', separator: ' ', caseSensitive: true });
    assert.equal(config.artefacts.level, 'off');
    assert.equal(config.duplicates.level, 'warning');
    // the mapped config drives the engine: the configured phrase and trigger word are what it checks
    const rules = lintCaptionText('A stock photo of a dog.', { config }).map((p) => `${p.rule}:${p.severity}`);
    assert.deepEqual(rules.sort(), ['banned-phrase:error', 'missing-trigger:information']);
  });

  it('maps the model-based rules: levels, thresholds and the caption embedding source', () => {
    const { config, problems, captionEmbeddings } = from({
      'nearDuplicateCaptions.level': 'warning',
      'nearDuplicateCaptions.threshold': 0.9,
      'nearDuplicateCaptions.embeddings': ' hosted:my-embedder ',
      'nearDuplicateImages.level': 'off',
      'nearDuplicateImages.maxDistance': 6,
      'lowClipScore.level': 'error',
      'lowClipScore.threshold': 22.5,
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(config.nearDuplicateCaptions, { level: 'warning', minCosine: 0.9 });
    assert.deepEqual(config.nearDuplicateImages, { level: 'off', maxHamming: 6 });
    assert.deepEqual(config.lowClipScore, { level: 'error', minScore: 22.5 });
    assert.equal(captionEmbeddings, 'hosted:my-embedder');
    assert.equal(from({}).captionEmbeddings, 'local:text');
    const bad = from({ 'nearDuplicateImages.maxDistance': 2.5, 'lowClipScore.threshold': 150, 'nearDuplicateCaptions.threshold': '0.9' });
    assert.deepEqual(bad.config, DEFAULT_LINT_CONFIG);
    assert.deepEqual([...bad.problems].sort(), [
      `${LINT_SECTION}.lowClipScore.threshold should be a number from 0 to 100; the default is used.`,
      `${LINT_SECTION}.nearDuplicateCaptions.threshold should be a number from -1 to 1; the default is used.`,
      `${LINT_SECTION}.nearDuplicateImages.maxDistance should be a whole number from 0 to 64; the default is used.`,
    ]);
  });

  it('ignores a value of the wrong type, keeps the default and says which setting', () => {
    const { config, problems } = from({ 'empty.level': 'loud', 'bannedPhrases.phrases': 'the image shows', 'trigger.word': 3 });
    assert.equal(config.empty.level, DEFAULT_LINT_CONFIG.empty.level);
    assert.deepEqual(config.bannedPhrases.phrases, DEFAULT_LINT_CONFIG.bannedPhrases.phrases);
    assert.equal(config.trigger.word, '');
    assert.deepEqual([...problems].sort(), [
      `${LINT_SECTION}.bannedPhrases.phrases should be a list of strings; the default is used.`,
      `${LINT_SECTION}.empty.level should be one of error, warning, information, hint, off; the default is used.`,
      `${LINT_SECTION}.trigger.word should be a string; the default is used.`,
    ]);
  });

  it('package.json declares every lint setting with the engine default', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot(__dirname), 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default: unknown }> } } };
    const declared = Object.fromEntries(Object.entries(manifest.contributes.configuration.properties).filter(([k]) => k.startsWith(`${LINT_SECTION}.`)).map(([k, v]) => [k.slice(LINT_SECTION.length + 1), v.default]));
    assert.deepEqual(declared, lintSettingDefaults());
  });
});
