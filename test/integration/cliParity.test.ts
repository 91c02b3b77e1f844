// The CLI and the extension write the same bytes (issue 14): one test drives both over the same
// images, settings and server answers, the extension through its "Caption Selected" batch in this
// real VS Code, the CLI as its own process over a copy of the images with the settings as --config.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImageCaptionerApi } from '../../src/extension';
import type { BatchReport } from '../../src/services/batchRunner';
import { startOpenAiFakeServer, OpenAiFakeServer, LoggedRequest } from '../fixtures/fakeServers/openAiFakeServer';
import { activateExtension, closeAllEditors, EXTENSION_ID, waitFor } from './extensionApi';

describe('the CLI writes what the extension writes', function () {
  this.timeout(120_000);
  let api: ImageCaptionerApi;
  let server: OpenAiFakeServer;
  const restore: Array<() => void> = [];
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('imageCaptioner');
  /** The settings both front ends get: the extension through VS Code, the CLI through --config. */
  const settings: Record<string, unknown> = {
    models: [{ id: 'test/parity', label: 'Parity VLM', provider: 'openai-compatible', key: 'none', model: 'parity-vlm', capabilities: { stream: false }, rateLimit: { concurrency: 2 } }],
    'generation.length': 'custom',
    'generation.customPrompt': 'Describe {name} in {folder}; it was: {caption}',
    'generation.prefix': 'photo of',
    'generation.suffix': 'high quality',
    'generation.parameters': 'temperature=0.3, top_p=0.9',
    // append: asks nothing (overwrite asks first in the extension) and joins with the separator both must choose alike
    'batch.mode': 'append',
  };

  before(async () => {
    api = await activateExtension();
    // messy answers, so the clean-up (label, quotes, markdown, spaces) is part of what must match
    server = await startOpenAiFakeServer({ replyText: (r) => `**Caption:** "A view of ${nameIn(r)}, with   two  spaces."  \n` });
    (settings.models as Array<Record<string, unknown>>)[0].baseUrl = server.url;
    for (const [key, value] of Object.entries(settings)) await config().update(key, value, vscode.ConfigurationTarget.Global);
    await waitFor(() => api.captioning.registry.find('test/parity'), 'the parity model in the registry');
  });

  after(async () => {
    await closeAllEditors();
    for (const undo of restore.reverse()) undo();
    for (const key of Object.keys(settings)) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
  });

  it('same images, settings and answers give byte-identical caption files and identical requests', async () => {
    const index = api.dataset.index!;
    const images = index.images().filter((img) => img.captionState === 'text' && !img.collision && /\.jpe?g$/i.test(img.name)).slice(-3);
    assert.equal(images.length, 3, 'three captioned JPEGs in the sample dataset');
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'ic-cli-parity-'));
    const dataset = path.join(copy, path.basename(index.rootPath));
    for (const img of images) {
      const rel = index.relativePath(index.imagePath(img))!;
      const captionRel = index.relativePath(index.captionPath(img))!;
      const original = fs.readFileSync(index.captionPath(img));
      restore.push(() => fs.writeFileSync(index.captionPath(img), original));
      fs.mkdirSync(path.dirname(path.join(dataset, rel)), { recursive: true });
      fs.copyFileSync(index.imagePath(img), path.join(dataset, rel));
      fs.writeFileSync(path.join(dataset, captionRel), original);
    }
    await api.captioning.registry.select(api.captioning.registry.find('test/parity')!);
    const uris = images.map((img) => vscode.Uri.file(index.imagePath(img)));
    const report = (await vscode.commands.executeCommand('imageCaptioner.captionSelected', uris[0], uris)) as BatchReport;
    assert.equal(report.summary.written, 3, JSON.stringify(report.summary));
    const extensionRequests = server.requests.splice(0);

    const configFile = path.join(copy, 'settings.json');
    fs.writeFileSync(configFile, `// as a workspace's .vscode/settings.json\n${JSON.stringify(Object.fromEntries(Object.entries(settings).map(([k, v]) => [`imageCaptioner.${k}`, v])), null, 2)}\n`);
    const cli = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'cli.js');
    // asynchronously: the fake server answering the CLI runs in this extension host's event loop
    await promisify(execFile)(process.execPath, [cli, 'caption', dataset, '--model', 'test/parity', '--config', configFile, '--state-dir', path.join(copy, 'state')], { env: { PATH: process.env.PATH ?? '', HOME: copy }, timeout: 60_000 });

    for (const img of images) {
      const captionRel = index.relativePath(index.captionPath(img))!;
      const fromExtension = fs.readFileSync(index.captionPath(img));
      assert.match(fromExtension.toString('utf8'), new RegExp(`photo of A view of ${img.name.replace('.', '\\.')}, with two spaces\\. high quality`));
      assert.deepEqual(fs.readFileSync(path.join(dataset, captionRel)), fromExtension, `${captionRel}: the CLI's bytes equal the extension's`);
    }
    const bodies = (requests: LoggedRequest[]): string[] => requests.map((r) => JSON.stringify(r.body)).sort();
    assert.deepEqual(bodies(server.requests), bodies(extensionRequests), 'the same request bodies (prompt with {name}/{folder}/{caption}, parameters, image bytes)');
    fs.rmSync(copy, { recursive: true, force: true });
  });
});

/** The image name the prompt asks about. */
function nameIn(request: LoggedRequest): string {
  return /Describe (\S+) in /.exec(JSON.stringify(request.body))?.[1] ?? '?';
}
