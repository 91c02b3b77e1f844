import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXIT } from '../../../src/cli/cliCommand';
import { writeDataset } from '../export/exportTestKit';
import { cli } from './cliTestKit';

describe('image-captioner lint', function () {
  this.timeout(60_000);
  let root: string;
  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ic-cli-lint-'));
    fs.mkdirSync(path.join(root, 'ds'));
    await writeDataset(path.join(root, 'ds'), [
      { rel: 'a.jpg', width: 20, height: 10, caption: 'The image shows a dog.' },
      { rel: 'b.jpg', width: 12, height: 10, caption: 'A cat on a mat.' },
      { rel: 'sub/c.jpg', width: 14, height: 10, caption: 'a cat on a  mat.\n' },
      { rel: 'd.jpg', width: 16, height: 10, caption: '   ' },
      { rel: 'e.jpg', width: 18, height: 10 },
    ]);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('prints FILE:LINE:COLUMN problems with the extension rules and exits 3 when any is a warning or an error', async () => {
    const run = await cli(root, 'lint', 'ds', '--json');
    assert.equal(run.code, EXIT.someFailed, run.stderr);
    const problems = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; rule: string; start: { line: number; column: number } });
    const by = (rule: string): string[] => problems.filter((p) => p.rule === rule).map((p) => p.file).sort();
    assert.deepEqual(by('banned-phrase'), ['a.txt']);
    assert.deepEqual(by('duplicate'), ['b.txt', 'sub/c.txt']);
    assert.deepEqual(by('empty'), ['d.txt']);
    assert.deepEqual(problems.find((p) => p.rule === 'banned-phrase')!.start, { line: 1, column: 1 });
    assert.match(run.stderr, /lint: 4 captions, .*1 banned-phrase/);
    const text = await cli(root, 'lint', 'ds');
    assert.match(text.stdout, /^a\.txt:1:1: \w+ banned-phrase: /m);
  });

  it('takes each rule level from --config as VS Code does, and exits 0 with nothing serious left', async () => {
    const config = path.join(root, 'settings.json');
    fs.writeFileSync(config, `{
      // as in .vscode/settings.json
      "imageCaptioner.lint.bannedPhrases.level": "off",
      "imageCaptioner.lint.duplicates.level": "off",
      "imageCaptioner.lint.empty.level": "hint",
      "imageCaptioner.lint.nearDuplicateImages.level": "off",
    }`);
    const run = await cli(root, 'lint', 'ds', '--config', config, '--json');
    assert.equal(run.code, EXIT.ok, run.stderr + run.stdout);
    const rules = run.stdout.trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { rule: string; severity: string }));
    assert.deepEqual(rules, [{ ...rules[0], rule: 'empty', severity: 'hint' }]);
  });
});
