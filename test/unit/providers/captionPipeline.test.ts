import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { generateCaption } from '../../../src/providers/captionPipeline';
import { NimLegacyProvider } from '../../../src/providers/nimLegacyProvider';
import { OpenAiCompatibleProvider } from '../../../src/providers/openAiCompatibleProvider';
import { ModelEntry, ProviderError } from '../../../src/providers/types';
import { startOpenAiFakeServer, OpenAiFakeServer } from '../../fixtures/fakeServers/openAiFakeServer';
import { NimFakeServer, NIM_LEGACY_ROUTES } from '../../fixtures/fakeServers/nimFakeServer';

/** A noisy photo-like JPEG that cannot be made small by compression alone. */
async function noisyJpeg(file: string, width: number, height: number): Promise<void> {
  const pixels = Buffer.alloc(width * height * 3);
  let seed = 12345;
  for (let i = 0; i < pixels.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    pixels[i] = seed >> 23;
  }
  await sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 95 }).toFile(file);
}

const base = (over: Partial<ModelEntry>): ModelEntry => ({
  id: 'test/model',
  label: 'Test model',
  provider: 'openai-compatible',
  imageTransport: 'image_url',
  key: 'none',
  capabilities: { stream: false },
  defaults: { max_tokens: 1024, temperature: 0.2, top_p: 0.2 },
  ...over,
});

describe('caption pipeline: prepare, ask, clean', function () {
  this.timeout(30_000);
  let dir: string;
  let photo: string;
  let openai: OpenAiFakeServer;
  let nim: NimFakeServer;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-'));
    photo = path.join(dir, 'big photo.jpg');
    await noisyJpeg(photo, 3000, 2000);
    openai = await startOpenAiFakeServer({ replyText: () => 'Caption: "a field of colourful noise"' });
    nim = await NimFakeServer.start();
  });

  after(async () => {
    await openai.close();
    await nim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sends a NIM model the image under 180,000 base64 characters at most 1024 px, and cleans the answer', async () => {
    const model = base({ baseUrl: openai.url, model: 'meta/llama-3.2-11b-vision-instruct', maxImageSide: 1024, maxInlineBase64: 180_000 });
    const result = await generateCaption(photo, {
      model,
      provider: new OpenAiCompatibleProvider(),
      prompt: 'Describe.',
      params: { temperature: 0.5 },
      timeoutMs: 10_000,
      uploadAssets: true,
      cleanup: { prefix: 'sks' },
    });
    assert.equal(result.text, 'sks a field of colourful noise');
    assert.equal(result.raw, 'Caption: "a field of colourful noise"');
    const body = openai.requests.at(-1)!.body;
    assert.equal(body.temperature, 0.5, 'the user parameter wins');
    assert.equal(body.max_tokens, 1024, 'model defaults fill the rest');
    const url: string = body.messages.at(-1).content[0].image_url.url;
    const base64 = url.slice('data:image/jpeg;base64,'.length);
    assert.ok(base64.length <= 180_000, `${base64.length} characters inline`);
    const sent = await sharp(Buffer.from(base64, 'base64')).metadata();
    // Pure noise does not fit at 1024 px as it is: the compact encoder and lower qualities come first, then the size gives way.
    assert.deepEqual([sent.width, sent.height], [result.image.width, result.image.height]);
    assert.ok(Math.max(sent.width!, sent.height!) <= 1024 && result.image.quality! >= 70, `${sent.width}x${sent.height} at quality ${result.image.quality}`);
    assert.equal(result.image.sourceWidth, 3000);
  });

  it('uploads an image that cannot fit inline as an NVCF asset on legacy routes, and deletes it', async () => {
    const model = base({
      provider: 'nim-legacy',
      imageTransport: 'inline-img',
      baseUrl: `${nim.url}${NIM_LEGACY_ROUTES.kosmos2}`,
      maxImageSide: 1024,
      maxInlineBase64: 2_000,
      useAssets: true,
      nvcfBaseUrl: nim.url,
    });
    nim.script({ text: 'a noisy texture' });
    const result = await generateCaption(photo, {
      model,
      provider: new NimLegacyProvider(),
      prompt: 'Describe.',
      params: {},
      timeoutMs: 10_000,
      uploadAssets: true,
    });
    assert.equal(result.text, 'a noisy texture');
    assert.equal(nim.requests('POST', '/v2/nvcf/assets').length, 1);
    assert.equal(nim.requests('DELETE', '/v2/nvcf/assets/').length, 1);
    assert.equal(nim.assets.size, 0);
    const chat = nim.requests('POST', NIM_LEGACY_ROUTES.kosmos2).at(-1)!;
    assert.ok(!chat.body.toString().includes(';base64,'), 'nothing inline');
  });

  it('refuses, before sending, an image that cannot fit when asset upload is off', async () => {
    // at most 256 px: the refusal comes after every size down to 64 px was tried, and encoding the
    // 3000 px photo (mozjpeg, several qualities) took over 30 s on a loaded machine
    const model = base({ baseUrl: openai.url, model: 'm', maxImageSide: 256, maxInlineBase64: 200 });
    const before = openai.requests.length;
    await assert.rejects(
      generateCaption(photo, { model, provider: new OpenAiCompatibleProvider(), prompt: 'x', params: {}, timeoutMs: 5_000, uploadAssets: false }),
      (err: unknown) => err instanceof ProviderError && err.kind === 'bad-request' && /big photo\.jpg cannot be sent to Test model within its 200-character inline limit/.test(err.message),
    );
    assert.equal(openai.requests.length, before);
  });

  it('reports a corrupt image with its name and sends nothing', async () => {
    const broken = path.join(dir, 'broken.jpg');
    fs.writeFileSync(broken, Buffer.from('not a jpeg at all'));
    const before = openai.requests.length;
    await assert.rejects(
      generateCaption(broken, { model: base({ baseUrl: openai.url, model: 'm' }), provider: new OpenAiCompatibleProvider(), prompt: 'x', params: {}, timeoutMs: 5_000, uploadAssets: false }),
      /broken\.jpg is not a readable image/,
    );
    assert.equal(openai.requests.length, before);
  });

  it('treats an answer that is empty after clean-up as a bad response', async () => {
    openai.setScript([{ kind: 'ok', text: '<think>only reasoning</think>' }]);
    await assert.rejects(
      generateCaption(photo, { model: base({ baseUrl: openai.url, model: 'm' }), provider: new OpenAiCompatibleProvider(), prompt: 'x', params: {}, timeoutMs: 5_000, uploadAssets: false }),
      (err: unknown) => err instanceof ProviderError && err.kind === 'bad-response',
    );
    openai.setScript(undefined);
  });
});
