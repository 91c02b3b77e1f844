import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { runBatch } from '../../../src/core/captioning/batchJob';
import type { BatchItem, BatchSummary } from '../../../src/core/captioning/batchTypes';
import type { PreparedImage } from '../../../src/core/images/preparedImage';
import { OpenAiCompatibleProvider } from '../../../src/providers/openAiCompatibleProvider';
import type { ModelEntry } from '../../../src/providers/types';
import { faults, OpenAiFakeServer, startOpenAiFakeServer } from '../../fixtures/fakeServers/openAiFakeServer';
import { TempDirs } from '../helpers/tempTree';
import { boundaryOf, makeItems } from './batchTestKit';

const IMAGES = 24;
const CONCURRENCY = 4;

/** A batch through the real OpenAI-compatible provider, with the default retry policy (1 s backoff base). */
async function batchAgainst(baseUrl: string, items: readonly BatchItem[], image: PreparedImage): Promise<{ summary: BatchSummary; seconds: number }> {
  const model: ModelEntry = { id: 'test/vlm', label: 'Test VLM', provider: 'openai-compatible', baseUrl, model: 'vlm', imageTransport: 'image_url', key: 'none', capabilities: { stream: false }, defaults: {} };
  const provider = new OpenAiCompatibleProvider();
  const started = performance.now();
  const summary = await runBatch({
    items,
    boundary: boundaryOf(items),
    concurrency: CONCURRENCY,
    generate: async (_item, signal) => (await provider.caption({ model, image, prompt: 'Caption.', params: {}, signal, timeoutMs: 10_000 })).text,
  });
  return { summary, seconds: (performance.now() - started) / 1000 };
}

describe('a batch against a service that cannot work ends within seconds, the rest left pending', function () {
  this.timeout(30_000);
  const temp = new TempDirs();
  let image: PreparedImage;
  let server: OpenAiFakeServer | undefined;

  before(async () => {
    const data = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } }).jpeg().toBuffer();
    image = { data, mime: 'image/jpeg', width: 8, height: 8, sourceWidth: 8, sourceHeight: 8 };
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await temp.cleanup();
  });

  it('a closed port: stopped as unreachable, no image failed, all pending', async () => {
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const { summary, seconds } = await batchAgainst(`http://127.0.0.1:${port}/v1`, await makeItems(await temp.make(), IMAGES), image);
    assert.ok(seconds < 5, `took ${seconds.toFixed(1)} s`);
    assert.equal(summary.stopped?.errorKind, 'unreachable');
    assert.match(summary.stopped!.reason, new RegExp(`^Test VLM: the request to 127\\.0\\.0\\.1:${port} failed: the connection was refused \\(ECONNREFUSED\\)`));
    assert.deepEqual([summary.written, summary.failed, summary.pending], [0, 0, IMAGES]);
  });

  it('a host name that does not resolve (.invalid): stopped as unreachable, all pending', async () => {
    const { summary, seconds } = await batchAgainst('http://captioner-batch.invalid/v1', await makeItems(await temp.make(), IMAGES), image);
    assert.ok(seconds < 5, `took ${seconds.toFixed(1)} s`);
    assert.equal(summary.stopped?.errorKind, 'unreachable');
    assert.match(summary.stopped!.reason, /the request to captioner-batch\.invalid failed: the host name does not resolve/);
    assert.deepEqual([summary.written, summary.failed, summary.pending], [0, 0, IMAGES]);
  });

  it('a server refusing the key (401): a handful of requests, those images failed, the rest pending and never sent', async () => {
    server = await startOpenAiFakeServer({ script: () => faults.unauthorized() });
    const { summary, seconds } = await batchAgainst(server.url, await makeItems(await temp.make(), IMAGES), image);
    assert.ok(seconds < 5, `took ${seconds.toFixed(1)} s`);
    assert.equal(summary.stopped?.errorKind, 'auth');
    assert.match(summary.stopped!.reason, /answered HTTP 401/);
    // the third 401 stops it; until then a slot freed by an earlier 401 may have sent one more: at most 3 + 3 others
    assert.ok(server.requests.length >= 3 && server.requests.length <= CONCURRENCY + 2, `${server.requests.length} requests reached the server`);
    assert.ok(summary.failed >= 3 && summary.failed <= server.requests.length, `${summary.failed} failed`);
    assert.equal(summary.pending, IMAGES - summary.failed);
  });

  it('a server answering 500 then ok is retried, not stopped: every image written', async () => {
    let first = true;
    server = await startOpenAiFakeServer({ script: () => (first ? ((first = false), faults.serverError()) : undefined) });
    const { summary } = await batchAgainst(server.url, await makeItems(await temp.make(), IMAGES), image);
    assert.equal(summary.stopped, undefined);
    assert.deepEqual([summary.written, summary.failed, summary.pending], [IMAGES, 0, 0]);
    assert.equal(server.requests.length, IMAGES + 1, 'the 500 was retried once');
  });
});
