// Restricted mode: "Evaluate Models…" sends nothing, reads no reference and writes no report.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImageCaptionerApi } from '../../../src/extension';
import { assembleReport } from '../../../src/core/evaluation/assembleReport';
import { writeReport } from '../../../src/core/evaluation/reportFile';
import { startOpenAiFakeServer, OpenAiFakeServer } from '../../fixtures/fakeServers/openAiFakeServer';
import { activateExtension, waitFor } from '../extensionApi';

describe('untrusted workspace: Evaluate Models', function () {
  this.timeout(30_000);
  let api: ImageCaptionerApi;
  let folder: string;
  let server: OpenAiFakeServer;

  before(async () => {
    api = await activateExtension();
    folder = path.join(api.dataset.rootPath!, 'evaluate-untrusted');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'a.jpg'), fs.readFileSync(api.dataset.index!.imagePath(api.dataset.index!.images().find((i) => i.name === 'sunset.jpg')!)));
    fs.writeFileSync(path.join(folder, 'a.ref.txt'), 'a red boat\na boat at sunset\n');
    await api.dataset.refresh();
    await waitFor(() => api.dataset.index?.images().some((i) => i.folder.relPath === 'evaluate-untrusted'), 'the image in the index');
    server = await startOpenAiFakeServer({});
    await vscode.workspace.getConfiguration('imageCaptioner').update('models', [
      { id: 'test/untrusted-a', label: 'A', provider: 'openai-compatible', baseUrl: server.url, model: 'a', key: 'none' },
      { id: 'test/untrusted-b', label: 'B', provider: 'openai-compatible', baseUrl: server.url, model: 'b', key: 'none' },
    ], vscode.ConfigurationTarget.Global);
    await waitFor(() => api.captioning.registry.find('test/untrusted-b'), 'the models in the registry');
  });

  after(async () => {
    await vscode.workspace.getConfiguration('imageCaptioner').update('models', undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
    await api?.dataset.refresh();
  });

  it('refuses to run: no request reaches the servers and no report is written', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const result = await vscode.commands.executeCommand('imageCaptioner.evaluate.models', { sampleSize: 5, seed: 1, modelIds: ['test/untrusted-a', 'test/untrusted-b'] });
    assert.equal(result, undefined);
    assert.equal(server.requests.length, 0);
    assert.deepEqual(fs.readdirSync(folder).sort(), ['a.jpg', 'a.ref.txt'], 'nothing was written beside the image');
  });

  it('Resume sends nothing either: the cancelled report stays as it was', async () => {
    const report = assembleReport({
      id: 'untrusted-cancelled',
      datasetRoot: api.dataset.rootPath!,
      references: { kind: 'sidecar', extension: '.ref.txt' },
      referenceCounts: { imagesWithReferences: 1, imagesWithoutReferences: 0, referencesWithoutImage: 0, emptyReferences: 0, unreadable: [] },
      sample: [{ path: 'evaluate-untrusted/a.jpg', references: ['a red boat'] }],
      sampleSize: 5,
      seed: 1,
      models: [{ modelId: 'test/untrusted-a', label: 'A' }, { modelId: 'test/untrusted-b', label: 'B' }],
      captions: new Map(),
      clip: { why: 'cancelled' },
      cancelled: true,
    });
    const file = await writeReport(path.join(api.evaluationsFolder, report.id), report);
    const bytes = fs.readFileSync(file);
    try {
      assert.equal(await vscode.commands.executeCommand('imageCaptioner.evaluate.resume', { file }), undefined);
      assert.equal(server.requests.length, 0);
      assert.ok(fs.readFileSync(file).equals(bytes), 'the report is unchanged');
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });
});

