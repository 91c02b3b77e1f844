import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isLoopback, KeyDestination, keyDestinations, keyVerdict, ownOrigins } from '../../../src/providers/keyDestinations';
import { Catalog, ModelEntryInput, resolveCatalog } from '../../../src/providers/modelCatalog';
import type { ModelEntry } from '../../../src/providers/types';

// out/test/unit/providers -> repository root
const catalog = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../models/catalog.json'), 'utf8')) as Catalog;
const builtIn = resolveCatalog(catalog).models;
const own = ownOrigins(builtIn);

/** A user's entry as resolved against the real catalogue. */
function userModel(entry: ModelEntryInput): ModelEntry {
  const { models, problems } = resolveCatalog(catalog, [{ origin: { scope: 'user' }, value: [{ id: 'user/model', model: 'm', ...entry }] }]);
  assert.deepEqual(problems, []);
  return models.find((m) => m.id === 'user/model')!;
}

const nothingApproved = (): boolean => false;

describe('which origin may receive which key', () => {
  it('the built-in catalogue defines each key\'s own origins', () => {
    assert.deepEqual([...own.keys()].sort(), ['huggingface', 'nvidia', 'openai']);
    assert.deepEqual([...own.get('nvidia')!].sort(), ['https://ai.api.nvidia.com', 'https://api.nvcf.nvidia.com', 'https://integrate.api.nvidia.com']);
    assert.deepEqual([...own.get('openai')!], ['https://api.openai.com']);
    assert.deepEqual([...own.get('huggingface')!].sort(), ['https://huggingface.co', 'https://router.huggingface.co']);
  });

  it('every built-in model may send its own key without asking', () => {
    for (const model of builtIn) {
      const verdict = keyVerdict(model, own, nothingApproved);
      assert.equal(verdict.kind, model.key === 'none' ? 'no-key' : 'allowed', model.id);
    }
  });

  it('a user entry on the service\'s own host inherits the key without asking', () => {
    const sameHost = userModel({ preset: 'nvidia-nim', model: 'meta/llama-4-maverick-17b-128e-instruct' });
    assert.deepEqual(keyVerdict(sameHost, own, nothingApproved), { kind: 'allowed' });
    const otherRoute = userModel({ preset: 'nvidia-nim-legacy', baseUrl: 'https://ai.api.nvidia.com/v1/vlm/google/paligemma' });
    assert.deepEqual(keyVerdict(otherRoute, own, nothingApproved), { kind: 'allowed' });
  });

  it('a preset entry pointed at another host needs the user\'s approval of exactly that (key, origin)', () => {
    const evil = userModel({ preset: 'nvidia-nim', baseUrl: 'https://Evil.Example:443/v1' });
    assert.equal(evil.key, 'nvidia', 'the key is inherited from the preset');
    assert.deepEqual(keyVerdict(evil, own, nothingApproved), { kind: 'needs-approval', origins: ['https://evil.example'] });
    const approved: KeyDestination[] = [{ key: 'nvidia', origin: 'https://evil.example' }];
    const isApproved = (p: KeyDestination): boolean => approved.some((a) => a.key === p.key && a.origin === p.origin);
    assert.deepEqual(keyVerdict(evil, own, isApproved), { kind: 'allowed' });
    const otherPort = userModel({ preset: 'nvidia-nim', baseUrl: 'https://evil.example:8443/v1' });
    assert.equal(keyVerdict(otherPort, own, isApproved).kind, 'needs-approval', 'another port is another origin');
    const otherKey = userModel({ preset: 'openai', baseUrl: 'https://evil.example/v1' });
    assert.equal(keyVerdict(otherKey, own, isApproved).kind, 'needs-approval', 'approval for one key is not approval for another');
    const lookalike = userModel({ preset: 'nvidia-nim', baseUrl: 'https://integrate.api.nvidia.com.evil.example/v1' });
    assert.equal(keyVerdict(lookalike, own, nothingApproved).kind, 'needs-approval');
  });

  it('a key of the user\'s own naming belongs to no host until approved', () => {
    const box = userModel({ provider: 'openai-compatible', baseUrl: 'https://gpu-box.lan:8000/v1', key: 'gpu-box' });
    assert.deepEqual(keyVerdict(box, own, nothingApproved), { kind: 'needs-approval', origins: ['https://gpu-box.lan:8000'] });
  });

  it('a Hugging Face entry with its own endpoint needs approval; without one it uses the hub and router', () => {
    const endpoint = userModel({ preset: 'huggingface', baseUrl: 'https://xyz.endpoints.huggingface.cloud/v1' });
    assert.deepEqual(keyVerdict(endpoint, own, nothingApproved), { kind: 'needs-approval', origins: ['https://xyz.endpoints.huggingface.cloud'] });
    assert.deepEqual(keyDestinations(userModel({ preset: 'huggingface' })).sort(), ['https://huggingface.co', 'https://router.huggingface.co']);
  });

  it('a legacy NIM route elsewhere sends the key to its route and to the NVCF host (assets and status polls alike)', () => {
    const route = userModel({ preset: 'nvidia-nim-legacy', baseUrl: 'https://my-proxy.example/v1/vlm/x', key: 'proxy' });
    assert.deepEqual(keyDestinations(route), ['https://my-proxy.example', 'https://api.nvcf.nvidia.com']);
    assert.deepEqual(keyVerdict(route, own, nothingApproved), { kind: 'needs-approval', origins: ['https://my-proxy.example', 'https://api.nvcf.nvidia.com'] });
    // a 202 from the route is polled at the NVCF host with the key, whether or not images go as assets
    assert.deepEqual(keyDestinations({ ...route, useAssets: false }), ['https://my-proxy.example', 'https://api.nvcf.nvidia.com']);
  });

  it('a legacy NIM entry\'s own NVCF host is a destination of its key: approved like any other, refused over plain http to another machine', () => {
    const proxied = userModel({ preset: 'nvidia-nim-legacy', baseUrl: 'https://ai.api.nvidia.com/v1/vlm/x', nvcfBaseUrl: 'https://NVCF.Proxy.Example/' });
    assert.equal(proxied.nvcfBaseUrl, 'https://NVCF.Proxy.Example', 'kept as written, trailing slash trimmed');
    assert.deepEqual(keyDestinations(proxied), ['https://ai.api.nvidia.com', 'https://nvcf.proxy.example']);
    assert.deepEqual(keyVerdict(proxied, own, nothingApproved), { kind: 'needs-approval', origins: ['https://nvcf.proxy.example'] });
    assert.deepEqual(keyVerdict(proxied, own, (p) => p.key === 'nvidia' && p.origin === 'https://nvcf.proxy.example'), { kind: 'allowed' });
    const plain = userModel({ preset: 'nvidia-nim-legacy', baseUrl: 'https://ai.api.nvidia.com/v1/vlm/x', nvcfBaseUrl: 'http://10.0.0.5:8080' });
    assert.deepEqual(keyVerdict(plain, own, () => true), { kind: 'refused', origin: 'http://10.0.0.5:8080' });
    const local = userModel({ preset: 'nvidia-nim-legacy', baseUrl: 'http://127.0.0.1:9000/v1/vlm/x', nvcfBaseUrl: 'http://127.0.0.1:9001', key: 'none' });
    assert.deepEqual(keyVerdict(local, own, nothingApproved), { kind: 'no-key' });
  });

  it('refuses a key over plain http to another machine, approved or not', () => {
    const lan = userModel({ provider: 'openai-compatible', baseUrl: 'http://gpu-box:8000/v1', key: 'gpu-box' });
    assert.deepEqual(keyVerdict(lan, own, () => true), { kind: 'refused', origin: 'http://gpu-box:8000' });
    const downgraded = userModel({ preset: 'nvidia-nim', baseUrl: 'http://integrate.api.nvidia.com/v1' });
    assert.deepEqual(keyVerdict(downgraded, own, () => true), { kind: 'refused', origin: 'http://integrate.api.nvidia.com' });
  });

  it('plain http on this machine is not refused (it still needs approval for a key), and needs nothing without one', () => {
    for (const url of ['http://localhost:8000/v1', 'http://127.0.0.1:9/v1', 'http://127.1:9/v1', 'http://0x7f.1/v1', 'http://[::1]:8080/v1']) {
      assert.ok(isLoopback(new URL(url).origin), url);
      assert.equal(keyVerdict(userModel({ provider: 'openai-compatible', baseUrl: url, key: 'local' }), own, nothingApproved).kind, 'needs-approval', url);
      assert.equal(keyVerdict(userModel({ provider: 'openai-compatible', baseUrl: url, key: 'none' }), own, nothingApproved).kind, 'no-key', url);
    }
    for (const url of ['http://localhost.evil.example', 'http://128.0.0.1', 'http://[::ffff:7f00:1]', 'http://10.0.0.5']) assert.ok(!isLoopback(url), url);
    assert.deepEqual(keyVerdict(userModel({ preset: 'ollama', model: 'llava' }), own, nothingApproved), { kind: 'no-key' }, 'local servers without a key are unaffected');
  });
});
