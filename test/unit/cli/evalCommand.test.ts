import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXIT } from '../../../src/cli/cliCommand';
import { readReport } from '../../../src/core/evaluation/reportFile';
import { startOpenAiFakeServer, type OpenAiFakeServer } from '../../fixtures/fakeServers/openAiFakeServer';
import { writeDataset } from '../export/exportTestKit';
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
});
