import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXIT } from '../../../src/cli/cliCommand';
import { freePort } from '../../fixtures/processes';
import type { OpenAiFakeServer } from '../../fixtures/fakeServers/openAiFakeServer';
import { cli, filesUnder } from './cliTestKit';
import { askedName, captionOf, expectedCaption, spawnCli, startNameServer, writeImages, writeNameConfig } from './captionTestKit';

describe('image-captioner caption', function () {
  this.timeout(120_000);
  let root: string;
  let server: OpenAiFakeServer | undefined;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ic-cli-caption-'));
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    fs.rmSync(root, { recursive: true, force: true });
  });

  const common = (config: string, state: string): string[] => ['--model', 'test-vlm', '--config', config, '--state-dir', state, '--base-url', server!.url];

  it('writes each caption with the prompt, suffix and clean-up the settings give, and a second run sends nothing', async () => {
    server = await startNameServer();
    const dataset = path.join(root, 'ds');
    const images = await writeImages(dataset, 6);
    const config = writeNameConfig(root);
    const run = await cli(root, 'caption', 'ds', ...common(config, path.join(root, 'state')));
    assert.equal(run.code, EXIT.ok, run.stderr);
    for (const image of images) assert.equal(captionOf(dataset, image.rel), expectedCaption(path.basename(image.rel)));
    assert.equal(server.requests.length, 6);
    const prompt = JSON.stringify(server.requests.find((r) => askedName(r) === 'img001.png')!.body);
    assert.match(prompt, /Describe img001\.png in a\./);
    assert.equal(server.requests[0].body.model, 'test-vlm');
    const again = await cli(root, 'caption', 'ds', ...common(config, path.join(root, 'state')));
    assert.equal(again.code, EXIT.ok, again.stderr);
    assert.equal(server.requests.length, 6, 'skip mode: images with a caption are not sent again');
    assert.equal(filesUnder(path.join(root, 'state')).length, 0, 'a finished job leaves no journal');
  });

  it('--target second writes each caption into the second caption file and leaves the caption files alone', async () => {
    server = await startNameServer();
    const dataset = path.join(root, 'ds');
    const images = await writeImages(dataset, 3);
    const first = path.join(dataset, images[0].rel.replace(/\.[^.]+$/, '.txt'));
    fs.writeFileSync(first, 'the prose caption stays');
    const config = writeNameConfig(root);
    const refused = await cli(root, 'caption', 'ds', ...common(config, path.join(root, 'state')), '--target', 'second');
    assert.equal(refused.code, EXIT.error);
    assert.match(refused.stderr, /--second-caption-extension/);
    assert.equal(server.requests.length, 0);
    const run = await cli(root, 'caption', 'ds', ...common(config, path.join(root, 'state')), '--target', 'second', '--second-caption-extension', '.tags.txt');
    assert.equal(run.code, EXIT.ok, run.stderr);
    assert.equal(server.requests.length, 3, 'a caption file is no reason to skip an image whose second caption is missing');
    for (const image of images) {
      const stem = path.join(dataset, image.rel.replace(/\.[^.]+$/, ''));
      assert.equal(fs.readFileSync(`${stem}.tags.txt`, 'utf8'), expectedCaption(path.basename(image.rel)));
    }
    assert.equal(fs.readFileSync(first, 'utf8'), 'the prose caption stays');
    assert.deepEqual(images.slice(1).map((image) => captionOf(dataset, image.rel)), [undefined, undefined]);
  });

  it('--dry-run sends nothing and writes nothing', async () => {
    server = await startNameServer();
    const dataset = path.join(root, 'ds');
    await writeImages(dataset, 4);
    const before = filesUnder(dataset);
    const run = await cli(root, 'caption', 'ds', ...common(writeNameConfig(root), path.join(root, 'state')), '--dry-run', '--json');
    assert.equal(run.code, EXIT.ok, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout.trim()), { event: 'dry-run', dataset: fs.realpathSync(dataset), shard: '0/1', model: 'server/test-vlm', mode: 'skip', images: 4, withCaption: 0, wouldSend: 4 });
    assert.equal(server.requests.length, 0);
    assert.deepEqual(filesUnder(dataset), before);
  });

  it('four shard processes at once caption every image exactly once', async () => {
    server = await startNameServer({ latencyMs: 20 });
    const dataset = path.join(root, 'ds');
    const images = await writeImages(dataset, 40);
    const config = writeNameConfig(root);
    const runs = [0, 1, 2, 3].map((i) => spawnCli(['caption', dataset, ...common(config, path.join(root, 'state')), '--shard', `${i}/4`, '--json']));
    const results = await Promise.all(runs.map((r) => r.done));
    for (const result of results) assert.equal(result.code, EXIT.ok, result.stderr);
    const asked = server.requests.map(askedName).sort();
    assert.deepEqual(asked, images.map((i) => path.basename(i.rel)).sort(), 'every image requested exactly once across the shards');
    for (const image of images) assert.equal(captionOf(dataset, image.rel), expectedCaption(path.basename(image.rel)));
    const written = results.map((r) => r.stdout.split('\n').filter((l) => l.includes('"outcome":"written"')).length);
    assert.equal(written.reduce((a, b) => a + b, 0), 40);
    assert.ok(written.every((n) => n > 0), `each shard wrote some: ${written}`);
  });

  it('killed with SIGKILL mid-run and resumed, it requests no image whose caption was written', async () => {
    server = await startNameServer({ latencyMs: 150 });
    const dataset = path.join(root, 'ds');
    const images = await writeImages(dataset, 24, 'old caption');
    const config = writeNameConfig(root);
    const args = ['caption', dataset, ...common(config, path.join(root, 'state')), '--mode', 'overwrite', '--concurrency', '2'];
    const first = spawnCli(args);
    const deadline = Date.now() + 60_000;
    while (images.filter((i) => captionOf(dataset, i.rel) !== 'old caption').length < 6) {
      assert.ok(Date.now() < deadline, 'the first run wrote 6 captions in time');
      await new Promise((r) => setTimeout(r, 20));
    }
    first.child.kill('SIGKILL');
    assert.equal((await first.done).signal, 'SIGKILL');
    const writtenBefore = new Set(images.filter((i) => captionOf(dataset, i.rel) !== 'old caption').map((i) => path.basename(i.rel)));
    const askedBefore = server.requests.length;

    const plain = await cli(root, ...args.slice(0, 1), 'ds', ...args.slice(2));
    assert.equal(plain.code, EXIT.error, 'without --resume an unfinished job is named, not silently redone');
    assert.match(plain.stderr, /unfinished job .* add --resume to finish it, or --restart/);
    assert.equal(plain.stderr.trim().split('\n').length, 1);

    const resumed = spawnCli([...args, '--resume']);
    const result = await resumed.done;
    assert.equal(result.code, EXIT.ok, result.stderr);
    const askedAgain = server.requests.slice(askedBefore).map(askedName);
    assert.deepEqual(askedAgain.filter((name) => writtenBefore.has(name)), [], 'nothing written before the kill was requested again');
    assert.equal(askedAgain.length, 24 - writtenBefore.size);
    for (const image of images) assert.equal(captionOf(dataset, image.rel), expectedCaption(path.basename(image.rel)));
  });

  describe('bad input: one line naming the fix, an exit code, nothing written', () => {
    async function expectRefusal(args: string[], code: number, pattern: RegExp, env?: NodeJS.ProcessEnv): Promise<void> {
      const dataset = path.join(root, 'ds');
      if (!fs.existsSync(dataset)) await writeImages(dataset, 3);
      const before = filesUnder(dataset).map((f) => [f, fs.readFileSync(path.join(dataset, f)).toString('base64')]);
      const run = env ? spawnCli(['caption', ...args], env) : undefined;
      const result = run ? await run.done : await cli(root, 'caption', ...args);
      assert.equal(result.code, code, result.stderr);
      assert.match(result.stderr, pattern);
      // the error is the last line and the only one that names a problem (progress lines may come before it)
      const lines = result.stderr.trim().split('\n');
      assert.match(lines[lines.length - 1], pattern);
      assert.equal(lines.filter((line) => /error|stopped after|unknown|missing|not set|does not exist|must be|cannot|line \d+:|needs/i.test(line)).length, 1, result.stderr);
      assert.deepEqual(filesUnder(dataset).map((f) => [f, fs.readFileSync(path.join(dataset, f)).toString('base64')]), before);
    }

    it('an unknown model', () => expectRefusal(['ds', '--model', 'no/such-model', '--state-dir', path.join(root, 's')], EXIT.error, /unknown model "no\/such-model": see "image-captioner models list"/));
    it('a missing key', () =>
      expectRefusal([path.join(root, 'ds'), '--model', 'nim/llama-3.2-11b-vision', '--state-dir', path.join(root, 's')], EXIT.error, /needs an API key: set NVIDIA_API_KEY or NGC_API_KEY/, { PATH: process.env.PATH }));
    it('a --key-env variable that is not set', () => expectRefusal(['ds', '--model', 'm', '--base-url', 'http://127.0.0.1:9/v1', '--key-env', 'MY_KEY'], EXIT.error, /--key-env MY_KEY: the environment variable MY_KEY is not set/));
    it('an unreachable server', async () => {
      const port = await freePort();
      await expectRefusal(['ds', '--model', 'm', '--base-url', `http://127.0.0.1:${port}/v1`, '--state-dir', path.join(root, 's')], EXIT.error, /stopped after \d+ failed requests in a row \(unreachable\)/);
    });
    it('a dataset that does not exist', () => expectRefusal(['missing', '--model', 'm', '--base-url', 'http://127.0.0.1:9/v1'], EXIT.error, /dataset folder .*missing does not exist/));
    it('--shard 5/4', () => expectRefusal(['ds', '--model', 'm', '--base-url', 'http://127.0.0.1:9/v1', '--shard', '5/4'], EXIT.usage, /--shard 5\/4: the index must be below the count \(0 to 3\)/));
    it('a broken --config file', async () => {
      fs.writeFileSync(path.join(root, 'bad.json'), '{\n "imageCaptioner.generation.length": \n}');
      await expectRefusal(['ds', '--model', 'm', '--base-url', 'http://127.0.0.1:9/v1', '--config', path.join(root, 'bad.json')], EXIT.error, /--config .*bad\.json, line 3: ValueExpected/);
    });
  });
});
