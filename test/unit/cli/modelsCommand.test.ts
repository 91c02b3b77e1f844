import { strict as assert } from 'node:assert';
import { Writable } from 'node:stream';
import { EXIT } from '../../../src/cli/cliCommand';
import { runCli } from '../../../src/cli/main';
import { startOpenAiFakeServer, faults } from '../../fixtures/fakeServers/openAiFakeServer';

async function run(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (add: (s: string) => void): Writable => new Writable({ write: (chunk, _e, done) => (add(String(chunk)), done()) });
  const code = await runCli(args, { stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)), env, cwd: process.cwd(), signal: new AbortController().signal });
  return { code, stdout, stderr };
}

describe('image-captioner models', function () {
  this.timeout(30_000);

  it('list names each captioning model, the variables of its key and whether one is set (never the key)', async () => {
    const without = await run({}, 'models', 'list', '--json');
    assert.equal(without.code, EXIT.ok);
    const rows = JSON.parse(without.stdout) as Array<{ id: string; keyVariables: string[]; keySet?: boolean }>;
    const nim = rows.find((r) => r.id === 'nim/llama-3.2-11b-vision')!;
    assert.deepEqual(nim.keyVariables, ['NVIDIA_API_KEY', 'NGC_API_KEY']);
    assert.equal(nim.keySet, false);
    assert.ok(!rows.some((r) => r.id === 'nim/nv-embedqa-e5-v5'), 'embedding models are not captioning models');
    assert.equal(rows.find((r) => r.id === 'ollama/gemma3')!.keySet, undefined);
    const withKey = await run({ NVIDIA_API_KEY: 'nvapi-secret-value' }, 'models', 'list');
    assert.match(withKey.stdout, /nim\/llama-3\.2-11b-vision\s+openai-compatible\s+NVIDIA_API_KEY \/ NGC_API_KEY: set/);
    assert.doesNotMatch(withKey.stdout, /nvapi-secret-value/);
  });

  it('test prints the latency and the reply, or what is wrong', async () => {
    const server = await startOpenAiFakeServer({ replyText: () => 'a red circle' });
    try {
      const ok = await run({}, 'models', 'test', 'my-vlm', '--base-url', server.url);
      assert.equal(ok.code, EXIT.ok, ok.stderr);
      assert.match(ok.stdout, /^server\/my-vlm: answered in \d+ ms: a red circle\n$/);
      assert.equal(server.requests[0].body.model, 'my-vlm');
      server.setScript([faults.unauthorized()]);
      const rejected = await run({ K: 'sk-test-key-123' }, 'models', 'test', 'my-vlm', '--base-url', server.url, '--key-env', 'K');
      assert.equal(rejected.code, EXIT.error);
      assert.match(rejected.stderr, /rejected|401/i);
      assert.doesNotMatch(rejected.stderr, /sk-test-key-123/);
      assert.equal(server.requests[1].headers.authorization, 'Bearer sk-test-key-123');
    } finally {
      await server.close();
    }
    const noKey = await run({}, 'models', 'test', 'nim/llama-3.2-11b-vision');
    assert.equal(noKey.code, EXIT.error);
    assert.match(noKey.stderr, /needs an API key .*nothing was sent.* Set NVIDIA_API_KEY or NGC_API_KEY/);
  });
});
