// Click to segment in a real VS Code: the extension's LocalModelService runs the SAM model named by
// imageCaptioner.segmentation.model (a tiny generated one) in its worker process.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import * as vscode from 'vscode';
import type { ImageCaptionerApi } from '../../src/extension';
import { maskArea } from '../../src/core/regions/binaryMask';
import { decodeRle } from '../../src/core/regions/cocoRle';
import { DEFAULT_SEGMENTATION_MODEL, SegmentationService } from '../../src/services/segmentationService';
import { writeSam } from '../fixtures/localModels/samModel';
import { activateExtension } from './extensionApi';

describe('click to segment (local model worker)', function () {
  this.timeout(120_000);
  let api: ImageCaptionerApi;
  let root: string;
  let model: string;
  let image: string;
  const setting = () => vscode.workspace.getConfiguration('imageCaptioner.segmentation');

  before(async () => {
    api = await activateExtension();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ic-segment-'));
    model = path.join(root, 'tiny-sam');
    await writeSam(model);
    image = path.join(root, 'grey.png');
    await sharp({ create: { width: 200, height: 150, channels: 3, background: '#808080' } }).png().toFile(image);
    await vscode.workspace.getConfiguration('imageCaptioner.local').update('allowDownloads', false, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await setting().update('model', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('imageCaptioner.local').update('allowDownloads', undefined, vscode.ConfigurationTarget.Global);
    await api.localModels.client.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('segments a click with the model the setting names, and names the problem of a model id that is no id', async () => {
    assert.deepEqual(api.localModels.segmentationModel(), { id: DEFAULT_SEGMENTATION_MODEL, task: 'sam' }, 'the default');
    await setting().update('model', model, vscode.ConfigurationTarget.Global);
    const service = new SegmentationService(api.localModels.segmentationBackend);
    const result = await service.segment(image, { points: [{ x: 0.5, y: 0.5, positive: true }] });
    assert.equal(result.model, model);
    const mask = decodeRle(result.rle);
    assert.deepEqual(result.rle.size, [48, 64]);
    assert.equal(mask.data[24 * 64 + 32], 1, 'inside at the click');
    assert.equal(mask.data[24 * 64 + 60], 0, 'outside far from it');
    assert.ok(maskArea(mask) > 100 && maskArea(mask) < 300, `a bump around the click: ${maskArea(mask)} px`);
    assert.ok(api.localModels.client.startCount >= 1);

    await setting().update('model', '../../outside', vscode.ConfigurationTarget.Global);
    const error = await service.segment(image, { points: [{ x: 0.5, y: 0.5, positive: true }] }).then(() => undefined, (e: unknown) => e as { kind?: string; message?: string });
    assert.equal(error?.kind, 'bad-input', String(error?.message));
    assert.match(String(error?.message), /"\.\.\/\.\.\/outside" is neither a Hugging Face hub id \(org\/name\) nor an absolute folder/);
  });
});
