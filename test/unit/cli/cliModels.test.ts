import { strict as assert } from 'node:assert';
import { resolveKey, resolveModel } from '../../../src/cli/cliModels';
import { settingsFromMap } from '../../../src/core/settings/settingsSource';

describe('CLI models and keys', () => {
  const env = { NVIDIA_API_KEY: 'nvapi-env-key', MY_KEY: 'sk-mine' };
  const config = settingsFromMap({
    models: [
      { id: 'cfg/plain', preset: 'vllm', baseUrl: 'http://10.0.0.5:8000/v1', model: 'm' },
      { id: 'cfg/other-host', preset: 'nvidia-nim', baseUrl: 'https://example.org/v1', model: 'm' },
    ],
  });

  it('a catalogue model gets its own service key from the environment', () => {
    assert.equal(resolveKey(resolveModel({ model: 'nim/llama-3.2-11b-vision' }, config), env), 'nvapi-env-key');
  });

  it("a --config entry pointing a service's key elsewhere is refused unless --key-env names one", () => {
    const model = resolveModel({ model: 'cfg/other-host' }, config);
    assert.throws(() => resolveKey(model, env), /would send the nvidia key to https:\/\/example\.org, which is not that key's service: pass --key-env NAME/);
    assert.equal(resolveKey(model, env, 'MY_KEY'), 'sk-mine');
  });

  it('plain http to another machine gets a key only when the user typed that server with --base-url', () => {
    assert.throws(() => resolveKey(resolveModel({ model: 'cfg/plain' }, config), env, 'MY_KEY'), /never sent over plain http .*named by --config/);
    assert.equal(resolveKey(resolveModel({ model: 'm', baseUrl: 'http://10.0.0.5:8000/v1' }, config), env, 'MY_KEY', true), 'sk-mine');
    assert.equal(resolveKey(resolveModel({ model: 'm', baseUrl: 'http://10.0.0.5:8000/v1' }, config), env), undefined, 'no key unless asked for');
  });

  it('unknown models and bad URLs name the fix', () => {
    assert.throws(() => resolveModel({ model: 'nope' }, config), /unknown model "nope": see "image-captioner models list"/);
    assert.throws(() => resolveModel({ model: 'm', baseUrl: 'ftp://x' }, config), /expected an http:\/\/ or https:\/\/ URL/);
    assert.throws(() => resolveModel({}, config), /missing --model ID/);
  });
});
