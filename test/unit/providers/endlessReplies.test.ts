import * as assert from 'node:assert/strict';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PreparedImage } from '../../../src/core/images/preparedImage';
import { MAX_RESPONSE_BYTES, MAX_STREAMED_CHARS } from '../../../src/providers/boundedFetch';
import { HuggingFaceProvider } from '../../../src/providers/huggingFaceProvider';
import { NimLegacyProvider } from '../../../src/providers/nimLegacyProvider';
import { OpenAiCompatibleProvider } from '../../../src/providers/openAiCompatibleProvider';
import { CaptionProvider, CaptionRequest, ModelEntry, ProviderError } from '../../../src/providers/types';

/** A server whose reply never ends: a JSON caption, or server-sent deltas, a megabyte at a time. */
interface EndlessServer {
  readonly url: string;
  /** Bytes written before the client hung up. */
  sent: number;
  close(): Promise<void>;
}

async function startEndlessServer(): Promise<EndlessServer> {
  const megabyte = 'a'.repeat(1024 * 1024);
  const state = { sent: 0 };
  const server: Server = createServer((req, res) => {
    const streaming = req.headers.accept?.includes('text/event-stream') || /"stream":true/.test(req.url ?? '');
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const sse = streaming || /"stream"\s*:\s*true/.test(body);
      res.writeHead(200, { 'Content-Type': sse ? 'text/event-stream' : 'application/json' });
      if (!sse) res.write('{"choices":[{"message":{"role":"assistant","content":"');
      const pump = (): void => {
        while (!res.destroyed) {
          const chunk = sse ? `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: megabyte.slice(0, 64 * 1024) } }] })}\n\n` : megabyte;
          state.sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
      };
      pump();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get sent() {
      return state.sent;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  } as EndlessServer;
}

const image: PreparedImage = { data: Buffer.from([0xff, 0xd8, 0xff, 0xd9]), mime: 'image/jpeg', width: 1, height: 1, sourceWidth: 1, sourceHeight: 1 };

describe('a server whose reply never ends', function () {
  this.timeout(20_000);
  let server: EndlessServer;
  beforeEach(async () => (server = await startEndlessServer()));
  afterEach(() => server.close());

  const cases: Array<{ name: string; provider: () => CaptionProvider; model: () => Partial<ModelEntry>; stream: boolean }> = [
    { name: 'OpenAI-compatible, JSON', provider: () => new OpenAiCompatibleProvider(), model: () => ({ provider: 'openai-compatible', baseUrl: `${server.url}/v1` }), stream: false },
    { name: 'OpenAI-compatible, streamed', provider: () => new OpenAiCompatibleProvider(), model: () => ({ provider: 'openai-compatible', baseUrl: `${server.url}/v1` }), stream: true },
    { name: 'Hugging Face endpoint, JSON', provider: () => new HuggingFaceProvider(), model: () => ({ provider: 'huggingface', baseUrl: `${server.url}/v1` }), stream: false },
    { name: 'Hugging Face endpoint, streamed', provider: () => new HuggingFaceProvider(), model: () => ({ provider: 'huggingface', baseUrl: `${server.url}/v1` }), stream: true },
    { name: 'NIM legacy route', provider: () => new NimLegacyProvider(), model: () => ({ provider: 'nim-legacy', baseUrl: `${server.url}/vlm/test`, nvcfBaseUrl: server.url, imageTransport: 'inline-img' }), stream: false },
  ];

  for (const c of cases) {
    it(`${c.name}: stops reading past the limit with a clear error, and holds no more than the limit`, async () => {
      const model: ModelEntry = {
        id: 'test/endless', label: 'Endless server', provider: 'openai-compatible', model: 'm', imageTransport: 'image_url', key: 'none',
        capabilities: { stream: true }, defaults: {}, ...c.model(),
      } as ModelEntry;
      const request: CaptionRequest = { model, image, prompt: 'Caption.', params: {}, timeoutMs: 15_000, onText: c.stream ? () => undefined : undefined };
      const heapBefore = process.memoryUsage().heapUsed;
      const err = await c.provider().caption(request).then(() => assert.fail('an endless reply was accepted'), (e: unknown) => e);
      assert.ok(err instanceof ProviderError, `expected a ProviderError, got ${String(err)}`);
      assert.equal(err.kind, 'bad-response');
      assert.match(err.message, /Endless server\)? sent (a reply over \d+ MB|more than \d+ K characters of text), more than any caption needs/);
      assert.ok(server.sent < 4 * MAX_RESPONSE_BYTES, `the client kept reading (${server.sent} bytes sent)`);
      assert.ok(process.memoryUsage().heapUsed - heapBefore < 8 * (MAX_RESPONSE_BYTES + MAX_STREAMED_CHARS * 2), 'memory grew past the limit');
    });
  }
});
