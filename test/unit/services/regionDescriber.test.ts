import * as assert from 'node:assert/strict';
import { createServer } from 'node:net';
import * as path from 'node:path';
import sharp from 'sharp';
import { regionMask } from '../../../src/core/regions/rasterize';
import { DEFAULT_FOCAL_PROMPT, DEFAULT_FUSE_PROMPT } from '../../../src/core/regions/regionPrompts';
import { clipRegion } from '../../../src/core/regions/regionShapes';
import type { Region } from '../../../src/core/regions/regionsSidecar';
import { ProviderFactory } from '../../../src/providers/providerFactory';
import { DEFAULT_RETRY_POLICY } from '../../../src/core/captioning/retryPolicy';
import { ModelEntry, ProviderError } from '../../../src/providers/types';
import { RegionDescriber, RegionRequestError, RegionSettings } from '../../../src/services/regionDescriber';
import { DamFakeServer, startDamFakeServer } from '../../fixtures/fakeServers/damFakeServer';
import { faults, OpenAiFakeServer, startOpenAiFakeServer } from '../../fixtures/fakeServers/openAiFakeServer';
import { TempDirs } from '../helpers/tempTree';

const SIZE = { width: 400, height: 300 };

function region(fields: Partial<Region> & Pick<Region, 'kind' | 'bbox'>): Region {
  return { id: 'r1', description: '', model: '', updated: '2026-11-26T00:00:00Z', ...fields };
}

const POLYGON = region({ kind: 'polygon', bbox: [0.1, 0.1, 0.95, 0.7], points: [[0.1, 0.1], [1.05, 0.2], [0.3, 0.8]] });
const BOX = region({ kind: 'box', bbox: [0.25, 0.3, 0.1, 0.2] });

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Decoded image parts of a logged chat request: [width, height] each. */
async function sentImages(body: any): Promise<Array<{ width: number; height: number; data: Buffer }>> {
  const parts = body.messages.at(-1).content.filter((p: { type: string }) => p.type === 'image_url');
  return Promise.all(
    parts.map(async (p: { image_url: { url: string } }) => {
      const data = Buffer.from(p.image_url.url.split(',')[1], 'base64');
      const meta = await sharp(data).metadata();
      return { width: meta.width!, height: meta.height!, data };
    }),
  );
}

