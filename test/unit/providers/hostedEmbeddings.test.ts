import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { BatchCancelledError } from '../../../src/core/captioning/abortableDelay';
import { DEFAULT_RETRY_POLICY } from '../../../src/core/captioning/retryPolicy';
import { DatasetBoundary } from '../../../src/core/files/datasetBoundary';
import type { VectorItem } from '../../../src/core/images/descriptorBatch';
import { Catalog, ModelEntryInput, problemText, resolveCatalog } from '../../../src/providers/modelCatalog';
import { keyVerdict, ownOrigins } from '../../../src/providers/keyDestinations';
import { ProviderError, type ModelEntry } from '../../../src/providers/types';
import { HostedEmbeddings } from '../../../src/services/hostedEmbeddings';
import { fakeEmbedding, startEmbeddingsServer, type EmbeddingsFakeServer } from '../../fixtures/fakeServers/embeddingsFakeServer';
import { TempDirs } from '../helpers/tempTree';

const catalog = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../models/catalog.json'), 'utf8')) as Catalog;
const KEY = 'nvapi-canary-0123456789';
/** Retries without the real waits. */
const FAST_RETRIES = { ...DEFAULT_RETRY_POLICY, baseMs: 5, capMs: 20 };

/** A model entry as a user writes it in settings, resolved like the extension does. */
function entry(input: ModelEntryInput): ModelEntry {
  const { models, problems } = resolveCatalog({ presets: catalog.presets, models: [] }, [{ origin: { scope: 'user' }, value: [input] }]);
  assert.deepEqual(problems.map(problemText), []);
  return models[0];
}

const vectorOf = (item: VectorItem): number[] => {
  assert.ok(item.ok, item.ok ? '' : item.error);
  return [...item.vector];
};

describe('hosted embeddings (POST /embeddings against a fake server on 127.0.0.1)', function () {
  this.timeout(20_000);
  const temp = new TempDirs();
  let server: EmbeddingsFakeServer;
  beforeEach(async () => (server = await startEmbeddingsServer({ key: KEY })));
  afterEach(async () => {
    await server.close();
    await temp.cleanup();
  });

  const nimEntry = (extra: Partial<ModelEntryInput> = {}): ModelEntry =>
    entry({ id: 'my/embedqa', provider: 'openai-compatible', baseUrl: server.url, model: 'nvidia/nv-embedqa-e5-v5', key: 'nvidia', embedding: { inputType: 'passage', truncate: 'END', batchSize: 3 }, ...extra });

  it("sends NIM's body (input_type, truncate, float) in batches with the key, maps replies by index, and a second run sends nothing", async () => {
    const cacheDir = await temp.make();
    const model = nimEntry();
    const texts = ['a red ball', 'a dog on a beach', 'a red ball', 'two cats', 'a house', 'sky', 'grass'];
    const progress: number[] = [];
    const items = await new HostedEmbeddings(cacheDir).embedTexts(model, texts, { apiKey: KEY, onProgress: (done) => progress.push(done) });
    assert.deepEqual(items.map(vectorOf), texts.map(fakeEmbedding), 'each text its own vector, in input order (the server answers in reverse)');
    assert.equal(server.requests.length, 2, 'six distinct texts in batches of three');
    assert.deepEqual(server.requests[0].body, { model: 'nvidia/nv-embedqa-e5-v5', input: ['a red ball', 'a dog on a beach', 'two cats'], encoding_format: 'float', input_type: 'passage', truncate: 'END' });
    assert.deepEqual(server.requests.map((r) => r.url), ['/v1/embeddings', '/v1/embeddings']);
    assert.ok(server.requests.every((r) => r.headers.authorization === `Bearer ${KEY}`));
    assert.equal(progress.at(-1), texts.length);

    const again = await new HostedEmbeddings(cacheDir).embedTexts(model, [...texts].reverse(), { apiKey: KEY });
    assert.deepEqual(again.map(vectorOf), [...texts].reverse().map(fakeEmbedding));
    assert.equal(server.requests.length, 2, 'all from the cache on disk: no request');
    // another input_type makes other vectors: not the same cache
    await new HostedEmbeddings(cacheDir).embedTexts(nimEntry({ embedding: { inputType: 'query' } }), ['sky'], { apiKey: KEY });
    assert.equal(server.requests.length, 3);
  });

  it('an asymmetric NIM model without input_type fails its items with the server\'s reason; a server that needs no key gets no Authorization header', async () => {
    const noInputType = nimEntry({ embedding: {} });
    const items = await new HostedEmbeddings(await temp.make(), { retryPolicy: FAST_RETRIES }).embedTexts(noInputType, ['a', 'b'], { apiKey: KEY });
    assert.equal(server.requests.length, 1, 'a 400 is not retried');
    for (const item of items) assert.match(!item.ok ? item.error : '', /HTTP 400: 'input_type' parameter is required for asymmetric models/);

    await server.close();
    server = await startEmbeddingsServer();
    const local = entry({ preset: 'ollama', id: 'ollama/nomic', baseUrl: server.url, model: 'nomic-embed-text', embedding: {} });
    const [vector] = await new HostedEmbeddings(await temp.make()).embedTexts(local, ['a cat']);
    assert.deepEqual(vectorOf(vector), fakeEmbedding('a cat'));
    assert.equal(server.requests[0].headers.authorization, undefined);
    assert.deepEqual(server.requests[0].body, { model: 'nomic-embed-text', input: ['a cat'], encoding_format: 'float' });
  });

  it('a refused key ends the whole call with one error that names the fix and never the key; 429 and 500 are retried like the batch engine', async () => {
    const model = nimEntry();
    await assert.rejects(
      new HostedEmbeddings(await temp.make(), { retryPolicy: FAST_RETRIES }).embedTexts(model, ['a', 'b', 'c', 'd', 'e', 'f', 'g'], { apiKey: 'nvapi-wrong-key-000' }),
      (err: unknown) => err instanceof ProviderError && err.kind === 'auth' && /Set API Key/.test(err.message) && !err.message.includes('nvapi-wrong-key-000'),
    );
    assert.ok(server.requests.length <= 3, `stopped after the first refusal: ${server.requests.length} requests`);

    const before = server.requests.length;
    server.script.push({ status: 429, body: { status: 429, title: 'Too Many Requests' }, headers: { 'retry-after-ms': '30' } }, { status: 500, body: { error: { message: 'busy' } } }, { reset: true });
    const items = await new HostedEmbeddings(await temp.make(), { retryPolicy: FAST_RETRIES }).embedTexts(model, ['x', 'y'], { apiKey: KEY });
    assert.deepEqual(items.map(vectorOf), ['x', 'y'].map(fakeEmbedding));
    assert.equal(server.requests.length - before, 4, '429, 500, a reset connection, then the answer');
  });

  it('a reply of the wrong shape is a clear bad-response, and cancelling stops before anything is sent', async () => {
    const model = nimEntry();
    server.script.push({ status: 200, body: { data: [{ index: 0, embedding: [1, 2] }] } });
    const [a, b] = await new HostedEmbeddings(await temp.make(), { retryPolicy: { ...FAST_RETRIES, maxAttempts: 1 } }).embedTexts(model, ['one', 'two'], { apiKey: KEY });
    for (const item of [a, b]) assert.match(!item.ok ? item.error : '', /answered with 1 embeddings for 2 inputs/);
    const controller = new AbortController();
    controller.abort();
    const sent = server.requests.length;
    await assert.rejects(new HostedEmbeddings(await temp.make()).embedTexts(model, ['p', 'q'], { apiKey: KEY, signal: controller.signal }), BatchCancelledError);
    assert.equal(server.requests.length, sent);
  });

  it('images go as JPEG data URLs no larger than the entry allows; a corrupt one fails alone; a text-only model refuses images', async () => {
    const dir = await temp.make();
    const red = path.join(dir, 'red.png');
    await sharp({ create: { width: 300, height: 200, channels: 3, background: '#d01010' } }).png().toFile(red);
    const corrupt = path.join(dir, 'corrupt.jpg');
    fs.writeFileSync(corrupt, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 7, 7]));
    const clip = entry({ id: 'my/nvclip', preset: 'nvidia-nim', baseUrl: server.url, model: 'nvidia/nvclip', maxImageSide: 64, embedding: { images: true } });
    const boundary = DatasetBoundary.atSync(dir);
    const items = await new HostedEmbeddings(await temp.make()).embedImages(clip, [red, corrupt], boundary, { apiKey: KEY });
    assert.equal(items[0].ok, true);
    assert.match(!items[1].ok ? items[1].error : '', /corrupt\.jpg is not a readable image/);
    const [input] = server.requests[0].body.input as string[];
    assert.equal(server.requests[0].body.input.length, 1, 'the corrupt image never went out');
    assert.match(input, /^data:image\/jpeg;base64,/);
    const meta = await sharp(Buffer.from(input.split(',')[1], 'base64')).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 64, 43]);
    assert.equal(server.requests[0].body.input_type, undefined);
    await assert.rejects(new HostedEmbeddings(await temp.make()).embedImages(nimEntry(), [red], boundary), /embeds texts only/);
  });
});

