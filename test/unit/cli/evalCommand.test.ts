import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXIT } from '../../../src/cli/cliCommand';
import sharp from 'sharp';
import { readReport } from '../../../src/core/evaluation/reportFile';
import { startOpenAiFakeServer, type OpenAiFakeServer } from '../../fixtures/fakeServers/openAiFakeServer';
import { writeDataset } from '../export/exportTestKit';
import { writeTinyModels } from '../../fixtures/localModels/tinyModels';
import { cli, filesUnder } from './cliTestKit';

describe('image-captioner eval', function () {
  this.timeout(60_000);
  let root: string;
  let server: OpenAiFakeServer;
  const refs: Record<string, string> = {
    'a.jpg': 'a man rides a red bike down the street',
    'b.jpg': 'two dogs play in the green grass',
    'sub/c.jpg': 'a woman holds an umbrella in the rain',
    'd.jpg': 'a child eats ice cream on a bench',
  };
  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ic-cli-eval-'));
    const dataset = path.join(root, 'ds');
    fs.mkdirSync(dataset);
    await writeDataset(dataset, [...Object.keys(refs), 'e.jpg'].map((rel, i) => ({ rel, width: 10 + i, height: 8, caption: 'kept as it is' })));
    for (const [rel, text] of Object.entries(refs)) fs.writeFileSync(path.join(dataset, rel.replace(/\.jpg$/, '.ref.txt')), `${text}\nanother description\n`);
    // the "good" model answers each image's first reference, the "poor" one always the same words
    server = await startOpenAiFakeServer({
      replyText: (r) => {
        const body = JSON.stringify(r.body);
        if (body.includes('"model":"poor"')) return 'a photo of a man';
        const name = /Describe (\S+) now/.exec(body)?.[1] ?? '';
        return Object.entries(refs).find(([rel]) => path.basename(rel) === name)?.[1] ?? '';
      },
    });
    fs.writeFileSync(path.join(root, 'settings.json'), JSON.stringify({ 'imageCaptioner.generation.length': 'custom', 'imageCaptioner.generation.customPrompt': 'Describe {name} now' }));
  });
  after(async () => {
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('captions the sample with each model into --out, never the dataset, and scores it against the references', async () => {
    const before = filesUnder(path.join(root, 'ds')).map((f) => [f, fs.readFileSync(path.join(root, 'ds', f), 'base64')]);
    const run = await cli(root, 'eval', 'ds', '--model', 'good', '--model', 'poor', '--base-url', server.url, '--config', 'settings.json', '--out', 'reports', '--json');
    assert.equal(run.code, EXIT.ok, run.stderr);
    const { report: file, models } = JSON.parse(run.stdout) as { report: string; models: Array<{ model: string; scored: number; bleu4: number }> };
    assert.ok(file.startsWith(path.join(fs.realpathSync(root), 'reports')) || file.startsWith(path.join(root, 'reports')), file);
    const report = await readReport(file);
    assert.equal(report.images.length, 4, 'the image without references is not sampled');
    assert.equal(report.referenceCounts.imagesWithoutReferences, 1);
    assert.deepEqual(models.map((m) => [m.model, m.scored]), [['server/good', 4], ['server/poor', 4]]);
    assert.ok(Math.abs(models[0].bleu4 - 1) < 1e-9, `a candidate equal to a reference scores BLEU-4 1 (${models[0].bleu4})`);
    assert.ok(models[1].bleu4 < 0.1, `the poor model (${models[1].bleu4})`);
    assert.equal(report.models[1].bias.gendered, 2);
    assert.equal(report.models[1].bias.misclassified, 1, "'a man' for the woman's image");
    assert.deepEqual(filesUnder(path.join(root, 'ds')).map((f) => [f, fs.readFileSync(path.join(root, 'ds', f), 'base64')]), before, 'the dataset is untouched');
    assert.equal(server.requests.length, 8);
  });

  it("uses the config's imageCaptioner.evaluate.genderWords, as the extension does", async () => {
    fs.writeFileSync(path.join(root, 'words.json'), JSON.stringify({
      'imageCaptioner.generation.length': 'custom',
      'imageCaptioner.generation.customPrompt': 'Describe {name} now',
      // 'man' is no male word in this list: the poor model's "a photo of a man" names no gender
      'imageCaptioner.evaluate.genderWords': { male: ['bloke'], female: ['woman'], neutral: [] },
    }));
    const run = await cli(root, 'eval', 'ds', '--model', 'good', '--model', 'poor', '--base-url', server.url, '--config', 'words.json', '--out', 'reports2', '--json');
    assert.equal(run.code, EXIT.ok, run.stderr);
    const report = await readReport((JSON.parse(run.stdout) as { report: string }).report);
    assert.equal(report.models[1].bias.gendered, 1, 'only the woman\'s image names a gender in these lists');
    assert.equal(report.models[1].bias.misclassified, 0);
  });

  it('needs two models, and images with references', async () => {
    const one = await cli(root, 'eval', 'ds', '--model', 'good', '--base-url', server.url);
    assert.equal(one.code, EXIT.usage);
    assert.match(one.stderr, /two or more --model/);
    const none = await cli(root, 'eval', 'ds', '--model', 'a', '--model', 'b', '--base-url', server.url, '--reference-extension', '.refs.txt');
    assert.equal(none.code, EXIT.error);
    assert.match(none.stderr, /has references: put them beside each image as <name>\.refs\.txt/);
  });

  it('--clip-score scores each caption with the local CLIP model through the worker, as the extension does', async () => {
    const dataset = path.join(root, 'colours');
    fs.mkdirSync(dataset);
    for (const [name, colour] of [['red', '#e01010'], ['blue', '#1010f0']]) {
      await sharp({ create: { width: 32, height: 24, channels: 3, background: colour } }).png().toFile(path.join(dataset, `${name}.png`));
      fs.writeFileSync(path.join(dataset, `${name}.ref.txt`), `a ${name} ball\n`);
    }
    const models = await writeTinyModels(path.join(root, 'tiny-models'));
    fs.writeFileSync(path.join(root, 'clip.json'), JSON.stringify({
      'imageCaptioner.generation.length': 'custom',
      'imageCaptioner.generation.customPrompt': 'Describe {name} now',
      'imageCaptioner.local.clipModel': models.clip,
      'imageCaptioner.local.allowDownloads': false,
    }));
    // "good" names the image's colour, "poor" the other one
    const colours = await startOpenAiFakeServer({
      replyText: (r) => {
        const body = JSON.stringify(r.body);
        const red = body.includes('Describe red.png now');
        return `a ${red !== body.includes('"model":"poor"') ? 'red' : 'blue'} ball`;
      },
    });
    try {
      const args = ['eval', 'colours', '--model', 'good', '--model', 'poor', '--base-url', colours.url, '--config', 'clip.json', '--out', 'clip-reports'];
      const run = await cli(root, ...args, '--clip-score', '--json');
      assert.equal(run.code, EXIT.ok, run.stderr);
      const out = JSON.parse(run.stdout) as { report: string; models: Array<{ model: string; clipScore?: number }> };
      const report = await readReport(out.report);
      assert.equal(report.clipModel, models.clip);
      assert.equal(report.clipUnavailable, undefined);
      const score = (image: string, model: string): number => report.images.find((i) => i.path === image)!.scores[model].clipScore!;
      for (const image of ['red.png', 'blue.png']) {
        assert.ok(score(image, 'server/good') > 90, `${image}: its own colour (${score(image, 'server/good')})`);
        assert.ok(score(image, 'server/poor') < 15, `${image}: the other colour (${score(image, 'server/poor')})`);
      }
      assert.deepEqual(out.models.map((m) => m.model), ['server/good', 'server/poor']);
      assert.ok(Math.abs(out.models[0].clipScore! - (score('red.png', 'server/good') + score('blue.png', 'server/good')) / 2) < 1e-9, 'stdout prints the mean');
      assert.ok(fs.readdirSync(path.join(root, 'clip-reports', '.clip-cache')).length > 0, 'the embeddings are cached beside the reports');

      const table = await cli(root, ...args, '--clip-score');
      assert.equal(table.code, EXIT.ok, table.stderr);
      assert.match(table.stdout, /\tCLIP\t/);
      const without = await cli(root, ...args, '--json');
      const plain = await readReport((JSON.parse(without.stdout) as { report: string }).report);
      assert.match(plain.clipUnavailable ?? '', /not asked for \(image-captioner eval --clip-score\)/);
      assert.equal(plain.models[0].clipScore, undefined, 'no CLIP score, never 0');
    } finally {
      await colours.close();
    }
  });

  it('--clip-score with an empty imageCaptioner.local.clipModel names the setting and sends nothing', async () => {
    fs.writeFileSync(path.join(root, 'noclip.json'), JSON.stringify({ 'imageCaptioner.local.clipModel': '' }));
    const sent = server.requests.length;
    const run = await cli(root, 'eval', 'ds', '--model', 'good', '--model', 'poor', '--base-url', server.url, '--config', 'noclip.json', '--clip-score');
    assert.equal(run.code, EXIT.error);
    assert.match(run.stderr, /--clip-score needs a CLIP model: set imageCaptioner\.local\.clipModel/);
    assert.equal(server.requests.length, sent);
  });
});

