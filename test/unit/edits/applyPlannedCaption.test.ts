import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyPlannedCaption } from '../../../src/core/edits/applyPlannedCaption';
import { DatasetBoundary } from '../../../src/core/files/datasetBoundary';
import { TempDirs } from '../helpers/tempTree';

describe('applyPlannedCaption: one planned write, checked against the disk at write time', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  it('writes when the file still holds the planned text, keeping its line breaks, and returns the bytes before', async () => {
    const root = await temp.make('ic-apply-');
    const file = path.join(root, 'a.txt');
    fs.writeFileSync(file, 'old\r\n');
    const outcome = await applyPlannedCaption(file, (disk) => disk === 'old\n', 'new\nline', DatasetBoundary.atSync(root));
    assert.deepEqual(outcome, { applied: true, beforeBytes: Buffer.from('old\r\n') });
    assert.equal(fs.readFileSync(file, 'utf8'), 'new\r\nline');
  });

  it('leaves a file changed since planning (or not UTF-8) alone and says so', async () => {
    const root = await temp.make('ic-apply-');
    const changed = path.join(root, 'b.txt');
    fs.writeFileSync(changed, 'edited meanwhile');
    const notUtf8 = path.join(root, 'c.txt');
    fs.writeFileSync(notUtf8, Buffer.from([0xff, 0xfe, 0x41]));
    const boundary = DatasetBoundary.atSync(root);
    assert.deepEqual(await applyPlannedCaption(changed, (disk) => disk === undefined, 'imported', boundary), { applied: false });
    assert.deepEqual(await applyPlannedCaption(notUtf8, () => true, 'imported', boundary), { applied: false });
    assert.equal(fs.readFileSync(changed, 'utf8'), 'edited meanwhile');
    assert.deepEqual(fs.readFileSync(notUtf8), Buffer.from([0xff, 0xfe, 0x41]));
  });
});
