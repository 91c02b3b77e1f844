// Batches never lose what is on disk: Retry Failed keeps the batch's mode, the mode setting decides,
// grounded regions never replace a sidecar they cannot read. Real VS Code, fake servers on 127.0.0.1.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImageCaptionerApi } from '../../src/extension';
import type { ImageEntry } from '../../src/core/dataset/types';
import type { BatchReport } from '../../src/services/batchRunner';
import { startOpenAiFakeServer, OpenAiFakeServer } from '../fixtures/fakeServers/openAiFakeServer';
import { NIM_LEGACY_ROUTES, NimFakeServer } from '../fixtures/fakeServers/nimFakeServer';
import { activateExtension, closeAllEditors, waitFor } from './extensionApi';

describe('batches keep what is on disk', function () {
  this.timeout(90_000);
  let api: ImageCaptionerApi;
  let server: OpenAiFakeServer;
  let nim: NimFakeServer;
  const restore: Array<() => void> = [];
  /** Names whose first request the OpenAI fake answers with a 400 (not retried). */
  const failOnce = new Set<string>();

  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('imageCaptioner');

  before(async () => {
    api = await activateExtension();
    server = await startOpenAiFakeServer({
      // the custom prompt below names the image, so the server knows which image it is asked about
      replyText: (r) => `Reply for ${promptOf(r.body)}.`,
      script: (_n, request) => {
        const name = [...failOnce].find((n) => promptOf(request.body).includes(n));
        if (!name) return undefined;
        failOnce.delete(name);
        return { kind: 'status', status: 400, body: { error: { message: 'image rejected' } } };
      },
    });
    nim = await NimFakeServer.start();
    await config().update('models', [
      { id: 'test/batch', label: 'Batch VLM', provider: 'openai-compatible', baseUrl: server.url, model: 'batch-vlm', key: 'none', capabilities: { stream: false }, rateLimit: { concurrency: 1 } },
      { id: 'test/kosmos', label: 'Fake Kosmos-2', preset: 'nvidia-nim-legacy', baseUrl: `${nim.url}${NIM_LEGACY_ROUTES.kosmos2}`, key: 'none', capabilities: { stream: false, grounding: true }, rateLimit: { concurrency: 1, rpm: 6000 } },
    ], vscode.ConfigurationTarget.Global);
    await config().update('generation.length', 'custom', vscode.ConfigurationTarget.Global);
    await config().update('generation.customPrompt', 'Caption the image {name}', vscode.ConfigurationTarget.Global);
    await config().update('batch.mode', 'append', vscode.ConfigurationTarget.Global);
    await waitFor(() => api.captioning.registry.find('test/kosmos'), 'the user models in the registry');
  });

  after(async () => {
    await closeAllEditors();
    for (const undo of restore.reverse()) undo();
    for (const key of ['models', 'generation.length', 'generation.customPrompt', 'batch.mode']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
    await nim?.close();
  });

  /** Remembers a file's bytes (or its absence) and puts them back after the suite. */
  const keepOriginal = (file: string): void => {
    const original = fs.existsSync(file) ? fs.readFileSync(file) : undefined;
    restore.push(() => (original ? fs.writeFileSync(file, original) : fs.rmSync(file, { force: true })));
  };

  /** Captioned, readable JPEGs with a caption of their own, `count` of them, skipping `used`. */
  const captionedImages = (count: number, used: readonly ImageEntry[] = []): ImageEntry[] => {
    const found = api.dataset.index!.images().filter((img) => hasCaptionOnDisk(api.dataset.index!.captionPath(img)) && !img.collision && /\.jpe?g$/i.test(img.name) && !used.includes(img)).slice(0, count);
    assert.equal(found.length, count, 'enough captioned JPEGs in the sample dataset');
    return found;
  };

  const uriOf = (img: ImageEntry): vscode.Uri => vscode.Uri.file(api.dataset.index!.imagePath(img));
  const captionOf = (img: ImageEntry): string => api.dataset.index!.captionPath(img);

  it('Retry Failed appends, like the batch it retries, to the caption as it is on disk now', async () => {
    await api.captioning.registry.select(api.captioning.registry.find('test/batch')!);
    const [target, other] = captionedImages(2);
    for (const img of [target, other]) {
      keepOriginal(captionOf(img));
      fs.writeFileSync(captionOf(img), 'A cat on a mat.\n');
    }
    failOnce.add(target.name);
    const before = server.requests.length;

    // batch.mode is "append": no question is asked (a quick pick would hang this command)
    const first = (await vscode.commands.executeCommand('imageCaptioner.captionSelected', uriOf(target), [uriOf(target), uriOf(other)])) as BatchReport;
    assert.equal(first.summary.failed, 1);
    assert.equal(first.summary.written, 1);
    assert.deepEqual(first.failedItems.map((i) => path.basename(i.imagePath)), [target.name]);
    assert.equal(fs.readFileSync(captionOf(other), 'utf8'), `A cat on a mat. Reply for Caption the image ${other.name}.\n`);
    assert.equal(fs.readFileSync(captionOf(target), 'utf8'), 'A cat on a mat.\n', 'the failed image kept its caption');

    fs.writeFileSync(captionOf(target), 'Edited while the batch was reported.\n');
    const retried = (await vscode.commands.executeCommand('imageCaptioner.retryFailedCaptions')) as BatchReport;
    assert.equal(retried.summary.written, 1);
    assert.equal(retried.summary.failed, 0);
    assert.equal(fs.readFileSync(captionOf(target), 'utf8'), `Edited while the batch was reported. Reply for Caption the image ${target.name}.\n`, 'appended to the caption on disk, not replaced');
    assert.equal(fs.readFileSync(captionOf(other), 'utf8'), `A cat on a mat. Reply for Caption the image ${other.name}.\n`, 'the image done by the first run is not asked again');
    const asked = server.requests.slice(before).map((r) => promptOf(r.body));
    assert.deepEqual(asked.sort(), [`Caption the image ${other.name}`, `Caption the image ${target.name}`, `Caption the image ${target.name}`].sort());
    assert.equal(retried.summary.journalFile, undefined, 'the job is finished');
  });

  it('grounded regions never replace a regions file that cannot be read, and keep the regions of a valid one', async () => {
    await api.captioning.registry.select(api.captioning.registry.find('test/kosmos')!);
    const [broken, valid] = captionedImages(2);
    const regionsOf = (img: ImageEntry): string => api.dataset.index!.imagePath(img).replace(/\.[^.]+$/, '.regions.json');
    for (const img of [broken, valid]) {
      keepOriginal(captionOf(img));
      keepOriginal(regionsOf(img));
    }
    const brokenBytes = Buffer.from('{ "version": 1, "regions": [ {"id": "r1", "description": "half-written by an');
    fs.writeFileSync(regionsOf(broken), brokenBytes);
    const drawn = { id: 'r1', kind: 'box', bbox: [0, 0, 0.5, 0.5], description: 'a hand-drawn cat', model: 'describe-anything', updated: '2024-12-01T00:00:00.000Z', source: 'user' };
    fs.writeFileSync(regionsOf(valid), JSON.stringify({ version: 1, image: { width: 64, height: 48 }, regions: [drawn] }));
    const grounded = { text: 'a red ball', entities: [{ phrase: 'a red ball', substring: [0, 10] as [number, number], bboxes: [[0.1, 0.2, 0.5, 0.6] as [number, number, number, number]] }] };
    nim.script(grounded, grounded);

    const report = (await vscode.commands.executeCommand('imageCaptioner.captionSelected', uriOf(broken), [uriOf(broken), uriOf(valid)])) as BatchReport;
    assert.equal(report.summary.written, 2, 'both captions written');
    assert.equal(report.regionsNotSaved, 1);
    assert.deepEqual(fs.readFileSync(regionsOf(broken)), brokenBytes, 'the unreadable regions file kept byte for byte');
    const kept = JSON.parse(fs.readFileSync(regionsOf(valid), 'utf8'));
    assert.deepEqual(kept.regions[0], drawn);
    assert.deepEqual(kept.regions.slice(1).map((r: { description: string; source: string }) => [r.description, r.source]), [['a red ball', 'grounding']]);
    assert.deepEqual(fs.readdirSync(path.dirname(regionsOf(broken))).filter((n) => n.endsWith('.tmp')), []);

    await new Promise((r) => setTimeout(r, 1500)); // log channels flush to disk on a timer
    const log = readLogs(path.dirname(path.dirname(api.logUri.fsPath)));
    assert.ok(log.includes(`${regionsOf(broken)} was left as it was, so the grounded regions were not saved: it is not valid JSON`), 'the log names the file and why');
  });
});

/** The text part of the last message of a chat request (the prompt). */
function promptOf(body: { messages?: Array<{ content?: unknown }> } | undefined): string {
  const content = body?.messages?.at(-1)?.content;
  if (typeof content === 'string') return content;
  const text = Array.isArray(content) ? content.find((p: { type?: string }) => p.type === 'text') : undefined;
  return (text as { text?: string } | undefined)?.text ?? '';
}

/** Every log file under `dir` (this window's logs), joined. */
function readLogs(dir: string): string {
  if (!fs.existsSync(dir)) return '';
  return fs.readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? readLogs(path.join(dir, e.name)) : fs.readFileSync(path.join(dir, e.name), 'utf8'))).join('\n');
}

/** The caption file holds text now (read from disk: a file an earlier suite put back may not be re-read by the index yet). */
function hasCaptionOnDisk(file: string): boolean {
  try {
    return fs.readFileSync(file, 'utf8').trim().length > 0;
  } catch {
    return false;
  }
}
