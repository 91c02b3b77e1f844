import * as assert from 'node:assert/strict';
import sharp from 'sharp';
import type { PreparedImage } from '../../../src/core/images/preparedImage';
import { OpenAiCompatibleProvider } from '../../../src/providers/openAiCompatibleProvider';
import { CaptionRequest, ModelEntry, ProviderError } from '../../../src/providers/types';
import { faults, OpenAiFakeServer, startOpenAiFakeServer } from '../../fixtures/fakeServers/openAiFakeServer';
import { transportFaultTests } from './transportFaults';

const KEY = 'nvapi-test-SECRET-0123456789abcdef';
const PROMPT = 'Write a single concise caption. Output only the caption.';

async function makeImage(format: 'png' | 'jpeg'): Promise<PreparedImage> {
  const data = await sharp({ create: { width: 4, height: 3, channels: format === 'png' ? 4 : 3, background: { r: 200, g: 30, b: 90, alpha: 0.5 } } })
    .toFormat(format)
    .toBuffer();
  return { data, mime: format === 'png' ? 'image/png' : 'image/jpeg', width: 4, height: 3, sourceWidth: 4, sourceHeight: 3 };
}

describe('OpenAiCompatibleProvider against a fake OpenAI-compatible server', () => {
  let server: OpenAiFakeServer;
  let png: PreparedImage;
  let jpeg: PreparedImage;
  const provider = new OpenAiCompatibleProvider();

  before(async () => {
    png = await makeImage('png');
    jpeg = await makeImage('jpeg');
  });
  beforeEach(async () => (server = await startOpenAiFakeServer()));
  afterEach(() => server.close());

  function model(overrides: Partial<ModelEntry> = {}): ModelEntry {
    return {
      id: 'nim/test-vision',
      label: 'NVIDIA NIM (fake/vision-1)',
      provider: 'openai-compatible',
      baseUrl: server.url,
      model: 'fake/vision-1',
      imageTransport: 'image_url',
      key: 'nvidia',
      capabilities: { stream: true },
      defaults: {},
      ...overrides,
    };
  }

  function request(overrides: Partial<CaptionRequest> = {}, modelOverrides: Partial<ModelEntry> = {}): CaptionRequest {
    return { model: model(modelOverrides), image: png, prompt: PROMPT, params: {}, apiKey: KEY, timeoutMs: 5000, ...overrides };
  }

  async function failure(req: CaptionRequest): Promise<ProviderError> {
    const err = await provider.caption(req).then(
      () => assert.fail('the caption should have failed'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ProviderError, `expected a ProviderError, got ${String(err)}`);
    assert.ok(!err.message.includes(KEY) && !String(err.stack).includes(KEY), 'the key leaked into the error');
    return err;
  }

  function decodeDataUrl(url: string): { mime: string; bytes: Buffer } {
    const match = /^data:([^;]+);base64,([A-Za-z0-9+/=]+)$/.exec(url);
    assert.ok(match, `not a base64 data URL: ${url.slice(0, 40)}`);
    return { mime: match[1], bytes: Buffer.from(match[2], 'base64') };
  }

  describe('request on the wire', () => {
    it('posts image part then text part, the key as Bearer, params and extra body as top-level fields', async () => {
      const params = { max_tokens: 1024, temperature: 0.2, top_p: 0.2, repetition_penalty: 1.1 };
      const result = await provider.caption(request({ params }, { extraBody: { seed: 7 } }));
      assert.equal(result.text, 'A fake caption for request 1.');
      assert.equal(result.finishReason, 'stop');
      const [sent] = server.requests;
      assert.equal(sent.method, 'POST');
      assert.equal(sent.url, '/v1/chat/completions');
      assert.equal(sent.headers.authorization, `Bearer ${KEY}`);
      assert.equal(sent.headers['content-type'], 'application/json');
      assert.deepEqual(Object.keys(sent.body).sort(), ['max_tokens', 'messages', 'model', 'repetition_penalty', 'seed', 'temperature', 'top_p']);
      assert.deepEqual({ ...sent.body, messages: undefined }, { ...params, seed: 7, model: 'fake/vision-1', messages: undefined });
      assert.equal(sent.body.messages.length, 1);
      const [image, text] = sent.body.messages[0].content;
      assert.equal(sent.body.messages[0].role, 'user');
      assert.equal(image.type, 'image_url');
      const decoded = decodeDataUrl(image.image_url.url);
      assert.equal(decoded.mime, 'image/png');
      assert.ok(decoded.bytes.equals(png.data), 'the image bytes differ from the prepared image');
      assert.deepEqual(text, { type: 'text', text: PROMPT });
    });

    it('uses the real MIME type of a JPEG', async () => {
      await provider.caption(request({ image: jpeg }));
      const decoded = decodeDataUrl(server.requests[0].body.messages[0].content[0].image_url.url);
      assert.equal(decoded.mime, 'image/jpeg');
      assert.ok(decoded.bytes.equals(jpeg.data));
    });

    it('sends image_url as a bare string for older nv-vlm models', async () => {
      await provider.caption(request({}, { imageTransport: 'image_url-string' }));
      const [image, text] = server.requests[0].body.messages[0].content;
      assert.equal(image.type, 'image_url');
      assert.equal(typeof image.image_url, 'string');
      assert.ok(decodeDataUrl(image.image_url).bytes.equals(png.data));
      assert.deepEqual(text, { type: 'text', text: PROMPT });
    });

    it('inlines <img> in a string content for legacy routes', async () => {
      await provider.caption(request({}, { imageTransport: 'inline-img' }));
      const content = server.requests[0].body.messages[0].content;
      assert.equal(typeof content, 'string');
      const match = /^(.*) <img src="([^"]+)" \/>$/s.exec(content);
      assert.ok(match, content.slice(0, 80));
      assert.equal(match[1], PROMPT);
      assert.ok(decodeDataUrl(match[2]).bytes.equals(png.data));
    });

    it('sends the system message first when the model has one', async () => {
      await provider.caption(request({}, { systemPrompt: '/no_think' }));
      const { messages } = server.requests[0].body;
      assert.deepEqual(messages[0], { role: 'system', content: '/no_think' });
      assert.equal(messages[1].role, 'user');
    });

    it('sends a dummy key to local servers and ignores ambient OPENAI_* settings', async () => {
      const ambient = { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_ORG_ID: 'org-ambient' };
      const saved = Object.keys(ambient).map((name) => [name, process.env[name]] as const);
      Object.assign(process.env, ambient);
      const restore = () => saved.forEach(([name, value]) => (value === undefined ? delete process.env[name] : (process.env[name] = value)));
      await provider.caption(request({ apiKey: undefined }, { key: 'none' })).finally(restore);
      assert.equal(server.requests[0].headers.authorization, 'Bearer not-needed');
      assert.equal(server.requests[0].headers['openai-organization'], undefined);
    });

    it('reuses keep-alive connections under concurrency', async () => {
      for (let round = 0; round < 3; round++) {
        await Promise.all(Array.from({ length: 8 }, () => provider.caption(request())));
        // Node's fetch frees a socket a tick after the body is read; a burst in that tick opens new ones.
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      assert.equal(server.requests.length, 24);
      assert.equal(server.stats.connections, 8, '3 spaced rounds of 8 should ride the same 8 connections');
    });

    it('keeps connections bounded for workers that send back to back (the batch engine)', async () => {
      const workers = 8;
      await Promise.all(Array.from({ length: workers }, async () => {
        for (let i = 0; i < 6; i++) await provider.caption(request());
      }));
      assert.equal(server.requests.length, 48);
      assert.ok(server.stats.connections <= 2 * workers, `${server.stats.connections} connections for ${workers} workers`);
    });
  });

  describe('replies', () => {
    it('streams deltas in order and returns the whole text', async () => {
      const deltas: string[] = [];
      const result = await provider.caption(request({ onText: (d) => deltas.push(d) }));
      assert.equal(server.requests[0].body.stream, true);
      assert.deepEqual(deltas, ['A ', 'fake ', 'caption ', 'for ', 'request ', '1.']);
      assert.equal(result.text, deltas.join(''));
      assert.equal(result.finishReason, 'stop');
    });

    it('reads content given as a list of text parts, streamed or not (Describe Anything, no /v1)', async () => {
      const dam = await startOpenAiFakeServer({ prefix: '', contentAsParts: true, replyText: () => 'A red mug.' });
      try {
        const damRequest = (onText?: (d: string) => void) => request({ apiKey: undefined, onText }, { baseUrl: dam.url, model: 'describe_anything_model', key: 'none' });
        assert.equal((await provider.caption(damRequest())).text, 'A red mug.');
        const deltas: string[] = [];
        assert.equal((await provider.caption(damRequest((d) => deltas.push(d)))).text, 'A red mug.');
        assert.deepEqual(deltas, ['A ', 'red ', 'mug.']);
        assert.deepEqual(dam.requests.map((r) => r.url), ['/chat/completions', '/chat/completions']);
      } finally {
        await dam.close();
      }
    });

    it('does not stream for a model without the capability, whatever the params say', async () => {
      const deltas: string[] = [];
      const result = await provider.caption(request({ onText: (d) => deltas.push(d), params: { stream: true } }, { capabilities: { stream: false } }));
      assert.equal(server.requests[0].body.stream, undefined);
      assert.deepEqual(deltas, []);
      assert.equal(result.text, 'A fake caption for request 1.');
    });
  });

  describe('failures', () => {
    it('401 → auth, naming the key command, without the key the server echoed', async () => {
      server.setScript([faults.unauthorized()]);
      const err = await failure(request());
      assert.equal(err.kind, 'auth');
      assert.equal(err.status, 401);
      assert.match(err.message, /Image Captioner: Set API Key" \(nvidia\)/);
      assert.match(err.message, /Incorrect API key provided: \*\*\*/);
      assert.equal(err.retryable, false);
    });

    it('404 → not-found, or gone with the note of a retired model; 410 → gone', async () => {
      server.setScript([faults.notFound(), faults.notFound(), faults.gone()]);
      const plain = await failure(request());
      assert.equal(plain.kind, 'not-found');
      assert.match(plain.message, /Function not found/);
      const note = 'Removed from the NVIDIA catalogue in Sept 2025';
      const retired = await failure(request({}, { note }));
      assert.equal(retired.kind, 'gone');
      assert.ok(retired.message.includes(note));
      const gone = await failure(request({}, { note }));
      assert.equal(gone.kind, 'gone');
      assert.equal(gone.status, 410);
      assert.ok(gone.message.includes(note));
    });

    it('429 without Retry-After → rate-limit with no delay, and no retry of its own', async () => {
      server.setScript([faults.rateLimited()]);
      const err = await failure(request());
      assert.equal(err.kind, 'rate-limit');
      assert.equal(err.retryAfterMs, undefined);
      assert.equal(err.retryable, true);
      assert.match(err.message, /Too Many Requests/);
      assert.equal(server.requests.length, 1);
      assert.equal((await provider.caption(request())).text, 'A fake caption for request 2.');
    });

    it('429 with retry-after-ms or retry-after → that delay', async () => {
      server.setScript([faults.rateLimited({ 'retry-after-ms': '1500' }), faults.rateLimited({ 'retry-after': '2' })]);
      assert.equal((await failure(request())).retryAfterMs, 1500);
      assert.equal((await failure(request())).retryAfterMs, 2000);
    });

    it('500 → server, sent once', async () => {
      server.setScript([faults.serverError('model crashed')]);
      const err = await failure(request());
      assert.equal(err.kind, 'server');
      assert.match(err.message, /model crashed/);
      assert.equal(server.requests.length, 1);
    });

    transportFaultTests({ server: () => server, request: (overrides) => request(overrides), failure: failure });

    it('abort mid-stream → cancelled, not a partial caption', async () => {
      const slow = await startOpenAiFakeServer({ chunkIntervalMs: 200 });
      try {
        const controller = new AbortController();
        const deltas: string[] = [];
        const err = await failure(request({ signal: controller.signal, onText: (d) => (deltas.push(d), controller.abort()) }, { baseUrl: slow.url }));
        assert.equal(err.kind, 'cancelled');
        assert.deepEqual(deltas, ['A ']);
      } finally {
        await slow.close();
      }
    });

    it('an error event mid-stream → server with its message', async () => {
      server.setScript([faults.streamError(), faults.streamError('generation failed: bad mask')]);
      const deltas: string[] = [];
      const err = await failure(request({ onText: (d) => deltas.push(d) }));
      assert.equal(err.kind, 'server');
      assert.match(err.message, /CUDA out of memory/);
      assert.deepEqual(deltas, ['A ']);
      assert.match((await failure(request({ onText: () => undefined }))).message, /generation failed: bad mask/);
    });

    it('a server limited to R requests per second answers 429 without Retry-After beyond R', async () => {
      const limited = await startOpenAiFakeServer({ rateLimitPerSecond: 4 });
      try {
        const outcomes = await Promise.all(Array.from({ length: 10 }, () => provider.caption(request({}, { baseUrl: limited.url })).then(() => 'ok', (e: ProviderError) => e)));
        assert.equal(outcomes.filter((o) => o === 'ok').length, 4);
        const refused = outcomes.filter((o): o is ProviderError => o instanceof ProviderError);
        assert.equal(refused.length, 6);
        assert.ok(refused.every((e) => e.kind === 'rate-limit' && e.retryAfterMs === undefined));
        assert.equal(limited.stats.rateLimited, 6);
      } finally {
        await limited.close();
      }
    });

    it('a server with 2 slots serves 6 requests sent at once two at a time: latency grows with the queue', async () => {
      const slotted = await startOpenAiFakeServer({ slots: 2, latencyMs: 100 });
      try {
        const started = performance.now();
        const latencies = await Promise.all(Array.from({ length: 6 }, async () => {
          await provider.caption(request({}, { baseUrl: slotted.url }));
          return performance.now() - started;
        }));
        latencies.sort((a, b) => a - b);
        // three waves of two, 100 ms each: answers near 100, 200 and 300 ms
        for (const [wave, bound] of [[0, 100], [2, 200], [4, 300]]) {
          assert.ok(latencies[wave] >= bound - 5 && latencies[wave + 1] >= bound - 5, `wave ${wave / 2}: ${latencies.map((l) => l.toFixed(0)).join(', ')} ms`);
        }
        assert.ok(latencies[5] < 300 + 250, `last answer after ${latencies[5].toFixed(0)} ms`);
        assert.equal(slotted.stats.maxInFlight, 6, 'all six reached the server at once');
        assert.equal(slotted.stats.maxQueued, 4);
      } finally {
        await slotted.close();
      }
    });

    it('a closed port → unreachable, naming the host', async () => {
      const url = server.url;
      await server.close();
      const err = await failure(request({}, { baseUrl: url }));
      assert.equal(err.kind, 'unreachable');
      assert.match(err.message, /ECONNREFUSED/);
      assert.ok(err.message.includes(new URL(url).host), err.message);
    });
  });
});
