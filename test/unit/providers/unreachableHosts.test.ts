import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import sharp from 'sharp';
import type { PreparedImage } from '../../../src/core/images/preparedImage';
import { HuggingFaceProvider } from '../../../src/providers/huggingFaceProvider';
import { NimLegacyProvider } from '../../../src/providers/nimLegacyProvider';
import { OpenAiCompatibleProvider } from '../../../src/providers/openAiCompatibleProvider';
import { CaptionProvider, CaptionRequest, ModelEntry, ProviderError } from '../../../src/providers/types';
import { NIM_LEGACY_ROUTES, NimFakeServer } from '../../fixtures/fakeServers/nimFakeServer';
import { closedPort } from '../../fixtures/fakeServers/closedPort';

const KEY = 'nvapi-test-SECRET-0123456789abcdef';
// made once with: openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1
const TLS_FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/tls');

/** A server on 127.0.0.1 (plain http, or https with a self-signed certificate) that answers anything with 200. */
async function listening(kind: 'http' | 'self-signed'): Promise<{ port: number; close: () => Promise<void> }> {
  const handler: http.RequestListener = (_req, res) => res.end('{}');
  const server = kind === 'http'
    ? http.createServer(handler)
    : https.createServer({ key: fs.readFileSync(path.join(TLS_FIXTURES, 'selfSigned.key.pem')), cert: fs.readFileSync(path.join(TLS_FIXTURES, 'selfSigned.cert.pem')) }, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

async function failure(provider: CaptionProvider, request: CaptionRequest): Promise<ProviderError> {
  const err = await provider.caption(request).then(() => assert.fail('the caption should have failed'), (e: unknown) => e);
  assert.ok(err instanceof ProviderError, `expected a ProviderError, got ${String(err)}`);
  assert.ok(!err.message.includes(KEY), 'the key leaked into the message');
  return err;
}

describe('a service that cannot be reached: kind unreachable, the message names the host and the step', function () {
  this.timeout(20_000);
  let image: PreparedImage;
  const servers: Array<{ close: () => Promise<void> }> = [];

  before(async () => {
    const data = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } }).jpeg().toBuffer();
    image = { data, mime: 'image/jpeg', width: 8, height: 8, sourceWidth: 8, sourceHeight: 8 };
  });
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });

  const providers: Array<{ name: string; provider: CaptionProvider; model: (origin: string) => Partial<ModelEntry> }> = [
    { name: 'OpenAI-compatible', provider: new OpenAiCompatibleProvider(), model: (origin) => ({ provider: 'openai-compatible', baseUrl: `${origin}/v1` }) },
    { name: 'Hugging Face endpoint', provider: new HuggingFaceProvider(), model: (origin) => ({ provider: 'huggingface', baseUrl: `${origin}/v1` }) },
    { name: 'NIM legacy route', provider: new NimLegacyProvider(), model: (origin) => ({ provider: 'nim-legacy', baseUrl: `${origin}${NIM_LEGACY_ROUTES.kosmos2}`, imageTransport: 'inline-img' }) },
  ];

  const request = (model: Partial<ModelEntry>): CaptionRequest => ({
    model: { id: 'test/m', label: 'Test VLM', model: 'm', imageTransport: 'image_url', key: 'nvidia', capabilities: { stream: false }, defaults: {}, ...model } as ModelEntry,
    image,
    prompt: 'Caption.',
    params: {},
    apiKey: KEY,
    timeoutMs: 10_000,
  });

  const faults: Array<{ name: string; origin: () => Promise<string>; says: RegExp }> = [
    { name: 'a closed port', origin: async () => `http://127.0.0.1:${await closedPort()}`, says: /the connection was refused \(ECONNREFUSED\)/ },
    { name: 'a host name that does not resolve', origin: async () => 'http://captioner-test.invalid:8000', says: /the host name does not resolve \((ENOTFOUND|EAI_AGAIN)\)/ },
    {
      name: 'https to a server that speaks plain http',
      origin: async () => {
        const server = await listening('http');
        servers.push(server);
        return `https://127.0.0.1:${server.port}`;
      },
      says: /the secure \(TLS\) connection failed \(ERR_SSL_WRONG_VERSION_NUMBER|EPROTO/,
    },
    {
      name: 'a self-signed certificate',
      origin: async () => {
        const server = await listening('self-signed');
        servers.push(server);
        return `https://127.0.0.1:${server.port}`;
      },
      says: /the secure \(TLS\) connection failed \(DEPTH_ZERO_SELF_SIGNED_CERT\)/,
    },
  ];

  for (const p of providers) {
    for (const fault of faults) {
      it(`${p.name}: ${fault.name}`, async () => {
        const origin = await fault.origin();
        const err = await failure(p.provider, request(p.model(origin)));
        assert.equal(err.kind, 'unreachable', err.message);
        assert.equal(err.retryable, true, 'a blip may pass: the batch retries, and stops after a few in a row');
        assert.match(err.message, fault.says);
        const service = p.provider.kind === 'nim-legacy' ? 'NVIDIA NIM (Test VLM)' : 'Test VLM';
        assert.ok(err.message.startsWith(`${service}: the request to ${new URL(origin).host} failed: `), err.message);
        assert.match(err.message, /Check the base URL and that the server is running\.$/);
      });
    }
  }
});

