// `image-captioner export` with second captions: the same choice of captions as the extension's export commands.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXIT } from '../../../src/cli/cliCommand';
import { TempDirs } from '../helpers/tempTree';
import { sha256, webdatasetSamples, writeDataset } from '../export/exportTestKit';
import { cli } from './cliTestKit';

describe('image-captioner export --second-caption-extension', function () {
  this.timeout(60_000);
  const temp = new TempDirs();
  let root: string;
  before(async () => {
    root = await temp.make('ic-cli-second-');
    const ds = path.join(root, 'ds');
    fs.mkdirSync(ds);
    await writeDataset(ds, [
      { rel: 'a.jpg', width: 8, height: 8, caption: 'a red ball' },
      { rel: 'b.png', width: 9, height: 9, caption: 'a blue cube' },
    ]);
    fs.writeFileSync(path.join(ds, 'a.tags.txt'), 'red, ball');
  });
  after(() => temp.cleanup());

  it('--captions both: a tags.txt member beside txt in each webdataset sample', async () => {
    const run = await cli(root, 'export', 'ds', '--format', 'webdataset', '--out', 'wds', '--second-caption-extension', '.tags.txt', '--captions', 'both');
    assert.equal(run.code, EXIT.ok, run.stderr);
    const samples = webdatasetSamples(path.join(root, 'wds', 'ds-000000.tar'));
    // the kit gives a member other than txt and json as the sha256 of its bytes
    assert.deepEqual(samples.map((s) => [s.txt, s['tags.txt']]), [['a red ball', sha256(Buffer.from('red, ball'))], ['a blue cube', sha256(Buffer.alloc(0))]]);
  });

  it('--captions second: the second caption as the caption column; --captions needs a second extension; both is refused for zip', async () => {
    const run = await cli(root, 'export', 'ds', '--format', 'csv', '--out', 'csv', '--second-caption-extension', 'tags.txt', '--captions', 'second', '--all-images');
    assert.equal(run.code, EXIT.ok, run.stderr);
    assert.equal(fs.readFileSync(path.join(root, 'csv', 'captions.csv'), 'utf8'), 'file_name,text\r\na.jpg,"red, ball"\r\nb.png,\r\n');
    const missing = await cli(root, 'export', 'ds', '--format', 'csv', '--out', 'x', '--captions', 'both');
    assert.equal(missing.code, EXIT.usage);
    assert.match(missing.stderr, /--captions both needs --second-caption-extension/);
    const zip = await cli(root, 'export', 'ds', '--format', 'zip', '--out', 'x', '--second-caption-extension', '.tags.txt', '--captions', 'both');
    assert.equal(zip.code, EXIT.usage);
    const same = await cli(root, 'export', 'ds', '--format', 'csv', '--out', 'x', '--second-caption-extension', '.TXT');
    assert.equal(same.code, EXIT.error);
    assert.match(same.stderr, /second caption extension "\.TXT" cannot be used: it is the caption extension/);
  });
});
