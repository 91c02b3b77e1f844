import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NO_SETTINGS, settingsFromMap } from '../../../src/core/settings/settingsSource';
import { clipModelFrom, DEFAULT_CLIP_MODEL, dtypeFrom } from '../../../src/providers/local/workerSettings';
import { repoRoot } from '../helpers/vscodeImports';

describe('local model settings (one reader for the extension and the CLI)', () => {
  it('the CLIP model: package.json\'s default, the empty setting kept empty, its dtype when set', () => {
    assert.deepEqual(clipModelFrom(NO_SETTINGS), { id: DEFAULT_CLIP_MODEL, task: 'clip', dtype: undefined });
    assert.deepEqual(clipModelFrom(settingsFromMap({ 'local.clipModel': '', 'local.clipModelDtype': 'q8' })), { id: '', task: 'clip', dtype: 'q8' });
    assert.deepEqual(clipModelFrom(settingsFromMap({ 'local.clipModel': 42, 'local.clipModelDtype': 7 })), { id: DEFAULT_CLIP_MODEL, task: 'clip', dtype: undefined }, 'a value of the wrong type is the default');
  });

  it('a dtype setting left empty or of the wrong type lets the worker choose', () => {
    const settings = settingsFromMap({ 'local.textEmbeddingModelDtype': 'fp16', 'local.imageFeatureModelDtype': '', 'local.other': true });
    assert.equal(dtypeFrom(settings, 'local.textEmbeddingModelDtype'), 'fp16');
    assert.equal(dtypeFrom(settings, 'local.imageFeatureModelDtype'), undefined);
    assert.equal(dtypeFrom(settings, 'local.other'), undefined);
    assert.equal(dtypeFrom(settings, 'local.missing'), undefined);
  });

  it('the CLI\'s CLIP default is the one package.json declares for the extension', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot(__dirname), 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default: unknown }> } } };
    assert.equal(manifest.contributes.configuration.properties['imageCaptioner.local.clipModel'].default, DEFAULT_CLIP_MODEL);
  });
});
