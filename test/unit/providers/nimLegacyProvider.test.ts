import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import type { PreparedImage } from '../../../src/core/images/preparedImage';
import { NimLegacyProvider } from '../../../src/providers/nimLegacyProvider';
import { CaptionRequest, ModelEntry, ProviderError } from '../../../src/providers/types';
import { LoggedRequest, NIM_LEGACY_ROUTES, NimFakeServer } from '../../fixtures/fakeServers/nimFakeServer';

const KEY = 'nvapi-test-SECRET-0123456789abcdef';
const RETIRED = "Kosmos-2 and VILA were removed from NVIDIA's catalogue in September 2025";
const PROMPT = 'Write a single concise caption in <= 25 tokens. Output only the caption.';

/** A real JPEG of random pixels: noise does not compress, so `side` controls the byte size. */
async function noiseJpeg(side: number): Promise<PreparedImage> {
  const data = await sharp(randomBytes(side * side * 3), { raw: { width: side, height: side, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
  return { data, mime: 'image/jpeg', width: side, height: side, sourceWidth: side, sourceHeight: side };
}

function kosmos(server: NimFakeServer, extra: Partial<ModelEntry> = {}): ModelEntry {
  return {
    id: 'nim/kosmos-2',
    label: 'Kosmos-2',
    provider: 'nim-legacy',
    baseUrl: server.url + NIM_LEGACY_ROUTES.kosmos2,
    nvcfBaseUrl: server.url,
    imageTransport: 'inline-img',
    key: 'nvidia',
    capabilities: { stream: false, grounding: true },
    defaults: {},
    extraBody: { grounded_response: true, response_mode: 'brief', task: 'image captioning' },
    note: RETIRED,
    ...extra,
  };
}

const bodyOf = (r: LoggedRequest): Record<string, unknown> => JSON.parse(r.body.toString('utf8')) as Record<string, unknown>;
const contentOf = (r: LoggedRequest): string => (bodyOf(r).messages as Array<{ content: string }>)[0].content;

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ProviderError, `expected a ProviderError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the request to fail');
}

describe('NimLegacyProvider', () => {
  let server: NimFakeServer;
  let provider: NimLegacyProvider;
  let small: PreparedImage;
  let large: PreparedImage;
  const warnings: string[] = [];

  before(async () => {
    small = await noiseJpeg(64);
    large = await noiseJpeg(480);
    assert.ok(large.data.toString('base64').length > 180_000, 'fixture must exceed the inline limit');
  });
  beforeEach(async () => {
    server = await NimFakeServer.start();
    provider = new NimLegacyProvider({ pollIntervalMs: 10, onWarning: (m) => warnings.push(m) });
    warnings.length = 0;
  });
  afterEach(() => server.close());

  const request = (model: ModelEntry, overrides: Partial<CaptionRequest> = {}): CaptionRequest => ({
    model,
    image: small,
    prompt: PROMPT,
    params: { max_tokens: 1024, temperature: 0.2, top_p: 0.2 },
    apiKey: KEY,
    ...overrides,
  });

  it('sends Kosmos-2 a string content with the inline <img> of the exact bytes, its extras, no model field, and the key', async () => {
    await provider.caption(request(kosmos(server)));
    const [chat] = server.requests('POST', NIM_LEGACY_ROUTES.kosmos2);
    const match = /^(.*) <img src="data:image\/jpeg;base64,([A-Za-z0-9+/=]+)" \/>$/.exec(contentOf(chat));
    assert.ok(match, contentOf(chat).slice(0, 200));
    assert.equal(match[1], PROMPT);
    assert.deepEqual(Buffer.from(match[2], 'base64'), small.data);
    const body = bodyOf(chat);
    assert.equal('model' in body, false);
    assert.equal(body.grounded_response, true);
    assert.equal(body.response_mode, 'brief');
    assert.equal(body.task, 'image captioning');
    assert.equal(body.max_tokens, 1024);
    assert.equal(body.temperature, 0.2);
    assert.equal(chat.headers.authorization, `Bearer ${KEY}`);
    assert.equal(chat.headers.accept, 'application/json');
    assert.equal(chat.headers['content-type'], 'application/json');
  });

  it('sends the model field on a /v1/gr route when the entry names one, and returns the reply text once via onText', async () => {
    server.script({ text: 'A red fox on snow.' });
    const texts: string[] = [];
    const model = { ...kosmos(server), baseUrl: server.url + NIM_LEGACY_ROUTES.llama90b, model: 'meta/llama-3.2-90b-vision-instruct', extraBody: undefined };
    const result = await provider.caption(request(model, { onText: (t) => texts.push(t) }));
    assert.equal(result.text, 'A red fox on snow.');
    assert.deepEqual(texts, ['A red fox on snow.']);
    assert.equal(bodyOf(server.requests('POST', NIM_LEGACY_ROUTES.llama90b)[0]).model, 'meta/llama-3.2-90b-vision-instruct');
  });

  it('keeps Kosmos-2 entities as phrases with spans and normalized boxes', async () => {
    const text = 'a dog chasing a ball';
    server.script({ text, entities: [
      { phrase: 'a dog', substring: [0, 5], bboxes: [[0.1, 0.2, 0.5, 0.9]] },
      { phrase: 'a ball', substring: [14, 20], bboxes: [[0.6, 0.7, 0.7, 0.8], [0.05, 0.05, 0.1, 0.1]] },
    ] });
    const result = await provider.caption(request(kosmos(server)));
    assert.equal(result.text, text);
    assert.equal(result.finishReason, 'stop');
    assert.deepEqual(result.entities, [
      { phrase: 'a dog', span: [0, 5], boxes: [[0.1, 0.2, 0.5, 0.9]] },
      { phrase: 'a ball', span: [14, 20], boxes: [[0.6, 0.7, 0.7, 0.8], [0.05, 0.05, 0.1, 0.1]] },
    ]);
    assert.equal(text.slice(...(result.entities![1].span as [number, number])), 'a ball');
  });

  it('never sends an image whose base64 exceeds 180,000 characters inline: asset create, PUT, chat by reference, DELETE', async () => {
    server.script({ text: 'a large noisy picture' });
    const result = await provider.caption(request(kosmos(server, { useAssets: true }), { image: large }));
    assert.equal(result.text, 'a large noisy picture');
    assert.deepEqual(server.log.map((r) => `${r.method} ${r.path.replace(/[0-9a-f-]{36}$/, 'ID')}`), [
      'POST /v2/nvcf/assets', 'PUT /s3/upload/ID', `POST ${NIM_LEGACY_ROUTES.kosmos2}`, 'DELETE /v2/nvcf/assets/ID',
    ]);
    const [create, put, chat, del] = server.log;
    const { contentType, description } = bodyOf(create) as { contentType: string; description: string };
    assert.equal(contentType, 'image/jpeg');
    assert.equal(create.headers.authorization, `Bearer ${KEY}`);
    const assetId = put.path.slice('/s3/upload/'.length);
    assert.equal(put.headers['content-type'], 'image/jpeg');
    assert.equal(put.headers['x-amz-meta-nvcf-asset-description'], description);
    assert.equal(put.headers.authorization, undefined, 'the key must not go to pre-signed storage');
    assert.deepEqual(put.body, large.data);
    const base64 = large.data.toString('base64');
    assert.ok(chat.body.length < 180_000, `chat body is ${chat.body.length} bytes`);
    assert.ok(!chat.body.toString('utf8').includes(base64.slice(0, 64)));
    assert.equal(contentOf(chat), `${PROMPT} <img src="data:image/jpeg;asset_id,${assetId}" />`);
    assert.equal(chat.headers['nvcf-input-asset-references'], assetId);
    assert.equal(chat.headers['nvcf-function-asset-ids'], assetId);
    assert.equal(del.path, `/v2/nvcf/assets/${assetId}`);
    assert.equal(server.assets.size, 0);
    assert.deepEqual(warnings, []);
  });

  it('respects a model-specific inline limit lower than the default', async () => {
    await provider.caption(request(kosmos(server, { useAssets: true, maxInlineBase64: 1000 })));
    assert.equal(server.requests('POST', '/v2/nvcf/assets').length, 1);
    assert.ok(contentOf(server.requests('POST', NIM_LEGACY_ROUTES.kosmos2)[0]).includes(';asset_id,'));
  });

  it('deletes the asset when the chat request fails', async () => {
    server.script({ fault: 500 });
    const err = await rejection(provider.caption(request(kosmos(server, { useAssets: true }), { image: large })));
    assert.equal(err.kind, 'server');
    assert.equal(server.requests('DELETE', '/v2/nvcf/assets/').length, 1);
    assert.equal(server.assets.size, 0);
  });

  it('deletes the asset when the request is cancelled mid-flight', async () => {
    server.script({ fault: 'hang' });
    const controller = new AbortController();
    const pending = provider.caption(request(kosmos(server, { useAssets: true }), { image: large, signal: controller.signal }));
    await server.waitFor('POST', NIM_LEGACY_ROUTES.kosmos2);
    assert.equal(server.requests('POST', '/v2/nvcf/assets').length, 1, 'the image went as an asset');
    controller.abort();
    assert.equal((await rejection(pending)).kind, 'cancelled');
    assert.equal(server.requests('DELETE', '/v2/nvcf/assets/').length, 1);
    assert.equal(server.assets.size, 0);
  });

  it('refuses a too-large image without assets as bad-request, sending nothing', async () => {
    const err = await rejection(provider.caption(request(kosmos(server), { image: large })));
    assert.equal(err.kind, 'bad-request');
    assert.match(err.message, /downscale/);
    assert.equal(server.log.length, 0);
  });

  it('polls pexec status after HTTP 202 until the result arrives', async () => {
    server.script({ pending: 3, text: 'finally done' });
    const result = await provider.caption(request(kosmos(server)));
    assert.equal(result.text, 'finally done');
    const polls = server.requests('GET', '/v2/nvcf/pexec/status/');
    assert.equal(polls.length, 3);
    assert.ok(polls.every((p) => p.headers.authorization === `Bearer ${KEY}`));
  });

  it('stops polling when aborted', async () => {
    server.script({ pending: 1_000_000 });
    const controller = new AbortController();
    const pending = provider.caption(request(kosmos(server), { signal: controller.signal }));
    await server.waitFor('GET', '/v2/nvcf/pexec/status/', 2);
    controller.abort();
    assert.equal((await rejection(pending)).kind, 'cancelled');
    const polls = server.requests('GET', '/v2/nvcf/pexec/status/').length;
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(server.requests('GET', '/v2/nvcf/pexec/status/').length, polls);
  });

  it('cancels during the wait between polls without waiting out the interval', async () => {
    server.script({ pending: 2 });
    const slowPoller = new NimLegacyProvider({ pollIntervalMs: 60_000 });
    const controller = new AbortController();
    const pending = slowPoller.caption(request(kosmos(server), { signal: controller.signal }));
    await server.waitFor('POST', NIM_LEGACY_ROUTES.kosmos2);
    const started = Date.now();
    controller.abort();
    assert.equal((await rejection(pending)).kind, 'cancelled');
    assert.ok(Date.now() - started < 1000);
    assert.equal(server.requests('GET', '/v2/nvcf/pexec/status/').length, 0);
  });

  for (const status of [404, 410] as const) {
    it(`reports ${status} on a legacy route as gone, with the model's note`, async () => {
      server.script({ fault: status });
      const err = await rejection(provider.caption(request(kosmos(server))));
      assert.equal(err.kind, 'gone');
      assert.equal(err.status, status);
      assert.ok(err.message.includes(RETIRED), err.message);
    });
  }

  it('reports 401 as auth without the key in the message or the stack', async () => {
    server.script({ fault: 401 });
    const err = await rejection(provider.caption(request(kosmos(server))));
    assert.equal(err.kind, 'auth');
    assert.match(err.message, /Set API Key/);
    assert.match(err.message, /Invalid credentials: Bearer \*\*\*/, 'the fake echoes the key; it must be redacted');
    assert.ok(!err.message.includes(KEY) && !String(err.stack).includes(KEY));
  });

  it('reports a 429 problem JSON without Retry-After as a retryable rate-limit with no delay', async () => {
    server.script({ fault: 429 });
    const err = await rejection(provider.caption(request(kosmos(server))));
    assert.equal(err.kind, 'rate-limit');
    assert.equal(err.retryAfterMs, undefined);
    assert.equal(err.retryable, true);
  });

  it('times out a hanging server after timeoutMs', async () => {
    server.script({ fault: 'hang' });
    const started = Date.now();
    const err = await rejection(provider.caption(request(kosmos(server), { timeoutMs: 200 })));
    assert.equal(err.kind, 'timeout');
    assert.ok(Date.now() - started < 2000);
  });

  it('reports an abort as cancelled', async () => {
    server.script({ fault: 'hang' });
    const controller = new AbortController();
    const pending = provider.caption(request(kosmos(server), { signal: controller.signal, timeoutMs: 10_000 }));
    await server.waitFor('POST', NIM_LEGACY_ROUTES.kosmos2);
    controller.abort();
    assert.equal((await rejection(pending)).kind, 'cancelled');
  });

  it('reports 500 as server, malformed JSON as bad-response, a reset as network', async () => {
    server.script({ fault: 500 }, { fault: 'malformed' }, { fault: 'reset' });
    assert.equal((await rejection(provider.caption(request(kosmos(server))))).kind, 'server');
    assert.equal((await rejection(provider.caption(request(kosmos(server))))).kind, 'bad-response');
    assert.equal((await rejection(provider.caption(request(kosmos(server))))).kind, 'network');
  });
});
