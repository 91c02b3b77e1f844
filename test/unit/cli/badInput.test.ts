import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXIT } from '../../../src/cli/cliCommand';
import { TempDirs } from '../helpers/tempTree';
import { cli, filesUnder, writeExportFixture } from './cliTestKit';

/** Each case: the arguments, the exit code, and what the one line must say. */
const CASES: ReadonlyArray<{ readonly args: string[]; readonly code: number; readonly says: RegExp }> = [
  { args: ['export', 'missing', '--format', 'csv', '--out', 'out'], code: EXIT.error, says: /dataset folder \S+missing does not exist/ },
  { args: ['export', 'ds/a.jpg', '--format', 'csv', '--out', 'out'], code: EXIT.error, says: /a\.jpg is not a folder; pass the dataset's folder/ },
  { args: ['export', 'empty', '--format', 'webdataset', '--out', 'out'], code: EXIT.error, says: /no images in \S+empty: looked for \.jpg .* in it or its subfolders/ },
  { args: ['export', 'ds', '--format', 'csv', '--out', 'out', '--shard', '5/4'], code: EXIT.usage, says: /--shard 5\/4: the index must be below the count \(0 to 3\)/ },
  { args: ['export', 'ds', '--format', 'csv', '--out', 'out', '--shard', 'two'], code: EXIT.usage, says: /--shard two: expected INDEX\/COUNT/ },
  { args: ['export', 'ds', '--format', 'tgz', '--out', 'out'], code: EXIT.usage, says: /--format tgz: expected one of webdataset, zip, imagefolder, csv, jsonl/ },
  { args: ['export', 'ds', '--frmat', 'csv', '--out', 'out'], code: EXIT.usage, says: /Unknown option '--frmat'/ },
  { args: ['export', 'ds', '--out', 'out'], code: EXIT.usage, says: /missing --format \(one of webdataset/ },
  { args: ['export', 'ds', '--format', 'csv'], code: EXIT.usage, says: /missing --out DIR/ },
  { args: ['export', '--format', 'csv', '--out', 'out'], code: EXIT.usage, says: /missing DATASET folder/ },
  { args: ['export', 'ds', 'ds2', '--format', 'csv', '--out', 'out'], code: EXIT.usage, says: /expected one DATASET folder, got 2/ },
  { args: ['export', 'ds', '--format', 'webdataset', '--out', 'out', '--max-samples-per-shard', '0'], code: EXIT.usage, says: /--max-samples-per-shard 0: expected a whole number from 1/ },
  { args: ['export', 'ds', '--format', 'webdataset', '--out', 'out', '--name', '../up'], code: EXIT.usage, says: /--name \.\.\/up: use letters, digits/ },
  { args: ['export', 'ds', '--format', 'csv', '--out', 'out', '--caption-extension', '.jpg'], code: EXIT.error, says: /the caption extension "\.jpg" cannot be used/ },
  { args: ['import', 'ds', '--from', 'nothing.csv'], code: EXIT.error, says: /cannot import \S+nothing\.csv: .*does not exist/ },
  { args: ['import', 'ds', '--from', 'bad.json'], code: EXIT.error, says: /cannot import \S+bad\.json: bad\.json/ },
  { args: ['import', 'ds'], code: EXIT.usage, says: /missing --from FILE/ },
  { args: ['import', 'ds', '--from', 'set.csv', '--conflict', 'merge'], code: EXIT.usage, says: /--conflict merge: expected one of skip, overwrite, append/ },
  { args: ['import', 'ds', '--from', 'set.csv', '--captions', 'last'], code: EXIT.usage, says: /--captions last: expected first, all or a 0-based number/ },
  { args: ['import', 'missing', '--from', 'set.csv'], code: EXIT.error, says: /dataset folder \S+missing does not exist/ },
  { args: ['stats', 'missing'], code: EXIT.error, says: /dataset folder \S+missing does not exist/ },
  { args: ['stats', 'ds', '--jsn'], code: EXIT.usage, says: /Unknown option '--jsn'/ },
  { args: ['nonsense'], code: EXIT.usage, says: /unknown command "nonsense"/ },
];

/** Every file under the folder with its bytes, to prove a failed command changed nothing. */
function snapshot(dir: string): Map<string, string> {
  return new Map(filesUnder(dir).map((f) => [f, fs.readFileSync(path.join(dir, f)).toString('base64')]));
}

describe('image-captioner: bad input is one line, a non-zero exit code, and nothing written', function () {
  this.timeout(60_000);
  const temp = new TempDirs();
  let root: string;
  before(async () => {
    root = await temp.make('ic-cli-bad-');
    await writeExportFixture(root);
    fs.mkdirSync(path.join(root, 'empty', 'sub'), { recursive: true });
    fs.writeFileSync(path.join(root, 'empty', 'notes.txt'), 'no images here');
    fs.writeFileSync(path.join(root, 'set.csv'), 'file_name,text\na.jpg,new\n');
    fs.writeFileSync(path.join(root, 'bad.json'), '{"images": [');
  });
  after(() => temp.cleanup());

  for (const { args, code, says } of CASES) {
    it(`${args.join(' ')} → exit ${code}`, async () => {
      const before = snapshot(root);
      const run = await cli(root, ...args);
      assert.equal(run.code, code, run.stderr);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /^image-captioner[ :][^\n]+\n$/, 'exactly one line');
      assert.match(run.stderr, says);
      if (code === EXIT.usage && args[0] !== 'nonsense') assert.match(run.stderr, /\(see "image-captioner \w+ --help"\)/);
      assert.deepEqual(snapshot(root), before, 'nothing written');
    });
  }
});
