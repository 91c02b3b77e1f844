import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Catalog, ModelSettingsValue, problemText, resolveCatalog, withDamBaseUrl } from '../../../src/providers/modelCatalog';

// out/test/unit/providers -> repository root
const catalog = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../models/catalog.json'), 'utf8')) as Catalog;

/** Entries as written in the User settings. */
const user = (...entries: unknown[]): ModelSettingsValue[] => [{ origin: { scope: 'user' }, value: entries }];

describe('model catalog', () => {
  it('resolves every built-in model without a problem, with unique ids', () => {
    const { models, problems } = resolveCatalog(catalog);
    assert.deepEqual(problems, []);
    assert.equal(models.length, catalog.models.length);
    assert.equal(new Set(models.map((m) => m.id)).size, models.length);
  });

  it('gives NIM models the integrate endpoint, the NVIDIA key, the seed defaults and a client rate limit', () => {
    const nim = resolveCatalog(catalog).models.find((m) => m.id === 'nim/llama-3.2-11b-vision')!;
    assert.equal(nim.baseUrl, 'https://integrate.api.nvidia.com/v1');
    assert.equal(nim.model, 'meta/llama-3.2-11b-vision-instruct');
    assert.equal(nim.key, 'nvidia');
    assert.deepEqual(nim.defaults, { max_tokens: 1024, temperature: 0.2, top_p: 0.2 });
    assert.deepEqual(nim.presetRateLimit, { rpm: 35, concurrency: 4 }, "the preset's limits, kept apart");
    assert.equal(nim.rateLimit, undefined, 'the entry sets none of its own');
    assert.equal(nim.maxInlineBase64, 180000);
    const kosmos = resolveCatalog(catalog).models.find((m) => m.id === 'nim/kosmos-2')!;
    assert.equal(kosmos.provider, 'nim-legacy');
    assert.equal(kosmos.imageTransport, 'inline-img');
    assert.equal(kosmos.model, undefined);
    assert.equal(kosmos.capabilities.grounding, true);
    assert.match(kosmos.note ?? '', /removed/);
  });

  it('points the Describe Anything entry, and user entries on its preset, at imageCaptioner.dam.baseUrl; an entry with its own URL keeps it', () => {
    const settings: ModelSettingsValue[] = [{ origin: { scope: 'user' }, value: [{ id: 'my-dam', preset: 'dam' }, { id: 'far-dam', preset: 'dam', baseUrl: 'http://10.0.0.5:9000' }] }];
    const { models, problems } = resolveCatalog(withDamBaseUrl(catalog, 'http://gpu-box.local:8123/'.replace(/\/$/, '')), settings);
    assert.deepEqual(problems, []);
    const byId = (id: string) => models.find((m) => m.id === id)!;
    assert.equal(byId('dam/describe-anything').provider, 'dam');
    assert.equal(byId('dam/describe-anything').model, 'describe_anything_model');
    assert.equal(byId('dam/describe-anything').key, 'none');
    assert.equal(byId('dam/describe-anything').baseUrl, 'http://gpu-box.local:8123');
    assert.equal(byId('my-dam').baseUrl, 'http://gpu-box.local:8123');
    assert.equal(byId('far-dam').baseUrl, 'http://10.0.0.5:9000');
    assert.equal(resolveCatalog(catalog).models.find((m) => m.id === 'dam/describe-anything')!.baseUrl, 'http://127.0.0.1:8000');
  });

  it('lets a user add a model from a preset with no code: it inherits the service and overrides what differs', () => {
    const { models, problems } = resolveCatalog(catalog, user(
      { preset: 'ollama', model: 'llava:13b', label: 'LLaVA 13B', defaults: { temperature: 0.5 } },
      { id: 'nim/llama-3.2-11b-vision', preset: 'nvidia-nim', model: 'meta/llama-3.2-11b-vision-instruct', rateLimit: { rpm: 10 } },
      { id: 'my/server', provider: 'openai-compatible', baseUrl: 'http://gpu-box:9000/v1/', model: 'qwen', key: 'mybox' },
    ));
    assert.deepEqual(problems, []);
    const llava = models.find((m) => m.id === 'ollama/llava:13b')!;
    assert.equal(llava.baseUrl, 'http://localhost:11434/v1');
    assert.equal(llava.key, 'none');
    assert.equal(llava.label, 'LLaVA 13B');
    assert.deepEqual(llava.defaults, { max_tokens: 512, temperature: 0.5 });
    assert.equal(llava.presetRateLimit?.concurrency, 1);
    const overridden = models.filter((m) => m.id === 'nim/llama-3.2-11b-vision');
    assert.equal(overridden.length, 1);
    assert.deepEqual(overridden[0].rateLimit, { rpm: 10 });
    assert.equal(overridden[0].presetRateLimit?.concurrency, 4);
    const mine = models.find((m) => m.id === 'my/server')!;
    assert.equal(mine.baseUrl, 'http://gpu-box:9000/v1');
    assert.equal(mine.label, 'qwen (openai-compatible)');
  });

  it('skips a broken user entry with a message naming the entry, where it is written, the field and what to fix', () => {
    const { models, problems } = resolveCatalog(catalog, user(
      { preset: 'nope', model: 'x' },
      { provider: 'openai-compatible', model: 'x' },
      { provider: 'openai-compatible', baseUrl: 'ftp://x', model: 'y' },
      { preset: 'ollama' },
      { provider: 'telepathy', model: 'z' },
    ));
    assert.equal(models.length, catalog.models.length);
    const texts = problems.map(problemText);
    assert.equal(texts[0], 'Model entry "x" (imageCaptioner.models[0] in User settings) skipped: field "preset" is "nope", which is no preset (choose from nvidia-nim, nvidia-nim-legacy, huggingface, openai, ollama, lmstudio, llamacpp, vllm, dam, local)');
    assert.equal(texts[1], 'Model entry "x" (imageCaptioner.models[1] in User settings) skipped: field "baseUrl" is missing');
    assert.equal(texts[2], 'Model entry "y" (imageCaptioner.models[2] in User settings) skipped: field "baseUrl" is not an http(s) URL: ftp://x');
    assert.equal(texts[3], 'Model entry #4 (imageCaptioner.models[3] in User settings) skipped: field "id" is missing: give the entry an "id" or a "model"');
    assert.match(texts[4], /^Model entry "z" .* field "provider" must be one of openai-compatible, nim-legacy, huggingface, local/);
  });

  it('skips an entry whose field has the wrong type (settings.json only underlines it), naming the field', () => {
    const { models, problems } = resolveCatalog(catalog, user(
      { id: 'a', preset: 'ollama', model: 'm', label: { text: 'not a string' } },
      { id: 'b', preset: 'ollama', model: 7 },
      { id: 'c', preset: 'ollama', model: 'm', rateLimit: { concurrency: 0 } },
      { id: 'd', preset: 'ollama', model: 'm', defaults: { temperature: [0.2] } },
      { id: 'e', preset: 'ollama', model: 'm', capabilities: { stream: 'yes' } },
      { id: 'f', preset: 'local', model: 'm', local: { task: 'image-to-text', batchSize: 2.5 } },
      'just a string',
      { id: 'ok', preset: 'ollama', model: 'm', rateLimit: { rpm: 0.5, concurrency: 64 }, defaults: { stop: 'x', seed: 1, echo: false } },
    ));
    assert.deepEqual(models.filter((m) => /^(a|b|c|d|e|f|ok)$/.test(m.id)).map((m) => m.id), ['ok']);
    assert.deepEqual(problems.map((p) => [p.name, p.field]), [['a', 'label'], ['b', 'model'], ['c', 'rateLimit.concurrency'], ['d', 'defaults.temperature'], ['e', 'capabilities.stream'], ['f', 'local.batchSize'], [undefined, undefined]]);
    assert.match(problemText(problems[2]), /field "rateLimit\.concurrency" must be a whole number from 1 to 64$/);
    assert.equal(problemText(problems[6]), 'Model entry #7 (imageCaptioner.models[6] in User settings) skipped: it is not an object ({ "preset": …, "model": … })');
  });

  it('uses the entries of every settings scope; a more specific scope replaces the same id and says so', () => {
    const entry = (id: string, model: string) => ({ id, preset: 'ollama', model });
    const { models, origins, problems, replaced } = resolveCatalog(catalog, [
      { origin: { scope: 'user' }, value: [entry('mine/a', 'from-user'), entry('mine/b', 'from-user')] },
      { origin: { scope: 'machine' }, value: [entry('mine/b', 'from-machine'), entry('mine/c', 'from-machine')] },
      { origin: { scope: 'workspace' }, value: [entry('mine/c', 'from-workspace'), entry('ollama/gemma3', 'from-workspace')] },
      { origin: { scope: 'folder', folder: 'photos' }, value: [entry('mine/d', 'from-folder')] },
      { origin: { scope: 'folder', folder: 'empty' }, value: undefined },
    ]);
    assert.deepEqual(problems, []);
    const mine = models.filter((m) => m.id.startsWith('mine/'));
    assert.deepEqual(mine.map((m) => [m.id, m.model]), [['mine/a', 'from-user'], ['mine/b', 'from-machine'], ['mine/c', 'from-workspace'], ['mine/d', 'from-folder']]);
    assert.deepEqual([...origins].filter(([id]) => id.startsWith('mine/')), [
      ['mine/a', { scope: 'user' }], ['mine/b', { scope: 'machine' }], ['mine/c', { scope: 'workspace' }], ['mine/d', { scope: 'folder', folder: 'photos' }],
    ]);
    assert.equal(models.find((m) => m.id === 'ollama/gemma3')?.model, 'from-workspace', 'a built-in id replaced from settings');
    assert.deepEqual(origins.get('ollama/gemma3'), { scope: 'workspace' });
    assert.deepEqual(origins.get('openai/gpt-4o'), { scope: 'catalog' });
    assert.deepEqual(replaced, [
      { id: 'mine/b', origin: { scope: 'machine' }, replaced: { scope: 'user' } },
      { id: 'mine/c', origin: { scope: 'workspace' }, replaced: { scope: 'machine' } },
      { id: 'ollama/gemma3', origin: { scope: 'workspace' }, replaced: { scope: 'catalog' } },
    ]);
  });

  it('reports a settings value that is not a list, naming the scope, and still uses the other scopes', () => {
    const { models, problems } = resolveCatalog(catalog, [
      { origin: { scope: 'machine' }, value: { preset: 'ollama', model: 'not-in-a-list' } },
      { origin: { scope: 'folder', folder: 'photos' }, value: [{ id: 'mine/x', preset: 'ollama', model: 'm' }] },
    ]);
    assert.ok(models.some((m) => m.id === 'mine/x'));
    assert.deepEqual(problems.map(problemText), ['imageCaptioner.models in Remote machine settings skipped: it is not a list of model entries ([ { … }, … ]); none of it was used']);
    assert.equal(problemText({ ...problems[0], origin: { scope: 'folder', folder: 'photos' }, index: 0, name: 'mine/y', field: 'model', reason: 'is missing' }),
      'Model entry "mine/y" (imageCaptioner.models[0] in Folder settings of photos) skipped: field "model" is missing');
  });

  it('offers local models with no key and no URL, and checks a user local entry names its task', () => {
    const florence = resolveCatalog(catalog).models.find((m) => m.id === 'local/florence-2-base')!;
    assert.equal(florence.provider, 'local');
    assert.equal(florence.key, 'none');
    assert.equal(florence.baseUrl, undefined);
    assert.equal(florence.model, 'onnx-community/Florence-2-base-ft');
    assert.deepEqual(florence.local, { task: 'florence2', dtype: 'q8' });
    const { models, problems } = resolveCatalog(catalog, user(
      { preset: 'local', model: '/models/mine', local: { task: 'image-to-text' } },
      { preset: 'local', model: 'org/no-task' },
      { preset: 'local', model: 'org/bad-dtype', local: { task: 'smolvlm', dtype: 'int3' } },
    ));
    assert.equal(models.find((m) => m.id === 'local//models/mine')?.local?.task, 'image-to-text');
    assert.equal(problemText(problems[0]), 'Model entry "org/no-task" (imageCaptioner.models[1] in User settings) skipped: field "local.task" must be "image-to-text" | "florence2" | "smolvlm" | "wd-tagger" (a local model needs "local": { "task": … })');
    assert.match(problemText(problems[1]), /field "local.dtype" must be one of fp32, fp16, q8, q4, q4f16$/);
  });

  it('refuses a setting string too long to be a URL or a name at once, instead of backtracking over it', () => {
    const started = performance.now();
    const { models, problems } = resolveCatalog(catalog, user(
      { id: 'user/slashes', preset: 'ollama', model: 'm', baseUrl: `http://x/${'/'.repeat(200_000)}a` },
      { id: 'user/ok', preset: 'ollama', model: 'm', baseUrl: 'http://127.0.0.1:11434/v1///' },
    ));
    assert.ok(performance.now() - started < 200, `took ${performance.now() - started} ms`);
    assert.equal(models.some((m) => m.id === 'user/slashes'), false);
    assert.match(problems.map(problemText).join('\n'), /baseUrl.*at most 2048 characters/);
    assert.equal(models.find((m) => m.id === 'user/ok')?.baseUrl, 'http://127.0.0.1:11434/v1');
  });

  it('gives every legacy NIM route an NVCF host: NVIDIA\'s unless the entry names its own, which must be an http(s) URL', () => {
    const kosmos = resolveCatalog(catalog).models.find((m) => m.id === 'nim/kosmos-2')!;
    assert.equal(kosmos.nvcfBaseUrl, 'https://api.nvcf.nvidia.com');
    const { models, problems } = resolveCatalog(catalog, user(
      { id: 'my/legacy', preset: 'nvidia-nim-legacy', baseUrl: 'http://127.0.0.1:9000/v1/vlm/x', nvcfBaseUrl: 'http://127.0.0.1:9001/' },
      { id: 'my/bad-nvcf', preset: 'nvidia-nim-legacy', baseUrl: 'http://127.0.0.1:9000/v1/vlm/x', nvcfBaseUrl: 'api.nvcf.example' },
      { id: 'my/chat', preset: 'nvidia-nim', model: 'm', nvcfBaseUrl: 'https://unused.example' },
      { id: 'my/typed', preset: 'nvidia-nim-legacy', baseUrl: 'http://127.0.0.1:9000/v1/vlm/x', nvcfBaseUrl: 9001 },
    ));
    assert.equal(models.find((m) => m.id === 'my/legacy')?.nvcfBaseUrl, 'http://127.0.0.1:9001');
    assert.deepEqual(problems.map(problemText), [
      'Model entry "my/bad-nvcf" (imageCaptioner.models[1] in User settings) skipped: field "nvcfBaseUrl" is not an http(s) URL: api.nvcf.example',
      'Model entry "my/typed" (imageCaptioner.models[3] in User settings) skipped: field "nvcfBaseUrl" must be a string',
    ]);
    assert.equal(models.find((m) => m.id === 'my/chat')?.nvcfBaseUrl, undefined, 'only legacy routes talk to NVCF');
  });
});
