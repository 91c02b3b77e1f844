import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import type { PreparedImage } from '../../../src/core/images/preparedImage';
import { generateCaption } from '../../../src/providers/captionPipeline';
import { HuggingFaceProvider } from '../../../src/providers/huggingFaceProvider';
import { redactSecrets, serverText } from '../../../src/providers/httpErrors';
import { NimLegacyProvider } from '../../../src/providers/nimLegacyProvider';
import { OpenAiCompatibleProvider } from '../../../src/providers/openAiCompatibleProvider';
import { CaptionRequest, ModelEntry, ProviderError } from '../../../src/providers/types';
import { EchoShape, KeyEchoServer, startKeyEchoServer } from '../../fixtures/fakeServers/keyEchoServer';

// No character of the filler ('=', '~', ' ') occurs in the key, so any run of 6 key characters in a message came from the key.
const KEY = 'nvapi-Zq8LxW3mTt0vKp5YhR2cNd7FgB4sJe9UaQ1';
const MIN_PIECE = 6;

/** Every piece of the key, `MIN_PIECE` characters or longer, that `text` contains. */
function keyPieces(text: string): string[] {
  const found: string[] = [];
  for (let start = 0; start + MIN_PIECE <= KEY.length; start++) {
    const piece = KEY.slice(start, start + MIN_PIECE);
    if (text.includes(piece)) found.push(piece);
  }
  return found;
}

/** Offsets that put the key across every cut these messages make (120, 200 and 300 characters of server text), and beyond. */
const OFFSETS = Array.from({ length: 340 }, (_, i) => i);

describe('a key a server echoes never reaches a message, whatever cut goes through it', function () {
  this.timeout(120_000);
  let server: KeyEchoServer;
  let image: PreparedImage;
  let dir: string;
  let photo: string;

  before(async () => {
    server = await startKeyEchoServer();
    const data = await sharp({ create: { width: 4, height: 3, channels: 3, background: { r: 10, g: 200, b: 90 } } }).jpeg().toBuffer();
    image = { data, mime: 'image/jpeg', width: 4, height: 3, sourceWidth: 4, sourceHeight: 3 };
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redaction-'));
    photo = path.join(dir, 'photo.jpg');
    fs.writeFileSync(photo, data);
  });
  after(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const model = (over: Partial<ModelEntry>): ModelEntry => ({
    id: 'test/echo',
    label: 'Echo',
    provider: 'openai-compatible',
    baseUrl: `${server.origin}/v1`,
    model: 'echo',
    imageTransport: 'image_url',
    key: 'nvidia',
    capabilities: { stream: false },
    defaults: {},
    ...over,
  });

  const request = (m: ModelEntry, streaming = false): CaptionRequest => ({
    model: m,
    image,
    prompt: 'Caption this.',
    params: {},
    apiKey: KEY,
    timeoutMs: 5000,
    onText: streaming ? () => undefined : undefined,
  });

  /** Runs `attempt` with the key at every offset; each must fail with a message holding no piece of the key. */
  async function sweep(shape: EchoShape, attempt: () => Promise<unknown>): Promise<void> {
    server.shape = shape;
    const messages = new Set<string>();
    for (const offset of OFFSETS) {
      server.offset = offset;
      const err = await attempt().then(
        () => assert.fail(`${shape} at offset ${offset}: the request should have failed`),
        (e: unknown) => e,
      );
      assert.ok(err instanceof ProviderError, `${shape} at ${offset}: ${String(err)}`);
      assert.deepEqual(keyPieces(`${err.message}\n${err.stack}`), [], `${shape} at offset ${offset}: ${err.message}`);
      messages.add(err.message);
    }
    // The server's own words do reach the message, so the sweep really passed the key through the cut.
    assert.ok([...messages].some((m) => m.includes('***')), `${shape}: the echoed key was redacted in place`);
    assert.ok([...messages].some((m) => m.includes('...')), `${shape}: some message was cut`);
  }

  const cases: Array<{ name: string; shape: EchoShape; run: () => Promise<unknown> }> = [
    { name: 'OpenAI-compatible, 500 error JSON', shape: 'error-json', run: () => new OpenAiCompatibleProvider().caption(request(model({}))) },
    { name: 'OpenAI-compatible, 401 problem JSON', shape: 'problem-json', run: () => new OpenAiCompatibleProvider().caption(request(model({}))) },
    { name: 'OpenAI-compatible, 502 plain text', shape: 'text', run: () => new OpenAiCompatibleProvider().caption(request(model({}))) },
    { name: 'OpenAI-compatible, error event mid-stream', shape: 'stream-error', run: () => new OpenAiCompatibleProvider().caption(request(model({ capabilities: { stream: true } }), true)) },
    { name: 'Hugging Face endpoint, 401 problem JSON', shape: 'problem-json', run: () => new HuggingFaceProvider().caption(request(model({ provider: 'huggingface', key: 'huggingface' }))) },
    { name: 'Hugging Face endpoint, 502 plain text', shape: 'text', run: () => new HuggingFaceProvider().caption(request(model({ provider: 'huggingface', key: 'huggingface' }))) },
    { name: 'NIM legacy route, a reply that is not JSON', shape: 'reply-not-json', run: () => new NimLegacyProvider().caption(request(model({ provider: 'nim-legacy', baseUrl: `${server.origin}/v1/vlm/x/y`, imageTransport: 'inline-img' }))) },
    { name: 'NIM legacy route, 401 problem JSON', shape: 'problem-json', run: () => new NimLegacyProvider().caption(request(model({ provider: 'nim-legacy', baseUrl: `${server.origin}/v1/vlm/x/y`, imageTransport: 'inline-img' }))) },
    {
      name: 'a reply with no caption after clean-up (its raw text is quoted)',
      shape: 'think-only',
      run: () => generateCaption(photo, { model: model({}), provider: new OpenAiCompatibleProvider(), apiKey: KEY, prompt: 'Caption this.', params: {}, timeoutMs: 5000, uploadAssets: false }),
    },
  ];

  for (const c of cases) it(`${c.name}: no 6 characters of the key at any offset`, () => sweep(c.shape, c.run));

  it('serverText redacts before it cuts, so a key across the cut leaves nothing behind', () => {
    for (let offset = 0; offset < 320; offset++) {
      const text = `${'='.repeat(offset)}${KEY}${'~'.repeat(50)}`;
      const out = serverText(text, [KEY]);
      assert.ok(out.length <= 300, `${out.length}`);
      assert.deepEqual(keyPieces(out), [], `offset ${offset}: ${out}`);
    }
    assert.equal(redactSecrets(`a ${KEY} b Bearer ${KEY}`, [KEY]), 'a *** b Bearer ***');
  });
});
