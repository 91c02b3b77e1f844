import * as assert from 'node:assert/strict';
import sharp from 'sharp';
import type { PreparedImage } from '../../../src/core/images/preparedImage';
import { HuggingFaceProvider } from '../../../src/providers/huggingFaceProvider';
import { OpenAiCompatibleProvider } from '../../../src/providers/openAiCompatibleProvider';
import { CaptionProvider, ImageTransport, ModelEntry } from '../../../src/providers/types';
import { OpenAiFakeServer, startOpenAiFakeServer } from '../../fixtures/fakeServers/openAiFakeServer';

async function jpeg(width: number, height: number): Promise<PreparedImage> {
  const data = await sharp({ create: { width, height, channels: 3, background: '#808080' } }).jpeg().toBuffer();
  return { data, mime: 'image/jpeg', width, height, sourceWidth: width, sourceHeight: height, quality: 80 };
}

/** Width x height of each image in a logged message's content, in order, and the text. */
async function sentParts(content: unknown): Promise<string[]> {
  if (typeof content === 'string') {
    const urls = [...content.matchAll(/<img src="data:image\/jpeg;base64,([^"]+)" \/>/g)].map((m) => m[1]);
    return Promise.all(urls.map(async (b64) => size(Buffer.from(b64, 'base64'))));
  }
  return Promise.all(
    (content as Array<{ type: string; text?: string; image_url?: string | { url: string } }>).map(async (part) => {
      if (part.type === 'text') return `text:${part.text}`;
      const url = typeof part.image_url === 'string' ? `bare:${part.image_url}` : part.image_url!.url;
      return `${url.startsWith('bare:') ? 'bare ' : ''}${await size(Buffer.from(url.split(',')[1], 'base64'))}`;
    }),
  );
}

async function size(data: Buffer): Promise<string> {
  const meta = await sharp(data).metadata();
  return `${meta.width}x${meta.height}`;
}

describe('requests with more than one image (focal prompting\'s crop)', () => {
  let server: OpenAiFakeServer;
  let outlined: PreparedImage;
  let crop: PreparedImage;

  before(async () => {
    outlined = await jpeg(40, 30);
    crop = await jpeg(12, 18);
  });
  beforeEach(async () => (server = await startOpenAiFakeServer()));
  afterEach(() => server.close());

  function model(provider: ModelEntry['provider'], imageTransport: ImageTransport): ModelEntry {
    return { id: 'x', label: 'Fake', provider, baseUrl: server.url, model: 'fake/vision', imageTransport, key: 'none', capabilities: { stream: false, images: 2 }, defaults: {} };
  }

  const cases: Array<[string, () => CaptionProvider, ModelEntry['provider'], ImageTransport, string[]]> = [
    ['OpenAI parts', () => new OpenAiCompatibleProvider(), 'openai-compatible', 'image_url', ['40x30', '12x18', 'text:Describe it.']],
    ['bare image_url strings', () => new OpenAiCompatibleProvider(), 'openai-compatible', 'image_url-string', ['bare 40x30', 'bare 12x18', 'text:Describe it.']],
    ['Hugging Face endpoint', () => new HuggingFaceProvider(), 'huggingface', 'image_url', ['40x30', '12x18', 'text:Describe it.']],
  ];
  for (const [name, make, provider, transport, expected] of cases) {
    it(`${name}: every image before the text, in order`, async () => {
      await make().caption({ model: model(provider, transport), image: outlined, extraImages: [crop], prompt: 'Describe it.', params: {} });
      assert.deepEqual(await sentParts(server.requests[0].body.messages.at(-1).content), expected);
    });
  }

  it('inline <img> tags: each image after the prompt', async () => {
    await new OpenAiCompatibleProvider().caption({ model: model('openai-compatible', 'inline-img'), image: outlined, extraImages: [crop], prompt: 'Describe it.', params: {} });
    const content: string = server.requests[0].body.messages.at(-1).content;
    assert.ok(content.startsWith('Describe it. <img src="data:image/jpeg;base64,'));
    assert.deepEqual(await sentParts(content), ['40x30', '12x18']);
  });
});
