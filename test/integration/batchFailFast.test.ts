// A batch against a service that cannot work stops within seconds with one message and its buttons;
// the NVCF host of a legacy NIM route comes from the model entry. Real VS Code, servers on 127.0.0.1.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImageCaptionerApi } from '../../src/extension';
import type { ImageEntry } from '../../src/core/dataset/types';
import type { BatchReport } from '../../src/services/batchRunner';
import { startOpenAiFakeServer, OpenAiFakeServer } from '../fixtures/fakeServers/openAiFakeServer';
import { NIM_LEGACY_ROUTES, NimFakeServer } from '../fixtures/fakeServers/nimFakeServer';
import { getWorkbenchPage, hasBrowser, screenshot } from './browser';
import { activateExtension, closeAllEditors, waitFor } from './extensionApi';

describe('batches that cannot work stop within seconds and say why', function () {
  this.timeout(90_000);
  let api: ImageCaptionerApi;
  let nim: NimFakeServer;
  let server: OpenAiFakeServer | undefined;
  let closedPort: number;
  /** A folder of this suite's own uncaptioned images in the dataset: no question is asked, and a failed request leaves no file. */
  let folder: string;
  const IMAGES = 11;

  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('imageCaptioner');

  before(async () => {
    api = await activateExtension();
    nim = await NimFakeServer.start();
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const legacy = { preset: 'nvidia-nim-legacy', baseUrl: `${nim.url}${NIM_LEGACY_ROUTES.kosmos2}`, key: 'none', capabilities: { stream: false }, rateLimit: { concurrency: 1, rpm: 6000 } };
    folder = path.join(api.dataset.rootPath!, 'fail-fast');
    const photo = fs.readFileSync(api.dataset.index!.imagePath(api.dataset.index!.images().find((img) => img.name === 'sunset.jpg')!));
    fs.mkdirSync(folder);
    for (let i = 0; i < IMAGES; i++) fs.writeFileSync(path.join(folder, `photo-${String(i).padStart(2, '0')}.jpg`), photo);
    await api.dataset.refresh();
    await waitFor(() => ours().length === IMAGES, 'the suite\'s images in the index');
    await config().update('models', [
      { id: 'test/closed', label: 'Closed Port VLM', provider: 'openai-compatible', baseUrl: `http://127.0.0.1:${closedPort}/v1`, model: 'm', key: 'none', capabilities: { stream: false }, rateLimit: { concurrency: 2 } },
      { id: 'test/nvcf-here', label: 'Kosmos via its NVCF host', nvcfBaseUrl: nim.url, ...legacy },
      { id: 'test/nvcf-nowhere', label: 'Kosmos with a wrong NVCF host', nvcfBaseUrl: 'http://nvcf-poll.invalid', ...legacy },
    ], vscode.ConfigurationTarget.Global);
    await waitFor(() => api.captioning.registry.find('test/nvcf-nowhere'), 'the user models in the registry');
  });

  after(async () => {
    await closeAllEditors();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
    await api?.dataset.refresh();
    await config().update('models', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('notifications.clearAll');
    await server?.close();
    await nim?.close();
  });

  /** This suite's images, in name order. */
  const ours = (): ImageEntry[] => (api.dataset.index?.images() ?? []).filter((img) => path.dirname(api.dataset.index!.imagePath(img)) === folder).sort((a, b) => a.name.localeCompare(b.name));
  const images = (count: number, skip = 0): ImageEntry[] => ours().slice(skip, skip + count);
  const uriOf = (img: ImageEntry): vscode.Uri => vscode.Uri.file(api.dataset.index!.imagePath(img));
  /** The caption file's text; undefined while there is none. */
  const captionOf = (img: ImageEntry): string | undefined => {
    const file = api.dataset.index!.captionPath(img);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  };
  const captionSelected = async (chosen: readonly ImageEntry[]): Promise<BatchReport> =>
    (await vscode.commands.executeCommand('imageCaptioner.captionSelected', uriOf(chosen[0]), chosen.map(uriOf))) as BatchReport;

  it('a closed port: stopped after 3 requests, every image pending, one message naming the host with Retry and Open Settings; Retry continues the job', async function () {
    await api.captioning.registry.select(api.captioning.registry.find('test/closed')!);
    const chosen = images(6);
    await vscode.commands.executeCommand('notifications.clearAll');

    const started = Date.now();
    const report = await captionSelected(chosen);
    const seconds = (Date.now() - started) / 1000;
    assert.ok(seconds < 10, `took ${seconds.toFixed(1)} s`);
    const { summary } = report;
    assert.equal(summary.stopped?.errorKind, 'unreachable');
    assert.deepEqual([summary.written, summary.failed, summary.pending, summary.cancelled], [0, 0, 6, false]);
    assert.ok(summary.journalFile && fs.existsSync(summary.journalFile), 'the job stays for Resume');
    assert.deepEqual(chosen.map(captionOf), chosen.map(() => undefined), 'no caption written');

    if (!hasBrowser()) this.skip();
    const page = await getWorkbenchPage();
    // Toasts may not render headless; the notification center renders the same items, buttons included.
    await vscode.commands.executeCommand('notifications.showList');
    const item = page.locator('.notifications-center .notification-list-item', { hasText: 'Captioning stopped' }).first();
    await item.waitFor({ timeout: 15_000 });
    await screenshot('batch-stopped-closed-port');
    const text = ((await item.locator('.notification-list-item-message').textContent()) ?? '').replaceAll('\u2060', '');
    assert.equal(
      text,
      `Captioning stopped after 3 failed requests in a row: Closed Port VLM: the request to 127.0.0.1:${closedPort} failed: the connection was refused (ECONNREFUSED). ` +
        'Check the base URL and that the server is running. 0 written, 0 failed, 6 not sent; Retry continues the 6 left.',
    );
    const buttons = await item.locator('.monaco-button').allTextContents();
    assert.deepEqual(buttons.map((b) => b.trim()).filter(Boolean), ['Retry', 'Open Settings']);

    // the server comes up where the model points; Retry sends the six images, and only them
    server = await startOpenAiFakeServer({ port: closedPort, replyText: () => 'Now reachable.' });
    await item.locator('.monaco-button', { hasText: 'Retry' }).click();
    await waitFor(() => chosen.every((img) => captionOf(img) === 'Now reachable.'), 'every image captioned', 30_000);
    assert.equal(server.requests.length, 6);
    await waitFor(() => !fs.existsSync(summary.journalFile!), 'the finished job\'s journal deleted');
  });

  it('a legacy NIM route polls the NVCF host of its entry', async () => {
    await api.captioning.registry.select(api.captioning.registry.find('test/nvcf-here')!);
    const [image] = images(1, 6);
    nim.script({ pending: 1, text: 'polled at the configured NVCF host' });
    const polls = nim.requests('GET', '/v2/nvcf/pexec/status/').length;
    const report = await captionSelected([image]);
    assert.equal(report.summary.written, 1);
    assert.equal(nim.requests('GET', '/v2/nvcf/pexec/status/').length, polls + 1);
    assert.equal(captionOf(image), 'polled at the configured NVCF host');
  });

  it('a poll host that does not resolve stops the batch naming the status poll and that host, not the base URL that answered', async () => {
    await api.captioning.registry.select(api.captioning.registry.find('test/nvcf-nowhere')!);
    const chosen = images(4, 7);
    // one request in flight at a time: each attempt is answered 202 by the route, then its poll fails
    nim.script({ pending: 1 }, { pending: 1 }, { pending: 1 });
    const posts = nim.requests('POST', NIM_LEGACY_ROUTES.kosmos2).length;
    const started = Date.now();
    const { summary } = await captionSelected(chosen);
    assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
    assert.equal(nim.requests('POST', NIM_LEGACY_ROUTES.kosmos2).length, posts + 3, 'three attempts, then the batch stopped');
    assert.equal(summary.stopped?.errorKind, 'unreachable');
    assert.match(summary.stopped!.reason, /^NVIDIA NIM \(Kosmos with a wrong NVCF host\): the status poll to nvcf-poll\.invalid failed: the host name does not resolve \((ENOTFOUND|EAI_AGAIN)\)\. Check the model's nvcfBaseUrl/);
    assert.deepEqual([summary.written, summary.pending], [0, 4 - summary.failed]);
    assert.deepEqual(chosen.map(captionOf), chosen.map(() => undefined));
  });
});