describe('RegionDescriber: describing regions and fusing them, against fake servers', () => {
  const temp = new TempDirs();
  let image: string;
  let dam: DamFakeServer | undefined;
  let chat: OpenAiFakeServer | undefined;
  let trusted: boolean;
  let sendAllowed: boolean;
  let describer: RegionDescriber;
  let models: ModelEntry[];
  let settings: RegionSettings;

  before(async () => {
    image = path.join(await temp.make(), 'scene.png');
    await sharp({ create: { width: SIZE.width, height: SIZE.height, channels: 3, background: { r: 100, g: 100, b: 100 } } }).png().toFile(image);
  });
  after(() => temp.cleanup());
  beforeEach(() => {
    trusted = true;
    sendAllowed = true;
    models = [];
    settings = { describeModel: 'dam/describe-anything', focalPrompt: DEFAULT_FOCAL_PROMPT, fuseModel: '', fusePrompt: DEFAULT_FUSE_PROMPT, timeoutMs: 5000, batch: { concurrency: 0, rpm: 0 } };
    describer = new RegionDescriber({
      models: { find: (id) => models.find((m) => m.id === id), selected: () => models.find((m) => m.id === 'chat/vision') },
      settings: () => settings,
      isTrusted: () => trusted,
      prepareToSend: async () => (sendAllowed ? { apiKey: undefined } : undefined),
      providers: new ProviderFactory(),
      checkImage: async () => undefined,
    });
  });
  afterEach(async () => {
    describer.dispose();
    await dam?.close();
    await chat?.close();
    dam = chat = undefined;
  });

  function damModel(baseUrl: string): ModelEntry {
    return { id: 'dam/describe-anything', label: 'Describe Anything', provider: 'dam', baseUrl, model: 'describe_anything_model', imageTransport: 'image_url', key: 'none', maxImageSide: 1536, capabilities: { stream: true }, defaults: {}, rateLimit: { concurrency: 1 } };
  }

  function chatModel(overrides: Partial<ModelEntry> = {}): ModelEntry {
    return { id: 'chat/vision', label: 'Fake vision', provider: 'openai-compatible', baseUrl: chat!.url, model: 'fake/vision', imageTransport: 'image_url', key: 'none', capabilities: { stream: true, images: 2 }, defaults: { max_tokens: 200 }, ...overrides };
  }

  it('describes a polygon with DAM: the clipped polygon as alpha, pixel by pixel, streamed', async () => {
    dam = await startDamFakeServer({ replyText: () => 'A grey triangle of paper.' });
    models = [damModel(dam.url)];
    const deltas: string[] = [];
    const result = await describer.describe({ imagePath: image, sidecarImage: SIZE, region: POLYGON, onText: (d) => deltas.push(d) });
    assert.deepEqual(result, { text: 'A grey triangle of paper.', model: 'dam/describe-anything' });
    assert.equal(deltas.join(''), 'A grey triangle of paper.');
    const sent = dam.requests[0];
    assert.deepEqual([sent.image?.width, sent.image?.height, sent.image?.channels], [400, 300, 4]);
    const expected = regionMask(clipRegion(POLYGON), 400, 300);
    let inside = 0;
    for (let i = 0; i < expected.data.length; i++) {
      assert.equal(sent.image!.alpha![i], expected.data[i] ? 255 : 0, `alpha of pixel (${i % 400}, ${Math.floor(i / 400)})`);
      inside += expected.data[i];
    }
    assert.ok(inside > 1000, 'the mask is not trivial');
    assert.equal(sent.text, '\nDescribe the masked region in detail.');
  });

  it('focal prompting: the outlined picture, then the crop grown 3x, with the focal prompt; one image for a one-image model', async () => {
    chat = await startOpenAiFakeServer({ replyText: () => 'A small grey square.' });
    models = [chatModel(), chatModel({ id: 'chat/one', capabilities: { stream: true } })];
    const result = await describer.describe({ imagePath: image, sidecarImage: SIZE, region: BOX, modelId: 'chat/vision' });
    assert.equal(result.text, 'A small grey square.');
    const body = chat.requests[0].body;
    const images = await sentImages(body);
    assert.deepEqual(images.map((i) => [i.width, i.height]), [[400, 300], [120, 180]]);
    assert.equal(body.messages.at(-1).content.at(-1).text, DEFAULT_FOCAL_PROMPT);
    assert.equal(body.max_tokens, 200);
    const { data, info } = await sharp(images[1].data).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number): number[] => [...data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3)];
    const [r, g, b] = at(40, 90);
    assert.ok(r > 200 && g < 80 && b > 200, `the crop's outline at the box's left edge, got ${[r, g, b]}`);
    await describer.describe({ imagePath: image, sidecarImage: SIZE, region: BOX, modelId: 'chat/one', prompt: 'Only this.' });
    const single = chat.requests[1].body;
    assert.deepEqual((await sentImages(single)).map((i) => [i.width, i.height]), [[400, 300]]);
    assert.equal(single.messages.at(-1).content.at(-1).text, 'Only this.');
  });

  it('a DAM server that is down says how to start it; a slow one names the time limit', async () => {
    models = [damModel(`http://127.0.0.1:${await closedPort()}`)];
    const down = await describer.describe({ imagePath: image, sidecarImage: SIZE, region: BOX }).catch((e: unknown) => e);
    assert.ok(down instanceof ProviderError && down.kind === 'unreachable', String((down as Error).message));
    assert.match(down.message, /Start Describe Anything Server/);
    dam = await startDamFakeServer({ script: [{ kind: 'hang' }] });
    models = [damModel(dam.url)];
    settings = { ...settings, timeoutMs: 300 };
    const slow = await describer.describe({ imagePath: image, sidecarImage: SIZE, region: BOX }).catch((e: unknown) => e);
    assert.ok(slow instanceof ProviderError && slow.kind === 'timeout', String(slow));
    assert.match(slow.message, /0 s \(imageCaptioner\.generation\.timeoutSeconds\)/);
    assert.equal(dam.requests.length, 1, 'a request that took the whole time limit is not sent again');
  });

  it('sends nothing from an untrusted workspace, nor when the key or destination is refused', async () => {
    dam = await startDamFakeServer();
    models = [damModel(dam.url)];
    trusted = false;
    await assert.rejects(describer.describe({ imagePath: image, sidecarImage: SIZE, region: BOX }), /untrusted workspace/);
    trusted = true;
    sendAllowed = false;
    await assert.rejects(describer.describe({ imagePath: image, sidecarImage: SIZE, region: BOX }), RegionRequestError);
    assert.equal(dam.requests.length, 0);
  });

  it('refuses a degenerate region, an unknown model and regions drawn on a picture of another shape, before sending', async () => {
    dam = await startDamFakeServer();
    models = [damModel(dam.url)];
    const line = region({ kind: 'polygon', bbox: [0, 0, 1, 1], points: [[0.1, 0.1], [0.5, 0.5]] });
    await assert.rejects(describer.describe({ imagePath: image, sidecarImage: SIZE, region: line }), /at least 3 points/);
    await assert.rejects(describer.describe({ imagePath: image, sidecarImage: SIZE, region: BOX, modelId: 'nope/model' }), /No model "nope\/model"/);
    await assert.rejects(describer.describe({ imagePath: image, sidecarImage: { width: 300, height: 400 }, region: BOX }), /400x300 now.*300x400/);
    // the same shape at another size is the same picture resized: its normalized regions still fit
    await describer.describe({ imagePath: image, sidecarImage: { width: 800, height: 600 }, region: BOX });
    assert.equal(dam.requests.length, 1);
  });

  it('retries a 500 like the batch engine, but never repeats an answer that already streamed text', async () => {
    chat = await startOpenAiFakeServer({ script: [faults.serverError(), { kind: 'ok', text: 'A grey square.' }, faults.streamError({ message: 'overloaded' }, 1)] });
    models = [chatModel()];
    const first = await describer.describe({ imagePath: image, sidecarImage: SIZE, region: BOX, modelId: 'chat/vision', onText: () => undefined });
    assert.equal(first.text, 'A grey square.');
    assert.equal(chat.requests.length, 2);
    const deltas: string[] = [];
    const err = await describer.describe({ imagePath: image, sidecarImage: SIZE, region: BOX, modelId: 'chat/vision', onText: (d) => deltas.push(d) }).catch((e: unknown) => e);
    assert.ok(err instanceof ProviderError && err.kind === 'server', String(err));
    assert.equal(deltas.length, 1);
    assert.equal(chat.requests.length, 3, 'the streamed failure was sent again');
  });

  it('a caller that retries itself (a region batch) gets each failure at once with maxAttempts 1', async () => {
    chat = await startOpenAiFakeServer({ script: [faults.serverError('busy')] });
    models = [chatModel()];
    const once = new RegionDescriber({
      models: { find: (id) => models.find((m) => m.id === id), selected: () => undefined },
      settings: () => settings,
      isTrusted: () => true,
      prepareToSend: async () => ({}),
      providers: new ProviderFactory(),
      checkImage: async () => undefined,
      retryPolicy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 },
    });
    const err = await once.describe({ imagePath: image, sidecarImage: SIZE, region: BOX, modelId: 'chat/vision' }).catch((e: unknown) => e);
    once.dispose();
    assert.ok(err instanceof ProviderError && err.kind === 'server' && err.retryable, String(err));
    assert.equal(chat.requests.length, 1);
  });

  it('keeps to the model\'s concurrency across regions described at once, and a cancel stops one', async () => {
    chat = await startOpenAiFakeServer({ latencyMs: 80 });
    models = [chatModel({ rateLimit: { concurrency: 1 } })];
    const controller = new AbortController();
    const describe = (signal?: AbortSignal): Promise<unknown> => describer.describe({ imagePath: image, sidecarImage: SIZE, region: BOX, modelId: 'chat/vision', signal });
    const runs = [describe(), describe()];
    // the first is in flight (80 ms) and holds the only slot, the second waits: a third cancelled now must never be sent
    while (chat.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    runs.push(describe(controller.signal));
    setTimeout(() => controller.abort(), 20);
    const settled = await Promise.allSettled(runs);
    assert.equal(chat.stats.maxInFlight, 1);
    assert.deepEqual(settled.map((s) => s.status), ['fulfilled', 'fulfilled', 'rejected']);
    const reason = (settled[2] as PromiseRejectedResult).reason;
    assert.ok(reason instanceof ProviderError && reason.kind === 'cancelled', String(reason));
    assert.equal(chat.requests.length, 2);
  });

  it('fuses the described regions with the fusion rules and the picture with their contours', async () => {
    chat = await startOpenAiFakeServer({ replyText: () => 'A grey wall with a small square and a triangle.' });
    models = [chatModel(), damModel('http://127.0.0.1:9')];
    const regions = [
      { ...BOX, description: 'A small grey square.', label: 'square' },
      { ...POLYGON, id: 'r2', description: '' },
      { ...POLYGON, id: 'r3', description: 'A grey triangle.' },
    ];
    const result = await describer.fuse({ imagePath: image, regions });
    assert.deepEqual(result, { text: 'A grey wall with a small square and a triangle.', model: 'chat/vision' });
    const body = chat.requests[0].body;
    const prompt: string = body.messages.at(-1).content.at(-1).text;
    assert.match(prompt, /1\. \[magenta\] \(square\): A small grey square\.\n2\. \[cyan\]: A grey triangle\./);
    assert.match(prompt, /under 3 sentences/);
    assert.match(prompt, /never use the word "region"/);
    assert.deepEqual((await sentImages(body)).map((i) => [i.width, i.height]), [[400, 300]]);
    await assert.rejects(describer.fuse({ imagePath: image, regions, modelId: 'dam/describe-anything' }), /cannot follow a fusion prompt/);
    await assert.rejects(describer.fuse({ imagePath: image, regions: [BOX] }), /No region has a description yet/);
    assert.equal(chat.requests.length, 1);
  });
});
