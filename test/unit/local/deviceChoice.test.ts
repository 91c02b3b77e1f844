import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chooseDevice, localModelsUnavailable, ONNXRUNTIME_VERSION, type DeviceFacts } from '../../../src/worker/deviceChoice';
import { Requests } from '../../../src/worker/protocol';
import { makeHarness, WORKER_PATH } from './workerHarness';

const linux = (cudaProviderInstalled: boolean): DeviceFacts => ({ platform: 'linux', arch: 'x64', cudaProviderInstalled, bindingFolder: '/ext/onnxruntime-node/bin/napi-v6/linux/x64' });

describe('local models: CPU or the CUDA execution provider', () => {
  it('runs on CUDA only on Linux x64 with the provider installed and the setting not "cpu"', () => {
    assert.equal(chooseDevice('auto', linux(true)).device, 'cuda');
    assert.equal(chooseDevice('cuda', linux(true)).device, 'cuda');
    assert.equal(chooseDevice('cpu', linux(true)).device, 'cpu', 'the setting wins over an installed provider');
    assert.equal(chooseDevice('auto', linux(false)).device, 'cpu', 'the default stays on the CPU without the provider');
    assert.equal(chooseDevice('cuda', linux(false)).device, 'cpu');
    for (const [platform, arch] of [['linux', 'arm64'], ['win32', 'x64'], ['darwin', 'arm64']]) {
      // a provider file on a platform onnxruntime-node has no CUDA build for is never tried
      assert.equal(chooseDevice('cuda', { platform, arch, cudaProviderInstalled: true }).device, 'cpu', `${platform}-${arch}`);
    }
  });

  it('says in the log which provider runs and, when CUDA was asked for in vain, how to enable it', () => {
    assert.deepEqual(chooseDevice('auto', linux(false)), {
      device: 'cpu',
      fellBack: false,
      reason: 'imageCaptioner.local.device is "auto" and no CUDA execution provider is installed: running on the CPU.',
    });
    const fellBack = chooseDevice('cuda', linux(false));
    assert.equal(fellBack.fellBack, true);
    assert.match(fellBack.reason, /libonnxruntime_providers_cuda\.so and libonnxruntime_providers_shared\.so of ONNX Runtime 1\.30\.0/);
    assert.match(fellBack.reason, /beside \/ext\/onnxruntime-node\/bin\/napi-v6\/linux\/x64, with CUDA 12 and cuDNN 9/);
    assert.match(chooseDevice('cuda', { platform: 'darwin', arch: 'arm64', cudaProviderInstalled: false }).reason, /Linux x64 only \(this is darwin-arm64\)/);
    assert.match(chooseDevice('cuda', linux(true)).reason, /running on CUDA\.$/);
  });

  it('local models are refused up front where onnxruntime-node has no build (Intel Macs), and only there', () => {
    const bin = path.join(path.dirname(require.resolve('onnxruntime-node/package.json')), 'bin/napi-v6');
    const shipped = fs.readdirSync(bin).flatMap((os) => fs.readdirSync(path.join(bin, os)).map((arch) => `${os}-${arch}`));
    for (const platform of [...shipped, 'darwin-x64', 'linux-ia32', 'freebsd-x64']) {
      const [os, arch] = platform.split('-');
      const refusal = localModelsUnavailable(os, arch);
      assert.equal(refusal === undefined, shipped.includes(platform), `${platform}: ${refusal}`);
    }
    // the how-to names the GPU build matching the installed onnxruntime-node: an upgrade must update both
    assert.equal(ONNXRUNTIME_VERSION, (JSON.parse(fs.readFileSync(require.resolve('onnxruntime-node/package.json'), 'utf8')) as { version: string }).version);
    assert.match(localModelsUnavailable('darwin', 'x64') ?? '', /^Local models cannot run on darwin-x64 \(Intel Macs\): onnxruntime-node 1\.30\.0 has no build for it\. Use a remote model/);
  });

  it('a real worker asked for CUDA without the provider captions on the CPU and logs why, once', async function () {
    this.timeout(60_000);
    assert.ok(fs.existsSync(WORKER_PATH), `build first: ${WORKER_PATH} is missing`);
    const h = await makeHarness();
    try {
      const client = h.client({ settings: () => ({ cacheDir: h.cacheDir, allowRemoteModels: false, device: 'cuda' }) });
      const captioner = { id: h.models.captioner, task: 'image-to-text' as const };
      const reply = await client.request(Requests.caption, { model: captioner, images: [{ path: h.images.red }], maxNewTokens: 10 });
      assert.equal(reply.device, 'cpu');
      assert.deepEqual(reply.items[0], { ok: true, value: 'a red ball' });
      await client.request(Requests.caption, { model: { ...captioner, dtype: 'fp32' }, images: [{ path: h.images.blue }], maxNewTokens: 10 });
      const lines = h.logs.filter((line) => line.includes('Execution provider:'));
      assert.equal(lines.length, 1, `one line per worker and setting: ${JSON.stringify(lines)}`);
      assert.match(lines[0], /Execution provider: CPU\. imageCaptioner\.local\.device is "cuda" but the CUDA execution provider of onnxruntime-node is not installed/);
      assert.ok(h.logs.some((line) => /Loaded .* on cpu in \d+ ms/.test(line)), 'each load names its device');
    } finally {
      await h.dispose();
    }
  });
});
