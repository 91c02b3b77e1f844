import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Catalog, resolveCatalog } from '../../../src/providers/modelCatalog';

// out/test/unit/providers -> repository root
const catalog = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../models/catalog.json'), 'utf8')) as Catalog;

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
    assert.equal(nim.rateLimit?.rpm, 35);
    assert.equal(nim.maxInlineBase64, 180000);
    const kosmos = resolveCatalog(catalog).models.find((m) => m.id === 'nim/kosmos-2')!;
    assert.equal(kosmos.provider, 'nim-legacy');
    assert.equal(kosmos.imageTransport, 'inline-img');
    assert.equal(kosmos.model, undefined);
    assert.equal(kosmos.capabilities.grounding, true);
    assert.match(kosmos.note ?? '', /removed/);
  });

  it('lets a user add a model from a preset with no code: it inherits the service and overrides what differs', () => {
    const { models, problems } = resolveCatalog(catalog, [
      { preset: 'ollama', model: 'llava:13b', label: 'LLaVA 13B', defaults: { temperature: 0.5 } },
      { id: 'nim/llama-3.2-11b-vision', preset: 'nvidia-nim', model: 'meta/llama-3.2-11b-vision-instruct', rateLimit: { rpm: 10 } },
      { id: 'my/server', provider: 'openai-compatible', baseUrl: 'http://gpu-box:9000/v1/', model: 'qwen', key: 'mybox' },
    ]);
    assert.deepEqual(problems, []);
    const llava = models.find((m) => m.id === 'ollama/llava:13b')!;
    assert.equal(llava.baseUrl, 'http://localhost:11434/v1');
    assert.equal(llava.key, 'none');
    assert.equal(llava.label, 'LLaVA 13B');
    assert.deepEqual(llava.defaults, { max_tokens: 512, temperature: 0.5 });
    assert.equal(llava.rateLimit?.concurrency, 1);
    const overridden = models.filter((m) => m.id === 'nim/llama-3.2-11b-vision');
    assert.equal(overridden.length, 1);
    assert.equal(overridden[0].rateLimit?.rpm, 10);
    assert.equal(overridden[0].rateLimit?.concurrency, 4);
    const mine = models.find((m) => m.id === 'my/server')!;
    assert.equal(mine.baseUrl, 'http://gpu-box:9000/v1');
    assert.equal(mine.label, 'qwen (openai-compatible)');
  });

  it('skips a broken user entry with a message that says what to fix', () => {
    const { models, problems } = resolveCatalog(catalog, [
      { preset: 'nope', model: 'x' },
      { provider: 'openai-compatible', model: 'x' },
      { provider: 'openai-compatible', baseUrl: 'ftp://x', model: 'y' },
      { preset: 'ollama' },
      { provider: 'telepathy' as never, model: 'z' },
    ]);
    assert.equal(models.length, catalog.models.length);
    assert.match(problems[0], /imageCaptioner\.models\[0\]: unknown preset "nope" \(choose from nvidia-nim, /);
    assert.match(problems[1], /\[1\]: needs a "baseUrl"/);
    assert.match(problems[2], /"baseUrl" ftp:\/\/x is not an http\(s\) URL/);
    assert.match(problems[3], /needs an "id" or a "model"/);
    assert.match(problems[4], /"provider" must be one of/);
  });

  it('offers local models with no key and no URL, and checks a user local entry names its task', () => {
    const florence = resolveCatalog(catalog).models.find((m) => m.id === 'local/florence-2-base')!;
    assert.equal(florence.provider, 'local');
    assert.equal(florence.key, 'none');
    assert.equal(florence.baseUrl, undefined);
    assert.equal(florence.model, 'onnx-community/Florence-2-base-ft');
    assert.deepEqual(florence.local, { task: 'florence2', dtype: 'q8' });
    const { models, problems } = resolveCatalog(catalog, [
      { preset: 'local', model: '/models/mine', local: { task: 'image-to-text' } },
      { preset: 'local', model: 'org/no-task' },
      { preset: 'local', model: 'org/bad-dtype', local: { task: 'smolvlm', dtype: 'int3' as never } },
    ]);
    assert.equal(models.find((m) => m.id === 'local//models/mine')?.local?.task, 'image-to-text');
    assert.match(problems[0], /org\/no-task|imageCaptioner.models\[1\]/);
    assert.match(problems[0], /a local model needs "local": \{ "task": "image-to-text" \| "florence2" \| "smolvlm" \}/);
    assert.match(problems[1], /"local.dtype" must be one of fp32, fp16, q8, q4, q4f16/);
  });
});