describe('NIM legacy routes: the NVCF host comes from the model entry, and its failures name it and the step', () => {
  let server: NimFakeServer;
  let image: PreparedImage;
  const provider = new NimLegacyProvider({ pollIntervalMs: 10 });

  before(async () => {
    const data = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } }).jpeg().toBuffer();
    image = { data, mime: 'image/jpeg', width: 8, height: 8, sourceWidth: 8, sourceHeight: 8 };
  });
  beforeEach(async () => (server = await NimFakeServer.start()));
  afterEach(() => server.close());

  const kosmos = (nvcfBaseUrl: string, extra: Partial<ModelEntry> = {}): CaptionRequest => ({
    model: {
      id: 'nim/kosmos-2', label: 'Kosmos-2', provider: 'nim-legacy', baseUrl: server.url + NIM_LEGACY_ROUTES.kosmos2, nvcfBaseUrl, imageTransport: 'inline-img',
      key: 'nvidia', capabilities: { stream: false }, defaults: {}, note: 'NVIDIA retired this route', ...extra,
    },
    image,
    prompt: 'Caption.',
    params: {},
    apiKey: KEY,
    timeoutMs: 10_000,
  });

  it('polls the configured NVCF host after HTTP 202, with the key', async () => {
    const routeOnly = await NimFakeServer.start();
    try {
      // the route answers 202; only the NVCF host knows the request: the poll must go there
      routeOnly.script({ pending: 1, text: 'unused' });
      const err = await failure(provider, { ...kosmos(server.url), model: { ...kosmos(server.url).model, baseUrl: routeOnly.url + NIM_LEGACY_ROUTES.kosmos2 } });
      assert.equal(server.requests('GET', '/v2/nvcf/pexec/status/').length, 1, 'the poll went to the configured NVCF host');
      assert.equal(server.requests('GET', '/v2/nvcf/pexec/status/')[0].headers.authorization, `Bearer ${KEY}`);
      assert.equal(routeOnly.requests('GET', '/v2/nvcf/pexec/status/').length, 0);
      // that host does not know the request id: a 404 there is the poll's, never the route's retirement
      assert.equal(err.kind, 'not-found');
      assert.ok(err.message.startsWith(`NVIDIA NIM (Kosmos-2) answered HTTP 404 to the status poll at ${new URL(server.url).host}: `), err.message);
      assert.ok(!err.message.includes('retired'), err.message);
      assert.match(err.message, /Check the model's nvcfBaseUrl/);
    } finally {
      await routeOnly.close();
    }
  });

  it('a status poll to a host that does not resolve says so, not "check the base URL" (the base URL answered)', async () => {
    server.script({ pending: 1, text: 'unused' });
    const err = await failure(provider, kosmos('https://nvcf-poll.invalid'));
    assert.equal(server.requests('POST', NIM_LEGACY_ROUTES.kosmos2).length, 1, 'the route itself answered');
    assert.equal(err.kind, 'unreachable');
    assert.match(err.message, /^NVIDIA NIM \(Kosmos-2\): the status poll to nvcf-poll\.invalid failed: the host name does not resolve \((ENOTFOUND|EAI_AGAIN)\)\. Check the model's nvcfBaseUrl/);
    assert.ok(!/base URL/.test(err.message), err.message);
  });

  it('an asset creation at a closed port names that step and host, and nothing reaches the route', async () => {
    const port = await closedPort();
    const large = { ...image, data: Buffer.alloc(2_000, 1) };
    const err = await failure(provider, { ...kosmos(`http://127.0.0.1:${port}`, { useAssets: true, maxInlineBase64: 1_000 }), image: large });
    assert.equal(err.kind, 'unreachable');
    assert.match(err.message, new RegExp(`^NVIDIA NIM \\(Kosmos-2\\): the asset creation to 127\\.0\\.0\\.1:${port} failed: the connection was refused \\(ECONNREFUSED\\)\\. Check the model's nvcfBaseUrl`));
    assert.equal(server.log.length, 0);
  });

  it('a connection lost mid-reply is network (retried with backoff), naming the host', async () => {
    server.script({ fault: 'reset' });
    const err = await failure(provider, kosmos(server.url));
    assert.equal(err.kind, 'network');
    assert.match(err.message, new RegExp(`^NVIDIA NIM \\(Kosmos-2\\): the request to ${new URL(server.url).host.replace(/\./g, '\\.')} failed: the connection was lost \\(\\w+\\)\\.$`));
  });
});
