import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { movePairs, planPairMoves, reversePlan } from '../../../src/core/embeddings/pairMoves';
import { DatasetBoundary } from '../../../src/core/files/datasetBoundary';
import { TempDirs } from '../helpers/tempTree';

function write(root: string, rel: string, content: string | Buffer): string {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

/** Every file under `root` with its bytes, keyed by relative path. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else out[path.relative(root, full).split(path.sep).join('/')] = fs.readFileSync(full).toString('hex');
    }
  };
  walk(root);
  return out;
}

describe('moving image/caption pairs aside', () => {
  const temp = new TempDirs();
  afterEach(() => temp.cleanup());

  it('moves image, caption and regions sidecar keeping subfolders, and undo restores every byte', async () => {
    const root = await temp.make();
    const image = write(root, 'sub/dir/cat.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]));
    const caption = write(root, 'sub/dir/cat.txt', Buffer.from('\ufeffa cat\r\n', 'utf8'));
    const regions = write(root, 'sub/dir/cat.regions.json', '{"regions":[]}');
    const other = write(root, 'dog.jpg', 'dog bytes');
    const noCaption = write(root, 'bird.jpg', 'bird bytes');
    write(root, 'dog.txt', 'a dog');
    const before = snapshot(root);

    const plan = planPairMoves(
      [
        { imagePath: image, captionPath: caption, sidecars: [regions] },
        { imagePath: noCaption, captionPath: path.join(root, 'bird.txt'), sidecars: [path.join(root, 'bird.regions.json')] },
      ],
      root,
      'clip_failed',
    );
    const outcome = await movePairs(plan, DatasetBoundary.atSync(root));
    assert.equal(outcome.refused.length + outcome.failed.length, 0);
    assert.equal(outcome.moved.length, 2);
    assert.deepEqual(outcome.moved[1].files.map((f) => path.relative(root, f.to)), [path.join('clip_failed', 'bird.jpg')], 'only files that exist are in the undo plan');
    const after = snapshot(root);
    assert.deepEqual(Object.keys(after).sort(), ['clip_failed/bird.jpg', 'clip_failed/sub/dir/cat.png', 'clip_failed/sub/dir/cat.regions.json', 'clip_failed/sub/dir/cat.txt', 'dog.jpg', 'dog.txt']);
    assert.equal(after['clip_failed/sub/dir/cat.txt'], before['sub/dir/cat.txt']);
    assert.equal(after['clip_failed/sub/dir/cat.png'], before['sub/dir/cat.png']);
    assert.ok(fs.existsSync(other));

    const undone = await movePairs(reversePlan(outcome.moved), DatasetBoundary.atSync(root));
    assert.equal(undone.moved.length, 2);
    const restored = snapshot(root);
    assert.deepEqual(restored, before, 'same files, same bytes (empty folders aside)');
  });

  it('refuses a pair whose destination exists, moves the rest, and undo refuses a retaken original', async () => {
    const root = await temp.make();
    const a = write(root, 'a.jpg', 'A');
    write(root, 'a.txt', 'caption a');
    const b = write(root, 'b.jpg', 'B');
    write(root, 'b.txt', 'caption b');
    write(root, 'clip_failed/a.txt', 'someone else');
    const plan = planPairMoves(
      [a, b].map((img) => ({ imagePath: img, captionPath: img.replace(/\.jpg$/, '.txt') })),
      root,
      'clip_failed',
    );
    const outcome = await movePairs(plan, DatasetBoundary.atSync(root));
    assert.deepEqual(outcome.refused.map((r) => [r.pair.imagePath, r.existing.map((e) => path.relative(root, e))]), [[a, [path.join('clip_failed', 'a.txt')]]]);
    assert.equal(fs.readFileSync(a, 'utf8'), 'A', 'a refused pair stays whole');
    assert.equal(fs.readFileSync(path.join(root, 'a.txt'), 'utf8'), 'caption a');
    assert.equal(fs.readFileSync(path.join(root, 'clip_failed/a.txt'), 'utf8'), 'someone else', 'nothing overwritten');
    assert.equal(fs.readFileSync(path.join(root, 'clip_failed/b.jpg'), 'utf8'), 'B');

    write(root, 'b.jpg', 'a new B');
    const undone = await movePairs(reversePlan(outcome.moved), DatasetBoundary.atSync(root));
    assert.equal(undone.moved.length, 0);
    assert.equal(undone.refused.length, 1);
    assert.equal(fs.readFileSync(b, 'utf8'), 'a new B');
    assert.equal(fs.readFileSync(path.join(root, 'clip_failed/b.jpg'), 'utf8'), 'B');
  });

  it('moves a caption shared by two images once, and reports a missing image', async () => {
    const root = await temp.make();
    const png = write(root, 'ball.png', 'png');
    const jpg = write(root, 'ball.jpg', 'jpg');
    const caption = write(root, 'ball.txt', 'a ball');
    const plan = planPairMoves([png, jpg, path.join(root, 'gone.jpg')].map((img) => ({ imagePath: img, captionPath: img === png || img === jpg ? caption : path.join(root, 'gone.txt') })), root, 'out');
    assert.deepEqual(plan.map((p) => p.files.length), [2, 1, 2]);
    const outcome = await movePairs(plan, DatasetBoundary.atSync(root));
    assert.equal(outcome.moved.length, 2);
    assert.equal(outcome.failed.length, 1);
    assert.match(outcome.failed[0].error, /gone\.jpg is no longer there/);
    assert.equal(fs.readFileSync(path.join(root, 'out/ball.txt'), 'utf8'), 'a ball');
    assert.throws(() => planPairMoves([{ imagePath: '/elsewhere/x.jpg', captionPath: '/elsewhere/x.txt' }], root, 'out'), /outside the dataset/);
  });

  it('refuses a destination folder that is not a plain folder inside the dataset', async () => {
    const root = await temp.make();
    const image = write(root, 'a.jpg', 'A');
    for (const folder of ['../outside', '/tmp/abs', 'x/../../y', '']) {
      assert.throws(() => planPairMoves([{ imagePath: image, captionPath: path.join(root, 'a.txt') }], root, folder), /cannot receive moved pairs/);
    }
  });

  it('moves nothing through a destination folder that is a link leading out of the dataset', async () => {
    const root = await temp.make();
    const outside = await temp.make('ic-private-');
    fs.symlinkSync(outside, path.join(root, 'clip_failed'));
    const image = write(root, 'a.jpg', 'A');
    const caption = write(root, 'a.txt', 'caption A');
    const outcome = await movePairs(planPairMoves([{ imagePath: image, captionPath: caption }], root, 'clip_failed'), DatasetBoundary.atSync(root));
    assert.equal(outcome.moved.length, 0);
    assert.match(outcome.failed[0]?.error ?? '', /outside the dataset/);
    assert.deepEqual(fs.readdirSync(outside), []);
    assert.equal(fs.readFileSync(image, 'utf8'), 'A');
    assert.equal(fs.readFileSync(caption, 'utf8'), 'caption A');
  });
});