describe('embedding models in the catalogue', () => {
  it('built-in NIM retrievers send input_type passage; settings entries are checked; keys stay with their own hosts', () => {
    const { models } = resolveCatalog(catalog);
    const qa = models.find((m) => m.id === 'nim/nv-embedqa-e5-v5')!;
    assert.deepEqual(qa.embedding, { inputType: 'passage', truncate: 'END' });
    assert.equal(qa.baseUrl, 'https://integrate.api.nvidia.com/v1');
    assert.equal(models.find((m) => m.id === 'nim/nvclip')!.embedding?.images, true);
    const wrong = (input: ModelEntryInput): string[] => resolveCatalog(catalog, [{ origin: { scope: 'user' }, value: [input] }]).problems.map((p) => p.field ?? '');
    assert.deepEqual(wrong({ id: 'x', preset: 'huggingface', model: 'm', embedding: {} }), ['embedding']);
    assert.deepEqual(wrong({ id: 'x', preset: 'nvidia-nim', model: 'm', embedding: { inputType: 'document' as 'query' } }), ['embedding.inputType']);
    assert.deepEqual(wrong({ id: 'x', preset: 'nvidia-nim', model: 'm', embedding: { truncate: 'MIDDLE' as 'END' } }), ['embedding.truncate']);
    assert.deepEqual(wrong({ id: 'x', preset: 'nvidia-nim', model: 'm', embedding: { batchSize: 0 } }), ['embedding.batchSize']);
    // the NVIDIA key goes to NVIDIA's host; an embedding entry elsewhere needs the user's approval
    const own = ownOrigins(models);
    assert.deepEqual(keyVerdict(qa, own, () => false), { kind: 'allowed' });
    const elsewhere = resolveCatalog(catalog, [{ origin: { scope: 'user' }, value: [{ id: 'x', preset: 'nvidia-nim', baseUrl: 'https://embed.example.com/v1', model: 'm', embedding: {} }] }]).models.find((m) => m.id === 'x')!;
    assert.deepEqual(keyVerdict(elsewhere, own, () => false), { kind: 'needs-approval', origins: ['https://embed.example.com'] });
  });
});
