import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { EXIT } from '../../../src/cli/cliCommand';
import { writeTagger } from '../../fixtures/localModels/taggerModel';
import { cli, filesUnder } from './cliTestKit';

/** The tiny tagger's tags with the default options (see test/unit/local/taggerWorker.test.ts). */
const RED = 'red character, red theme, hat \\(object\\), solid color, simple background';
const BLUE = '^_^, blue theme, solid color, simple background';

describe('image-captioner tag', function () {
  this.timeout(120_000);
  let root: string;
  let dataset: string;
  let config: string;
  const read = (name: string): string => fs.readFileSync(path.join(dataset, name), 'utf8');
  const tag = (...flags: string[]) => cli(root, 'tag', 'ds', '--config', config, '--state-dir', path.join(root, 'state'), ...flags);

  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ic-cli-tag-'));
    dataset = path.join(root, 'ds');
    fs.mkdirSync(dataset);
    await sharp({ create: { width: 64, height: 48, channels: 3, background: '#e01010' } }).png().toFile(path.join(dataset, 'red.png'));
    await sharp({ create: { width: 30, height: 50, channels: 3, background: '#1010f0' } }).png().toFile(path.join(dataset, 'blue.png'));
    const model = await writeTagger(path.join(root, 'tiny-wd-tagger'));
    config = path.join(root, 'settings.json');
    fs.writeFileSync(config, JSON.stringify({
      'imageCaptioner.models': [{ id: 'test/tiny-tagger', preset: 'local', model, local: { task: 'wd-tagger' } }],
      'imageCaptioner.tagger.model': 'test/tiny-tagger',
      'imageCaptioner.local.allowDownloads': false,
    }));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('writes each image\'s tags through the local worker, and leaves no journal once done', async () => {
    const run = await tag();
    assert.equal(run.code, EXIT.ok, run.stderr);
    assert.equal(read('red.txt'), RED);
    assert.equal(read('blue.txt'), BLUE);
    assert.equal(filesUnder(path.join(root, 'state')).length, 0);
  });

  it('merges into existing captions by --mode, with the options of the flags', async () => {
    fs.writeFileSync(path.join(dataset, 'red.txt'), '1girl, Red Theme\n');
    fs.writeFileSync(path.join(dataset, 'blue.txt'), 'kept');
    const run = await tag('--mode', 'append', '--trigger-word', 'sks', '--exclude', 'solid_color,simple *', '--general-threshold', '0.5');
    assert.equal(run.code, EXIT.ok, run.stderr);
    assert.equal(read('red.txt'), '1girl, Red Theme, sks, red character, hat \\(object\\)\n');
    assert.equal(read('blue.txt'), 'kept, sks, ^_^, blue theme');
  });

  it('refuses a model that is no tagger and a threshold out of range, and caption refuses a tagger, writing nothing', async () => {
    const notTagger = await tag('--model', 'local/florence-2-base');
    assert.equal(notTagger.code, EXIT.error);
    assert.match(notTagger.stderr, /local\/florence-2-base is not a WD tagger/);
    const bad = await tag('--general-threshold', '2');
    assert.equal(bad.code, EXIT.usage);
    assert.match(bad.stderr, /--general-threshold 2: expected a number from 0 to 1/);
    const captionWithTagger = await cli(root, 'caption', 'ds', '--config', config, '--state-dir', path.join(root, 'state'), '--model', 'test/tiny-tagger');
    assert.equal(captionWithTagger.code, EXIT.error);
    assert.match(captionWithTagger.stderr, /test\/tiny-tagger is a WD tagger: tag with "image-captioner tag ds --model test\/tiny-tagger"/);
    assert.equal(fs.existsSync(path.join(dataset, 'red.txt')), false);
  });
});
