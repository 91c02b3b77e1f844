import { strict as assert } from 'node:assert';
import sharp from 'sharp';
import { CONNECTION_TEST_PROMPT, ConnectionTestResult, testModelConnection } from '../../../src/providers/connectionTest';
import { OpenAiCompatibleProvider } from '../../../src/providers/openAiCompatibleProvider';
import { ModelEntry } from '../../../src/providers/types';
import { closedPort } from '../../fixtures/fakeServers/closedPort';
import { faults, OpenAiFakeServer, startOpenAiFakeServer } from '../../fixtures/fakeServers/openAiFakeServer';

const KEY = 'nvapi-connection-SECRET-0123456789';

const entry = (over: Partial<ModelEntry>): ModelEntry => ({
  id: 'test/vision',
  label: 'Test vision model',
  provider: 'openai-compatible',
  model: 'acme/vision-1',
  imageTransport: 'image_url',
  key: 'nvidia',
  capabilities: { stream: false },
  defaults: { max_tokens: 512 },
  ...over,
});

function failed(result: ConnectionTestResult): Extract<ConnectionTestResult, { ok: false }> {
  assert.equal(result.ok, false, `expected a failure, got ${JSON.stringify(result)}`);
  const failure = result as Extract<ConnectionTestResult, { ok: false }>;
  assert.ok(!failure.summary.includes(KEY) && !failure.detail.includes(KEY), 'the key leaked into the answer');
  return failure;
}

