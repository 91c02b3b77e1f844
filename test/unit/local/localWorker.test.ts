import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import sharp from 'sharp';
import * as path from 'node:path';
import { LocalWorkerError } from '../../../src/providers/local/workerClient';
import { decodeEmbeddings, Requests, type ModelRef, type Progress } from '../../../src/worker/protocol';
import { pngClaiming } from '../../fixtures/images/bombImages';
import { TEXT_EMBEDDING_SIZE } from '../../fixtures/localModels/tinyModels';
import { makeHarness, WORKER_PATH, type Harness } from './workerHarness';

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, value, i) => sum + value * b[i], 0);
const norm = (a: Float32Array) => Math.sqrt(cosine(a, a));

describe('local model worker (real process, transformers.js + onnxruntime-node, tiny models)', function () {
  this.timeout(60_000);
  let h: Harness;
  let captioner: ModelRef;

  before(async () => {
    assert.ok(fs.existsSync(WORKER_PATH), `build first: ${WORKER_PATH} is missing`);
    h = await makeHarness();
    captioner = { id: h.models.captioner, task: 'image-to-text' };
  });
  after(async () => h.dispose());

  it('captions images by path and by bytes, in one batch, and a corrupt image fails alone', async () => {
    const client = h.client();
    const reply = await client.request(Requests.caption, {
      model: captioner,
      images: [{ path: h.images.red }, { base64: fs.readFileSync(h.images.green).toString('base64'), name: 'green photo.jpg' }, { path: h.images.corrupt }, { path: h.images.blue }],
      maxNewTokens: 10,
    });
    assert.equal(reply.device, 'cpu');
    assert.deepEqual(reply.items[0], { ok: true, value: 'a red ball' });
    assert.deepEqual(reply.items[1], { ok: true, value: 'a green ball' });
    assert.equal(reply.items[2].ok, false);
    assert.match(!reply.items[2].ok ? reply.items[2].error : '', /corrupt\.jpg could not be read as an image/);
    assert.deepEqual(reply.items[3], { ok: true, value: 'a blue ball' });
    const info = await client.info();
    assert.ok(info.backends.includes('cpu'));
    assert.notEqual(info.pid, process.pid, 'runs in a child process');
  });

  it('captions with a Florence-2 model (four sessions + Florence2Processor task prompts), streaming a single image', async () => {
    const client = h.client();
    const model: ModelRef = { id: h.models.florence, task: 'florence2' };
    for (const prompt of ['<CAPTION>', '<DETAILED_CAPTION>', '<MORE_DETAILED_CAPTION>']) {
      const items: string[] = [];
      const reply = await client.request(
        Requests.caption,
        { model, images: [{ path: h.images.red }, { path: h.images.blue }], prompt, maxNewTokens: 10 },
        { onProgress: (p: Progress) => p.kind === 'items' && items.push(`${p.done}/${p.total}`) },
      );
      assert.deepEqual(reply.items, [{ ok: true, value: 'a red ball' }, { ok: true, value: 'a blue ball' }], prompt);
      assert.deepEqual(items, ['1/2', '2/2'], 'items done, one image at a time');
    }
    const deltas: string[] = [];
    const streamed = await client.request(
      Requests.caption,
      { model, images: [{ path: h.images.green }], prompt: '<CAPTION>', maxNewTokens: 10, stream: true },
      { onProgress: (p: Progress) => p.kind === 'text' && deltas.push(p.delta) },
    );
    assert.deepEqual(streamed.items, [{ ok: true, value: 'a green ball' }]);
    assert.equal(deltas.join('').trim(), 'a green ball');
  });

  it('captions with a SmolVLM model (Idefics3 processor, chat template, image features merged at <image>), streaming only the answer', async () => {
    const client = h.client();
    const model: ModelRef = { id: h.models.smolvlm, task: 'smolvlm' };
    const reply = await client.request(Requests.caption, { model, images: [{ path: h.images.red }, { path: h.images.corrupt }, { path: h.images.blue }], prompt: 'Describe this image.', maxNewTokens: 10 });
    assert.deepEqual(reply.items[0], { ok: true, value: 'red ball' });
    assert.equal(reply.items[1].ok, false);
    assert.deepEqual(reply.items[2], { ok: true, value: 'blue ball' });
    const deltas: string[] = [];
    const streamed = await client.request(
      Requests.caption,
      { model, images: [{ path: h.images.green }], prompt: 'Describe this image.', maxNewTokens: 10, stream: true },
      { onProgress: (p: Progress) => p.kind === 'text' && deltas.push(p.delta) },
    );
    assert.deepEqual(streamed.items, [{ ok: true, value: 'green ball' }]);
    assert.equal(deltas.join('').trim(), 'green ball', 'the prompt is not streamed back');
  });

  it('streams text as progress for a single image', async () => {
    const client = h.client();
    const deltas: string[] = [];
    const reply = await client.request(
      Requests.caption,
      { model: captioner, images: [{ path: h.images.blue }], maxNewTokens: 10, stream: true },
      { onProgress: (p: Progress) => p.kind === 'text' && deltas.push(p.delta) },
    );
    assert.equal(reply.items[0].ok && reply.items[0].value, 'a blue ball');
    assert.ok(deltas.length >= 2, `several deltas: ${JSON.stringify(deltas)}`);
    assert.equal(deltas.join('').trim(), 'a blue ball');
  });

  it('embeds texts: right shape, normalized; two concurrent requests are both answered', async () => {
    const client = h.client();
    const model: ModelRef = { id: h.models.textEmbedder, task: 'feature-extraction' };
    const [one, two] = await Promise.all([
      client.request(Requests.embedText, { model, texts: ['a red ball', 'a dog on the grass', 'sky'] }),
      client.request(Requests.embedText, { model, texts: ['a cat'] }),
    ]);
    assert.equal(one.dims, TEXT_EMBEDDING_SIZE);
    const [first, second] = [decodeEmbeddings(one), decodeEmbeddings(two)];
    assert.equal(first.length, 3);
    assert.equal(second.length, 1);
    assert.notDeepEqual(first[0], first[1], 'each text its own vector');
    for (const item of [...first, ...second]) {
      assert.ok(item.ok);
      const vector = item.value;
      assert.equal(vector.length, TEXT_EMBEDDING_SIZE);
      assert.ok(Math.abs(norm(vector) - 1) < 1e-4, `normalized: ${norm(vector)}`);
    }
    assert.equal(client.startCount, 1, 'one worker served both');
  });

  it('CLIP: image and text embeddings are normalized and a matching pair ranks above a mismatched one', async () => {
    const client = h.client();
    const model: ModelRef = { id: h.models.clip, task: 'clip' };
    const images = await client.request(Requests.embedImages, { model, images: [{ path: h.images.red }, { path: h.images.corrupt }, { path: h.images.blue }] });
    const texts = await client.request(Requests.embedText, { model, texts: ['a red ball', 'a blue ball'] });
    const imageItems = decodeEmbeddings(images);
    assert.equal(imageItems.length, 3);
    assert.equal(imageItems[1].ok, false);
    assert.match(!imageItems[1].ok ? imageItems[1].error : '', /corrupt\.jpg could not be read/);
    const vector = (item: (typeof imageItems)[number]) => (item.ok ? item.value : new Float32Array(0));
    const [red, blue] = [vector(imageItems[0]), vector(imageItems[2])];
    const [redText, blueText] = decodeEmbeddings(texts).map(vector);
    for (const v of [red, blue, redText, blueText]) assert.ok(Math.abs(norm(v) - 1) < 1e-4);
    const score = (a: Float32Array, b: Float32Array) => 100 * Math.max(0, cosine(a, b));
    assert.ok(score(red, redText) > 90, `red pair ${score(red, redText)}`);
    assert.ok(score(red, blueText) < 15, `mismatched ${score(red, blueText)}`);
    assert.ok(score(blue, blueText) > score(blue, redText));
  });

  it('image features (image-feature-extraction, a bare ViT): tokens mean-pooled and normalized per image, a corrupt image fails alone, text refused', async () => {
    const client = h.client();
    const model: ModelRef = { id: h.models.imageFeatures, task: 'image-feature-extraction' };
    const reply = await client.request(Requests.embedImages, { model, images: [{ path: h.images.red }, { path: h.images.corrupt }, { path: h.images.green }, { path: h.images.blue }] });
    const items = decodeEmbeddings(reply);
    assert.equal(reply.dims, 3);
    assert.equal(items[1].ok, false);
    assert.match(!items[1].ok ? items[1].error : '', /corrupt\.jpg could not be read/);
    const [red, green, blue] = [items[0], items[2], items[3]].map((item) => (item.ok ? item.value : new Float32Array(0)));
    for (const v of [red, green, blue]) assert.ok(Math.abs(norm(v) - 1) < 1e-4);
    // the mean colour normalised to -1..1: each image points along its own channel
    for (const [v, channel] of [[red, 0], [green, 1], [blue, 2]] as const) {
      assert.equal(v.indexOf(Math.max(...v)), channel, `${[...v]}`);
    }
    assert.ok(cosine(red, blue) < cosine(red, red) - 0.5);
    await assert.rejects(client.request(Requests.embedText, { model, texts: ['a red ball'] }), /does not embed text/);
  });

  it('refuses a decompression bomb (naming its size), an HTML page and a FIFO by path at once, and embeds a 24-megapixel image that still matches its colour', async function () {
    const client = h.client();
    const model: ModelRef = { id: h.models.clip, task: 'clip' };
    const bomb = path.join(h.root, 'bomb.png');
    fs.writeFileSync(bomb, pngClaiming(40_000, 40_000));
    const large = path.join(h.root, 'large red.png');
    await sharp({ create: { width: 6000, height: 4000, channels: 3, background: '#ff0000' } }).png({ compressionLevel: 1 }).toFile(large);
    const page = path.join(h.root, 'page.jpg');
    fs.writeFileSync(page, '<!DOCTYPE html><html><body>Access denied</body></html>');
    const images: Array<{ path: string }> = [{ path: bomb }, { path: large }, { path: page }];
    if (process.platform !== 'win32') {
      const fifo = path.join(h.root, 'pipe.jpg');
      execFileSync('mkfifo', [fifo]);
      images.push({ path: fifo });
    }
    const started = performance.now();
    const items = decodeEmbeddings(await client.request(Requests.embedImages, { model, images }));
    assert.ok(performance.now() - started < 20_000);
    assert.match(!items[0].ok ? items[0].error : '', /bomb\.png could not be read as an image: its header claims 40000x40000 pixels \(1,600 megapixels\), more than the 268 megapixels allowed/);
    assert.equal(items[1].ok, true, !items[1].ok ? items[1].error : '');
    assert.equal(items.length, images.length, 'one answer per image');
    assert.match(!items[2].ok ? items[2].error : '', /page\.jpg could not be read as an image: it is an HTML page/);
    if (images.length === 4) assert.match(!items[3].ok ? items[3].error : '', /pipe\.jpg could not be read as an image: .*named pipe/);
    const [redText] = decodeEmbeddings(await client.request(Requests.embedText, { model, texts: ['a red ball'] })).map((item) => (item.ok ? item.value : new Float32Array(0)));
    assert.ok(items[1].ok && 100 * cosine(items[1].value, redText) > 90, 'the downscaled image still matches its colour');
  });

  it('cancellation stops generation within a step, and the worker goes on serving', async () => {
    const client = h.client();
    const controller = new AbortController();
    let deltas = 0;
    const pending = client.request(
      Requests.caption,
      { model: { id: h.models.endlessCaptioner, task: 'image-to-text' }, images: [{ path: h.images.red }], maxNewTokens: 1_000_000, stream: true },
      { signal: controller.signal, onProgress: (p) => p.kind === 'text' && ++deltas === 5 && controller.abort() },
    );
    await assert.rejects(pending, (error: unknown) => error instanceof LocalWorkerError && error.kind === 'cancelled');
    const stopped = await waitForLog(h, /Generation cancelled: stopped (\d+) tokens after the cancellation arrived \((\d+) in all\)/);
    assert.ok(Number(stopped[1]) <= 1, stopped[0]);
    assert.ok(Number(stopped[2]) < 1000, stopped[0]);
    const again = await client.request(Requests.caption, { model: captioner, images: [{ path: h.images.green }], maxNewTokens: 10 });
    assert.equal(again.items[0].ok && again.items[0].value, 'a green ball');
    assert.equal(client.startCount, 1);
  });

  it('a killed worker fails its request clearly and the next request starts a fresh one', async () => {
    const client = h.client();
    let killed = false;
    const pending = client.request(
      Requests.caption,
      { model: { id: h.models.endlessCaptioner, task: 'image-to-text' }, images: [{ path: h.images.red }], maxNewTokens: 1_000_000, stream: true },
      {
        onProgress: () => {
          if (killed) return;
          killed = true;
          void client.pid().then((pid) => pid && process.kill(pid, 'SIGKILL'));
        },
      },
    );
    await assert.rejects(pending, (error: unknown) => {
      assert.ok(error instanceof LocalWorkerError);
      assert.equal(error.kind, 'crashed');
      assert.match(error.message, /was killed \(SIGKILL\).*starts again on the next request/);
      return true;
    });
    const reply = await client.request(Requests.caption, { model: captioner, images: [{ path: h.images.red }], maxNewTokens: 10 });
    assert.equal(reply.items[0].ok && reply.items[0].value, 'a red ball');
    assert.equal(client.startCount, 2);
  });

  it('a request past its time limit fails with a timeout', async () => {
    const client = h.client();
    const pending = client.request(
      Requests.caption,
      { model: { id: h.models.endlessCaptioner, task: 'image-to-text' }, images: [{ path: h.images.red }], maxNewTokens: 1_000_000 },
      { timeoutMs: 800 },
    );
    await assert.rejects(pending, (error: unknown) => error instanceof LocalWorkerError && error.kind === 'timeout' && /within 1 s/.test(error.message));
  });

  it('offline, a missing model fails with its name, the folders checked and how to provide it', async () => {
    const client = h.client({ localModelPath: path.join(h.root, 'local-models') });
    await assert.rejects(
      client.request(Requests.caption, { model: { id: 'onnx-community/not-here', task: 'image-to-text' }, images: [{ path: h.images.red }] }),
      (error: unknown) => {
        assert.ok(error instanceof LocalWorkerError);
        assert.equal(error.kind, 'model-missing');
        assert.match(error.message, /Model onnx-community\/not-here is not available on this machine/);
        assert.ok(error.message.includes(path.join(h.cacheDir, 'onnx-community/not-here')), error.message);
        assert.ok(error.message.includes(path.join(h.root, 'local-models', 'onnx-community/not-here')), error.message);
        assert.match(error.message, /Downloads are off/);
        return true;
      },
    );
  });

  it('loads a hub id from the cache and from the local models folder with downloads off; lists and deletes cached models', async () => {
    fs.cpSync(h.models.captioner, path.join(h.cacheDir, 'org', 'cached-captioner'), { recursive: true });
    const localFolder = path.join(h.root, 'local-models');
    fs.cpSync(h.models.captioner, path.join(localFolder, 'org', 'folder-captioner'), { recursive: true });
    const client = h.client({ localModelPath: localFolder });
    for (const id of ['org/cached-captioner', 'org/folder-captioner']) {
      const reply = await client.request(Requests.caption, { model: { id, task: 'image-to-text' }, images: [{ path: h.images.blue }], maxNewTokens: 10 });
      assert.equal(reply.items[0].ok && reply.items[0].value, 'a blue ball', id);
    }
    const listed = await client.request(Requests.listCachedModels, {});
    assert.deepEqual(listed.map((m) => m.id), ['org/cached-captioner']);
    const expectedBytes = fs.readdirSync(h.models.captioner, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .reduce((sum, e) => sum + fs.statSync(path.join(e.parentPath, e.name)).size, 0);
    assert.equal(listed[0].bytes, expectedBytes);
    assert.deepEqual(await client.request(Requests.deleteCachedModel, { id: 'org/cached-captioner' }), { deleted: true });
    assert.equal(fs.existsSync(path.join(h.cacheDir, 'org', 'cached-captioner')), false);
    await assert.rejects(client.request(Requests.deleteCachedModel, { id: '../outside' }), /not a model in the cache/);
  });

  it('an idle worker exits, and the next request starts it again', async () => {
    const client = h.client({ idleExitMs: 300 });
    await client.request(Requests.embedText, { model: { id: h.models.textEmbedder, task: 'feature-extraction' }, texts: ['a'] });
    const pid = await client.pid();
    assert.ok(pid);
    await waitFor(async () => (await client.pid()) === undefined, 5000);
    await waitFor(() => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true; // the process is gone
      }
    }, 5000);
    await client.request(Requests.embedText, { model: { id: h.models.textEmbedder, task: 'feature-extraction' }, texts: ['b'] });
    assert.equal(client.startCount, 2);
  });
});

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function waitForLog(h: Harness, pattern: RegExp): Promise<RegExpMatchArray> {
  let match: RegExpMatchArray | null = null;
  await waitFor(() => h.logs.some((line) => (match = line.match(pattern)) !== null), 10_000);
  return match!;
}
