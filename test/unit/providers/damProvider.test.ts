import * as assert from 'node:assert/strict';
import { createServer } from 'node:net';
import sharp from 'sharp';
import type { PreparedImage } from '../../../src/core/images/preparedImage';
import { DAM_PROMPT, DamProvider } from '../../../src/providers/damProvider';
import { OpenAiCompatibleProvider } from '../../../src/providers/openAiCompatibleProvider';
import { ModelEntry, ProviderError, RegionRequest } from '../../../src/providers/types';
import { DamFakeServer, startDamFakeServer } from '../../fixtures/fakeServers/damFakeServer';

const WIDTH = 12;
const HEIGHT = 9;

/** A mask with a hole and a diagonal edge, so a flipped, shifted or thresholded alpha shows. */
function expectedMask(): Uint8Array {
  const mask = new Uint8Array(WIDTH * HEIGHT);
  for (let y = 1; y < 8; y++) for (let x = 2; x < 2 + y; x++) mask[y * WIDTH + x] = 1;
  mask[5 * WIDTH + 4] = 0;
  return mask;
}

async function maskedPng(mask: Uint8Array): Promise<PreparedImage> {
  const rgba = Buffer.alloc(WIDTH * HEIGHT * 4);
  for (let i = 0; i < WIDTH * HEIGHT; i++) rgba.set([30 + i, 200, 90, mask[i] ? 255 : 0], i * 4);
  const data = await sharp(rgba, { raw: { width: WIDTH, height: HEIGHT, channels: 4 } }).png().toBuffer();
  return { data, mime: 'image/png', width: WIDTH, height: HEIGHT, sourceWidth: WIDTH, sourceHeight: HEIGHT };
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('DamProvider against a fake Describe Anything server', () => {
  let server: DamFakeServer;
  let image: PreparedImage;
  const provider = new DamProvider();

  before(async () => (image = await maskedPng(expectedMask())));
  afterEach(() => server?.close());

  function model(overrides: Partial<ModelEntry> = {}): ModelEntry {
    return {
      id: 'dam/describe-anything',
      label: 'Describe Anything (fake)',
      provider: 'dam',
      baseUrl: server.url,
      model: 'describe_anything_model',
      imageTransport: 'image_url',
      key: 'none',
      capabilities: { stream: true },
      defaults: {},
      ...overrides,
    };
  }

  function request(overrides: Partial<RegionRequest> = {}, modelOverrides: Partial<ModelEntry> = {}): RegionRequest {
    return { model: model(modelOverrides), maskedImage: image, prompt: DAM_PROMPT, params: { temperature: 0.9 }, timeoutMs: 5000, ...overrides };
  }

  async function failure(promise: Promise<unknown>): Promise<ProviderError> {
    const err = await promise.then(
      () => assert.fail('the request should have failed'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ProviderError, `expected a ProviderError, got ${String(err)}`);
    return err;
  }

  it('streams list-typed deltas, with only a user message, the DAM model name and the mask as alpha, pixel by pixel', async () => {
    server = await startDamFakeServer({ replyText: () => 'A red mug with a chipped handle.' });
    const deltas: string[] = [];
    // an entry that asks for a system prompt and another model name still sends what the server accepts
    const result = await provider.describeRegion(request({ onText: (d) => deltas.push(d) }, { systemPrompt: '/no_think', model: 'something-else' }));
    assert.equal(result.text, 'A red mug with a chipped handle.');
    assert.ok(deltas.length > 1, 'the answer arrived in several deltas');
    assert.equal(deltas.join(''), result.text);
    const [sent] = server.requests;
    assert.equal(sent.url, '/chat/completions');
    assert.equal(sent.refused, undefined);
    assert.equal(sent.body.model, 'describe_anything_model');
    assert.deepEqual(sent.body.messages.map((m: { role: string }) => m.role), ['user']);
    assert.equal(sent.body.messages[0].content[0].type, 'image_url', 'the image comes before the text');
    assert.equal(sent.text, '\nDescribe the masked region in detail.');
    assert.equal(sent.body.temperature, undefined, 'sampling parameters are not sent (the server ignores them)');
    assert.equal(sent.image?.channels, 4);
    const mask = expectedMask();
    for (let i = 0; i < mask.length; i++) assert.equal(sent.image!.alpha![i], mask[i] ? 255 : 0, `alpha at (${i % WIDTH}, ${Math.floor(i / WIDTH)})`);
  });

  it('reads the non-streamed reply, which has no usage and no finish_reason', async () => {
    server = await startDamFakeServer({ replyText: () => 'A wooden chair.' });
    const result = await provider.describeRegion(request());
    assert.equal(result.text, 'A wooden chair.');
    assert.notEqual(server.requests[0].body.stream, true);
  });

  it('the fake refuses what the real server refuses: a system message, a wrong model name, a non-RGBA image', async () => {
    server = await startDamFakeServer();
    const chat = new OpenAiCompatibleProvider();
    const base = { model: model({ provider: 'openai-compatible' }), image, prompt: DAM_PROMPT, params: {}, timeoutMs: 5000 };
    const system = await failure(chat.caption({ ...base, model: { ...base.model, systemPrompt: 'You describe.' } }));
    assert.equal(system.status, 422);
    const wrongModel = await failure(chat.caption({ ...base, model: { ...base.model, model: 'gpt-4o' } }));
    assert.match(wrongModel.message, /Invalid model: gpt-4o/);
    const rgb = await sharp(image.data).removeAlpha().png().toBuffer();
    const notRgba = await failure(chat.caption({ ...base, image: { ...image, data: rgb } }));
    assert.match(notRgba.message, /must be RGBA/);
    assert.equal(server.requests.filter((r) => r.refused).length, 3);
  });

  it('a complaint about the image says what the server expects and what was sent', async () => {
    server = await startDamFakeServer({ script: [{ kind: 'status', status: 400, body: { detail: 'Image must be RGBA with the mask as alpha' } }] });
    const err = await failure(provider.describeRegion(request()));
    assert.equal(err.kind, 'bad-request');
    assert.match(err.message, /Image must be RGBA with the mask as alpha/);
    assert.match(err.message, /expects a PNG in RGBA whose alpha channel is the region's mask/);
  });

  it('a generation that fails mid-stream is an error with the server\'s words, never a short description', async () => {
    server = await startDamFakeServer({ replyText: () => 'A tall green plant in a pot.', script: [{ kind: 'stream-error', error: { message: 'CUDA out of memory', code: 500 }, afterDeltas: 2 }] });
    const deltas: string[] = [];
    const err = await failure(provider.describeRegion(request({ onText: (d) => deltas.push(d) })));
    assert.equal(err.kind, 'server');
    assert.match(err.message, /CUDA out of memory/);
    assert.equal(deltas.length, 2);
  });

  it('sends one request at a time per server, in order, however many are asked for at once', async () => {
    server = await startDamFakeServer({ latencyMs: 60, replyText: (r) => `Region ${r.number}.` });
    const results = await Promise.all([0, 1, 2, 3].map(() => provider.describeRegion(request({ onText: () => undefined }))));
    assert.equal(server.stats.maxInFlight, 1, 'the server saw two requests in flight');
    assert.deepEqual(results.map((r) => r.text), ['Region 1.', 'Region 2.', 'Region 3.', 'Region 4.']);
  });

  it('a request cancelled while waiting for its turn never reaches the server', async () => {
    server = await startDamFakeServer({ latencyMs: 200 });
    const controller = new AbortController();
    const first = provider.describeRegion(request());
    const second = provider.describeRegion(request({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    const err = await failure(second);
    assert.equal(err.kind, 'cancelled');
    await first;
    const third = await provider.describeRegion(request());
    assert.ok(third.text);
    assert.equal(server.requests.length, 2, 'the cancelled request was sent');
  });

  it('a server that is down is unreachable, naming the host; a slow one times out', async () => {
    server = await startDamFakeServer({ script: [{ kind: 'hang' }] });
    const port = await closedPort();
    const down = await failure(provider.describeRegion(request({}, { baseUrl: `http://127.0.0.1:${port}` })));
    assert.equal(down.kind, 'unreachable');
    assert.match(down.message, new RegExp(`request to 127\\.0\\.0\\.1:${port} failed`));
    const slow = await failure(provider.describeRegion(request({ timeoutMs: 300 })));
    assert.equal(slow.kind, 'timeout');
  });

  it('captions a whole image as one region: an opaque RGBA PNG from a JPEG', async () => {
    server = await startDamFakeServer({ replyText: () => 'A whole scene.' });
    const jpeg = await sharp({ create: { width: 8, height: 6, channels: 3, background: '#336699' } }).jpeg().toBuffer();
    const result = await provider.caption({ model: model(), image: { data: jpeg, mime: 'image/jpeg', width: 8, height: 6, sourceWidth: 8, sourceHeight: 6 }, prompt: 'Caption it.', params: {} });
    assert.equal(result.text, 'A whole scene.');
    const sent = server.requests[0];
    assert.equal(sent.text, DAM_PROMPT);
    assert.deepEqual([sent.image?.width, sent.image?.height, sent.image?.channels], [8, 6, 4]);
    assert.ok(sent.image!.alpha!.every((a) => a === 255));
  });
});