describe('Test Model Connection: one small request, a classified answer', function () {
  this.timeout(20_000);
  let server: OpenAiFakeServer;
  const provider = new OpenAiCompatibleProvider();

  before(async () => {
    server = await startOpenAiFakeServer({ replyText: () => '  A red\ncircle.  ', latencyMs: 30 });
  });
  after(() => server.close());
  afterEach(() => server.setScript(undefined));

  it('sends the generated image and the short prompt through the caption path, and returns the reply and latency', async () => {
    const before = server.requests.length;
    const result = await testModelConnection({ model: entry({ baseUrl: server.url }), provider, apiKey: KEY, timeoutMs: 5_000 });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.reply, 'A red circle.');
    assert.ok(result.latencyMs >= 30, `latency ${result.latencyMs} ms`);
    assert.equal(server.requests.length, before + 1, 'exactly one request');
    const request = server.requests.at(-1)!;
    assert.equal(request.headers.authorization, `Bearer ${KEY}`);
    assert.equal(request.body.model, 'acme/vision-1');
    assert.equal(request.body.max_tokens, 512, "the model's own defaults");
    const [imagePart, textPart] = request.body.messages.at(-1).content;
    assert.equal(textPart.text, CONNECTION_TEST_PROMPT);
    const data = Buffer.from(String(imagePart.image_url.url).replace(/^data:image\/\w+;base64,/, ''), 'base64');
    const { width, height } = await sharp(data).metadata();
    const { dominant } = await sharp(data).stats();
    assert.deepEqual([width, height], [96, 96]);
    assert.ok(dominant.r > 150 || dominant.g > 150, 'a real picture went out');
  });

  it('no key: says so and sends nothing', async () => {
    const before = server.requests.length;
    const result = failed(await testModelConnection({ model: entry({ baseUrl: server.url }), provider, timeoutMs: 5_000 }));
    assert.equal(result.problem, 'no-key');
    assert.deepEqual(result.fixes, ['set-key']);
    assert.equal(server.requests.length, before, 'no request may leave without the key');
  });

  it('a model that needs no key is tested without one', async () => {
    const result = await testModelConnection({ model: entry({ baseUrl: server.url, key: 'none' }), provider, timeoutMs: 5_000 });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(server.requests.at(-1)!.headers.authorization, 'Bearer not-needed', 'openai needs some key: the provider sends a placeholder, never a stored one');
  });

  for (const status of [401, 403]) {
    it(`key rejected (${status}): set-key, the server's words without the key it echoed`, async () => {
      server.setScript([
        status === 401 ? faults.unauthorized() : { kind: 'status', status: 403, body: { status: 403, title: 'Forbidden', detail: `Key ${KEY} has no access to this function` } },
      ]);
      const result = failed(await testModelConnection({ model: entry({ baseUrl: server.url }), provider, apiKey: KEY, timeoutMs: 5_000 }));
      assert.equal(result.problem, 'key-rejected');
      assert.equal(result.status, status);
      assert.deepEqual(result.fixes, ['set-key']);
      assert.match(result.detail, status === 401 ? /Incorrect API key provided: \*\*\*/ : /has no access/);
    });
  }

  it('a server that wants a key from an entry that sends none: edit the model, not Set API Key', async () => {
    server.setScript([{ kind: 'status', status: 401, body: { error: { message: 'Unauthorized' } } }]);
    const result = failed(await testModelConnection({ model: entry({ baseUrl: server.url, key: 'none' }), provider, timeoutMs: 5_000 }));
    assert.equal(result.problem, 'key-rejected');
    assert.deepEqual(result.fixes, ['edit-model']);
  });

  it('host unreachable: names the host', async () => {
    const port = await closedPort();
    const result = failed(await testModelConnection({ model: entry({ baseUrl: `http://127.0.0.1:${port}/v1` }), provider, apiKey: KEY, timeoutMs: 5_000 }));
    assert.equal(result.problem, 'unreachable');
    assert.match(result.summary, new RegExp(`127\\.0\\.0\\.1:${port}`));
    assert.match(result.detail, /ECONNREFUSED/);
    assert.deepEqual(result.fixes, ['edit-model', 'retry']);
  });

  // The bodies each server sends for a model it does not serve.
  const unknownModelReplies: Array<[string, number, unknown]> = [
    ['NVIDIA NIM (problem JSON)', 404, { status: 404, title: 'Not Found', detail: "Function 'acme/vision-1': Not found for account 'x'" }],
    ['OpenAI', 404, { error: { message: 'The model `acme/vision-1` does not exist or you do not have access to it.', type: 'invalid_request_error', code: 'model_not_found' } }],
    ['vLLM', 404, { object: 'error', message: 'The model `acme/vision-1` does not exist.', type: 'NotFoundError', param: null, code: 404 }],
    ['Ollama', 404, { error: { message: 'model "acme/vision-1" not found, try pulling it first', type: 'api_error', param: null, code: null } }],
    ['a server that answers 400', 400, { error: 'model "acme/vision-1" not found' }],
    ['the Hugging Face router', 400, { error: { message: "The requested model 'acme/vision-1' is not supported by any provider you have enabled.", type: 'invalid_request_error' } }],
  ];
  for (const [service, status, body] of unknownModelReplies) {
    it(`model unknown: ${service} (HTTP ${status})`, async () => {
      server.setScript([{ kind: 'status', status, body }]);
      const result = failed(await testModelConnection({ model: entry({ baseUrl: server.url }), provider, apiKey: KEY, timeoutMs: 5_000 }));
      assert.equal(result.problem, 'model-unknown');
      assert.equal(result.status, status);
      assert.match(result.summary, /acme\/vision-1/);
      assert.deepEqual(result.fixes, ['edit-model']);
    });
  }

  it('a 400 about something else is not "model unknown"', async () => {
    server.setScript([{ kind: 'status', status: 400, body: { error: { message: 'max_tokens must be at most 256' } } }]);
    const result = failed(await testModelConnection({ model: entry({ baseUrl: server.url }), provider, apiKey: KEY, timeoutMs: 5_000 }));
    assert.equal(result.problem, 'other');
    assert.match(result.detail, /max_tokens must be at most 256/);
  });

  it('timeout: the limit is named and Retry offered', async () => {
    server.setScript([faults.hang()]);
    const result = failed(await testModelConnection({ model: entry({ baseUrl: server.url }), provider, apiKey: KEY, timeoutMs: 400 }));
    assert.equal(result.problem, 'timeout');
    assert.deepEqual(result.fixes, ['retry', 'open-settings']);
  });

  it('other failures keep the server text', async () => {
    server.setScript([faults.serverError(`GPU fell over; key was ${KEY}`)]);
    const result = failed(await testModelConnection({ model: entry({ baseUrl: server.url }), provider, apiKey: KEY, timeoutMs: 5_000 }));
    assert.equal(result.problem, 'other');
    assert.equal(result.status, 500);
    assert.match(result.detail, /GPU fell over; key was \*\*\*/);
  });

  it('cancelled by the caller', async () => {
    server.setScript([faults.hang()]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const result = failed(await testModelConnection({ model: entry({ baseUrl: server.url }), provider, apiKey: KEY, timeoutMs: 5_000, signal: controller.signal }));
    assert.equal(result.problem, 'cancelled');
  });
});
