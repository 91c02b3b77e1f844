import { strict as assert } from 'node:assert';
import { getEventListeners } from 'node:events';
import { LocalProvider, type LocalCaptionRunner } from '../../../src/providers/local/localProvider';
import { LocalWorkerError } from '../../../src/providers/local/workerClient';
import { ProviderError, type CaptionRequest, type ModelEntry } from '../../../src/providers/types';
import type { CaptionParams } from '../../../src/worker/protocol';

const model = (local: ModelEntry['local'], over: Partial<ModelEntry> = {}): ModelEntry => ({
  id: 'local/test',
  label: 'Test Local',
  provider: 'local',
  model: '/models/test',
  imageTransport: 'image_url',
  key: 'none',
  capabilities: { stream: true },
  defaults: {},
  local,
  ...over,
});

const request = (entry: ModelEntry, over: Partial<CaptionRequest> = {}): CaptionRequest => ({
  model: entry,
  image: { data: Buffer.from(`image-${Math.random()}`), mime: 'image/jpeg', width: 4, height: 3, sourceWidth: 8, sourceHeight: 6 },
  prompt: 'Describe.',
  params: { max_tokens: 40 },
  ...over,
});

/** A runner that records what reached the worker and answers with each image's bytes. */
function recordingRunner(answer?: (params: Omit<CaptionParams, 'ticket'>) => Promise<unknown>): { runner: LocalCaptionRunner; calls: Omit<CaptionParams, 'ticket'>[] } {
  const calls: Omit<CaptionParams, 'ticket'>[] = [];
  const runner: LocalCaptionRunner = async (params) => {
    calls.push(params);
    if (answer) await answer(params);
    return { device: 'cpu', items: params.images.map((image) => ({ ok: true as const, value: `caption of ${'base64' in image ? Buffer.from(image.base64, 'base64').toString() : ''}` })) };
  };
  return { runner, calls };
}

