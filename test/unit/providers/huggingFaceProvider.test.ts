import * as assert from 'node:assert/strict';
import sharp from 'sharp';
import type { PreparedImage } from '../../../src/core/images/preparedImage';
import { HuggingFaceProvider } from '../../../src/providers/huggingFaceProvider';
import { CaptionRequest, ModelEntry, ProviderError } from '../../../src/providers/types';
import { faults, OpenAiFakeServer, startOpenAiFakeServer } from '../../fixtures/fakeServers/openAiFakeServer';
import { transportFaultTests } from './transportFaults';

const TOKEN = 'hf_testSECRETtoken0123456789';
const PROMPT = 'Describe this image in one sentence.';
const ROUTER = 'https://router.huggingface.co';

describe('HuggingFaceProvider against a fake server', () => {
  let server: OpenAiFakeServer;
  let image: PreparedImage;
  const provider = new HuggingFaceProvider();

  before(async () => {
    const data = await sharp({ create: { width: 5, height: 2, channels: 3, background: '#3a7' } }).jpeg().toBuffer();
    image = { data, mime: 'image/jpeg', width: 5, height: 2, sourceWidth: 5, sourceHeight: 2 };
  });
  beforeEach(async () => (server = await startOpenAiFakeServer()));
  afterEach(() => server.close());

  function request(overrides: Partial<CaptionRequest> = {}, modelOverrides: Partial<ModelEntry> = {}): CaptionRequest {
    const model: ModelEntry = {
      id: 'hf/gemma-3-12b-it',
      label: 'Hugging Face (google/gemma-3-12b-it)',
      provider: 'huggingface',
      baseUrl: server.url,
      model: 'google/gemma-3-12b-it',
      imageTransport: 'image_url',
      key: 'huggingface',
      capabilities: { stream: true },
      defaults: {},
      ...modelOverrides,
    };
    return { model, image, prompt: PROMPT, params: {}, apiKey: TOKEN, timeoutMs: 5000, ...overrides };
  }

  /** A fetch that sends router.huggingface.co to the fake server and answers the Hub's provider-mapping query itself. */
  function routingFetch(target: OpenAiFakeServer, calls: string[]): typeof fetch {
    return async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      calls.push(url);
      if (url.startsWith('https://huggingface.co/api/models/')) {
        return Response.json({ inferenceProviderMapping: [{ provider: 'together', providerId: 'Qwen/Qwen2.5-VL-72B-Instruct', status: 'live', task: 'conversational' }] });
      }
      return fetch(url.replace(ROUTER, target.origin), init);
    };
  }

  async function failure(provider: HuggingFaceProvider, req: CaptionRequest): Promise<ProviderError> {
    const err = await provider.caption(req).then(
      () => assert.fail('the caption should have failed'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ProviderError, `expected a ProviderError, got ${String(err)}`);
    assert.ok(!err.message.includes(TOKEN) && !String(err.stack).includes(TOKEN), 'the token leaked into the error');
    return err;
  }

  function assertChatBody(body: any, model: string, viaRouter: boolean): void {
    if (viaRouter) assert.equal(Object.keys(body)[0], 'model', 'the router resolves the provider from a body that starts with model');
    assert.equal(body.model, model);
    assert.equal(body.provider, undefined);
    assert.equal(body.messages.length, 1);
    const [imagePart, textPart] = body.messages[0].content;
    assert.equal(imagePart.type, 'image_url');
    const match = /^data:image\/jpeg;base64,(.+)$/.exec(imagePart.image_url.url);
    assert.ok(match, 'not a JPEG data URL');
    assert.ok(Buffer.from(match[1], 'base64').equals(image.data), 'the image bytes differ from the prepared image');
    assert.deepEqual(textPart, { type: 'text', text: PROMPT });
  }

  describe('custom endpoint (TGI / Inference Endpoints)', () => {
    it('posts to {endpoint}/chat/completions with the token, the image part first and the params', async () => {
      const params = { max_tokens: 512, temperature: 0.2, top_p: 0.2, repetition_penalty: 1.05 };
      const result = await provider.caption(request({ params }));
      assert.equal(result.text, 'A fake caption for request 1.');
      const [sent] = server.requests;
      assert.equal(sent.url, '/v1/chat/completions');
      assert.equal(sent.headers.authorization, `Bearer ${TOKEN}`);
      assert.equal(sent.headers['content-type'], 'application/json');
      assertChatBody(sent.body, 'google/gemma-3-12b-it', false);
      assert.deepEqual(Object.keys(sent.body).sort(), ['max_tokens', 'messages', 'model', 'repetition_penalty', 'temperature', 'top_p']);
      assert.deepEqual({ ...sent.body, messages: undefined, model: undefined }, { ...params, messages: undefined, model: undefined });
    });

    it('adds /v1/chat/completions to an endpoint URL without /v1, and sends no Authorization without a token', async () => {
      await provider.caption(request({ apiKey: undefined }, { baseUrl: server.origin }));
      assert.equal(server.requests[0].url, '/v1/chat/completions');
      assert.equal(server.requests[0].headers.authorization, undefined);
    });

    it('streams deltas in order, sending stream: true', async () => {
      const deltas: string[] = [];
      const result = await provider.caption(request({ onText: (d) => deltas.push(d) }));
      assert.equal(server.requests[0].body.stream, true);
      assert.deepEqual(deltas, ['A ', 'fake ', 'caption ', 'for ', 'request ', '1.']);
      assert.equal(result.text, deltas.join(''));
    });

    it('reads list-of-parts content, streamed or not', async () => {
      const parts = await startOpenAiFakeServer({ contentAsParts: true, replyText: () => 'Two cats.' });
      try {
        assert.equal((await provider.caption(request({}, { baseUrl: parts.url }))).text, 'Two cats.');
        const deltas: string[] = [];
        assert.equal((await provider.caption(request({ onText: (d) => deltas.push(d) }, { baseUrl: parts.url }))).text, 'Two cats.');
        assert.deepEqual(deltas, ['Two ', 'cats.']);
      } finally {
        await parts.close();
      }
    });
  });

  describe('router', () => {
    it('"auto" posts to router.huggingface.co/v1/chat/completions with the HF model id', async () => {
      const calls: string[] = [];
      const routed = new HuggingFaceProvider({ fetch: routingFetch(server, calls) });
      const result = await routed.caption(request({ params: { max_tokens: 64 } }, { baseUrl: undefined }));
      assert.equal(result.text, 'A fake caption for request 1.');
      assert.deepEqual(calls, [`${ROUTER}/v1/chat/completions`]);
      assert.equal(server.requests[0].headers.authorization, `Bearer ${TOKEN}`);
      assertChatBody(server.requests[0].body, 'google/gemma-3-12b-it', true);
      assert.equal(server.requests[0].body.max_tokens, 64);
    });

    it('a named provider asks the Hub for its mapping, then posts to router.huggingface.co/{provider}/v1 with its model id', async () => {
      const together = await startOpenAiFakeServer({ prefix: '/together/v1' });
      try {
        const calls: string[] = [];
        const routed = new HuggingFaceProvider({ fetch: routingFetch(together, calls) });
        await routed.caption(request({}, { baseUrl: undefined, model: 'Qwen/Qwen2.5-VL-7B-Instruct', hfProvider: 'together' }));
        assert.deepEqual(calls, [
          'https://huggingface.co/api/models/Qwen/Qwen2.5-VL-7B-Instruct?expand[]=inferenceProviderMapping',
          `${ROUTER}/together/v1/chat/completions`,
        ]);
        assertChatBody(together.requests[0].body, 'Qwen/Qwen2.5-VL-72B-Instruct', true);
      } finally {
        await together.close();
      }
    });

    it('refuses the router without a token, or with a token that is not a Hugging Face one, sending nothing', async () => {
      const calls: string[] = [];
      const routed = new HuggingFaceProvider({ fetch: routingFetch(server, calls) });
      for (const apiKey of [undefined, 'sk-not-a-hf-token']) {
        const err = await failure(routed, request({ apiKey }, { baseUrl: undefined }));
        assert.equal(err.kind, 'auth');
        assert.match(err.message, /Image Captioner: Set API Key" \(huggingface\)/);
        assert.ok(!err.message.includes('sk-not-a-hf-token'));
      }
      assert.deepEqual(calls, []);
    });
  });

  describe('failures', () => {
    it('401 → auth, naming the key command, without the token the server echoed', async () => {
      server.setScript([faults.unauthorized(), faults.unauthorized()]);
      for (const onText of [undefined, () => undefined]) {
        const err = await failure(provider, request({ onText }));
        assert.equal(err.kind, 'auth');
        assert.match(err.message, /Incorrect API key provided: \*\*\*/);
        assert.match(err.message, /Image Captioner: Set API Key/);
      }
    });

    it('404 → not-found, or gone with the model note; 410 → gone', async () => {
      server.setScript([faults.notFound(), faults.notFound(), faults.gone()]);
      assert.equal((await failure(provider, request())).kind, 'not-found');
      const note = 'No longer deployed by any provider';
      for (const status of [404, 410]) {
        const err = await failure(provider, request({}, { note }));
        assert.equal(err.kind, 'gone');
        assert.equal(err.status, status);
        assert.ok(err.message.includes(note));
      }
    });

    it('429 without Retry-After → no delay; with retry-after-ms → that delay, streamed or not', async () => {
      server.setScript([faults.rateLimited(), faults.rateLimited({ 'retry-after-ms': '750' }), faults.rateLimited({ 'retry-after': '3' })]);
      const plain = await failure(provider, request());
      assert.equal(plain.kind, 'rate-limit');
      assert.equal(plain.retryAfterMs, undefined);
      assert.equal((await failure(provider, request())).retryAfterMs, 750);
      assert.equal((await failure(provider, request({ onText: () => undefined }))).retryAfterMs, 3000);
      assert.equal(server.requests.length, 3);
    });

    it('500 and 503 → server, each sent once (the library would retry a 503 forever)', async () => {
      server.setScript([faults.serverError(), { kind: 'status', status: 503, body: { error: 'Model is loading' } }]);
      assert.equal((await failure(provider, request())).kind, 'server');
      const loading = await failure(provider, request());
      assert.equal(loading.kind, 'server');
      assert.match(loading.message, /Model is loading/);
      assert.equal(server.requests.length, 2);
    });

    transportFaultTests({ server: () => server, request: (overrides) => request(overrides), failure: (req) => failure(provider, req) });

    it('abort mid-stream → cancelled, not a partial caption', async () => {
      const slow = await startOpenAiFakeServer({ chunkIntervalMs: 200 });
      try {
        const controller = new AbortController();
        const deltas: string[] = [];
        const err = await failure(provider, request({ signal: controller.signal, onText: (d) => (deltas.push(d), controller.abort()) }, { baseUrl: slow.url }));
        assert.equal(err.kind, 'cancelled');
        assert.deepEqual(deltas, ['A ']);
      } finally {
        await slow.close();
      }
    });

    it('an error event mid-stream → server with its message', async () => {
      server.setScript([faults.streamError({ message: 'CUDA out of memory' }), faults.streamError('generation failed')]);
      const err = await failure(provider, request({ onText: () => undefined }));
      assert.equal(err.kind, 'server');
      assert.match(err.message, /CUDA out of memory/);
      assert.match((await failure(provider, request({ onText: () => undefined }))).message, /generation failed/);
    });
  });
});