describe('LocalProvider', () => {
  it('gathers concurrent requests for an image-to-text model into batches of its batch size', async () => {
    const { runner, calls } = recordingRunner();
    const provider = new LocalProvider(runner);
    const entry = model({ task: 'image-to-text', batchSize: 3 });
    const requests = Array.from({ length: 7 }, () => request(entry));
    const results = await Promise.all(requests.map((r) => provider.caption(r)));
    assert.deepEqual(calls.map((c) => c.images.length), [3, 3, 1]);
    results.forEach((result, i) => assert.equal(result.text, `caption of ${requests[i].image.data.toString()}`, 'each answer goes to its own request'));
    assert.deepEqual(calls[0].model, { id: '/models/test', task: 'image-to-text', dtype: undefined });
    assert.equal(calls[0].maxNewTokens, 40);
  });

  it('sends a request at once when the worker is free and gathers the ones that arrive while it is busy', async () => {
    const gates: Array<() => void> = [];
    const { runner, calls } = recordingRunner(() => new Promise<void>((resolve) => gates.push(resolve)));
    const provider = new LocalProvider(runner);
    const entry = model({ task: 'image-to-text', batchSize: 4 });
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    const pending: Promise<unknown>[] = [provider.caption(request(entry))];
    await tick();
    pending.push(provider.caption(request(entry)));
    await tick();
    assert.deepEqual(calls.map((c) => c.images.length), [1, 1], 'two slots: each request left at once');
    for (let i = 0; i < 6; i++) {
      pending.push(provider.caption(request(entry)));
      await tick();
    }
    assert.equal(calls.length, 2, 'both slots busy: the next ones wait');
    gates.shift()!();
    await tick();
    await tick();
    assert.deepEqual(calls.map((c) => c.images.length), [1, 1, 4], 'a freed slot takes a full batch');
    gates.shift()!();
    await tick();
    await tick();
    assert.deepEqual(calls.map((c) => c.images.length), [1, 1, 4, 2]);
    while (gates.length) gates.shift()!();
    await Promise.all(pending);
  });

  it('sends Florence-2 the task token of the length preset, or one typed as the prompt', async () => {
    const { runner, calls } = recordingRunner();
    const provider = new LocalProvider(runner);
    const entry = model({ task: 'florence2' });
    await provider.caption(request(entry, { length: 'short' }));
    await provider.caption(request(entry, { length: 'long' }));
    await provider.caption(request(entry, { length: 'custom', prompt: ' <CAPTION> ' }));
    await provider.caption(request(entry, { length: 'custom', prompt: '<OD>' }));
    await provider.caption(request(entry, { length: 'custom', prompt: 'whatever' }));
    assert.deepEqual(calls.map((c) => c.prompt), ['<CAPTION>', '<DETAILED_CAPTION>', '<CAPTION>', '<MORE_DETAILED_CAPTION>', '<MORE_DETAILED_CAPTION>'], 'only caption tasks: <OD> answers boxes, not text');
  });

  it('streams text for a single request and passes SmolVLM the prompt', async () => {
    const deltas: string[] = [];
    const provider = new LocalProvider(async (params, options) => {
      options.onProgress?.({ ticket: 1, kind: 'text', delta: 'a ' });
      options.onProgress?.({ ticket: 1, kind: 'text', delta: 'cat' });
      return { device: 'cpu', items: [{ ok: true, value: `a cat (${params.prompt}, stream ${params.stream})` }] };
    });
    const result = await provider.caption(request(model({ task: 'smolvlm' }), { onText: (d) => deltas.push(d) }));
    assert.deepEqual(deltas, ['a ', 'cat']);
    assert.equal(result.text, 'a cat (Describe., stream true)');
  });

  it('turns worker failures into provider errors the batch engine understands', async () => {
    const cases: Array<[LocalWorkerError, string, boolean]> = [
      [new LocalWorkerError('model-missing', 'Model x is not available'), 'not-found', false],
      [new LocalWorkerError('crashed', 'The local model worker was killed'), 'server', true],
      [new LocalWorkerError('timeout', 'no answer'), 'timeout', true],
      [new LocalWorkerError('out-of-memory', 'too big'), 'bad-request', false],
      [new LocalWorkerError('cancelled', 'Cancelled'), 'cancelled', false],
    ];
    for (const [thrown, kind, retryable] of cases) {
      const provider = new LocalProvider(async () => Promise.reject(thrown));
      await assert.rejects(provider.caption(request(model({ task: 'image-to-text', batchSize: 1 }))), (error: unknown) => {
        assert.ok(error instanceof ProviderError);
        assert.equal(error.kind, kind);
        assert.equal(error.retryable, retryable);
        assert.match(error.message, new RegExp(`^Test Local: ${thrown.message}`));
        return true;
      });
    }
  });

  it('fails only the image the worker could not read', async () => {
    const provider = new LocalProvider(async (params) => ({
      device: 'cpu',
      items: params.images.map((_, i) => (i === 1 ? { ok: false as const, error: 'x.jpg could not be read as an image: bad' } : { ok: true as const, value: 'fine' })),
    }));
    const entry = model({ task: 'image-to-text', batchSize: 4 });
    const settled = await Promise.allSettled([provider.caption(request(entry)), provider.caption(request(entry)), provider.caption(request(entry))]);
    assert.deepEqual(settled.map((s) => s.status), ['fulfilled', 'rejected', 'fulfilled']);
    const reason = (settled[1] as PromiseRejectedResult).reason as ProviderError;
    assert.equal(reason.kind, 'bad-request');
    assert.match(reason.message, /x\.jpg could not be read/);
  });

  it('leaves no listener on the signal the requests share, nor on one of its own, and drops a queued request cancelled before it leaves', async () => {
    const gates: Array<() => void> = [];
    const { runner, calls } = recordingRunner(() => new Promise<void>((resolve) => gates.push(resolve)));
    const provider = new LocalProvider(runner);
    const entry = model({ task: 'image-to-text', batchSize: 4 });
    const shared = new AbortController();
    const own = new AbortController();
    const pending = Array.from({ length: 11 }, () => provider.caption(request(entry, { signal: shared.signal })));
    const cancelled = provider.caption(request(entry, { signal: own.signal }));
    cancelled.catch(() => undefined); // asserted below
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(calls.length, 2, 'two batches in flight');
    own.abort();
    while (gates.length) {
      gates.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(pending);
    await assert.rejects(cancelled, (error: unknown) => error instanceof ProviderError && error.kind === 'cancelled');
    assert.equal(calls.reduce((n, c) => n + c.images.length, 0), 11, 'the cancelled request never reached the worker');
    assert.equal(getEventListeners(shared.signal, 'abort').length, 0, 'every listener removed');
    assert.equal(getEventListeners(own.signal, 'abort').length, 0);
  });

  it('drops a request cancelled while it waited for its batch', async () => {
    const { runner, calls } = recordingRunner();
    const provider = new LocalProvider(runner);
    const entry = model({ task: 'image-to-text', batchSize: 4 });
    const controller = new AbortController();
    const kept = provider.caption(request(entry));
    const dropped = provider.caption(request(entry, { signal: controller.signal }));
    controller.abort();
    await assert.rejects(dropped, (error: unknown) => error instanceof ProviderError && error.kind === 'cancelled');
    await kept;
    assert.deepEqual(calls.map((c) => c.images.length), [1]);
  });
});
