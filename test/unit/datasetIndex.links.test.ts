import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DatasetIndex } from '../../src/core/dataset/datasetIndex';
import { TempDirs, chmodDenies, indexOptions, listed, withoutRootPrivileges, writeTree } from './helpers/tempTree';
import { within } from './helpers/timeLimit';


describe('DatasetIndex.build with links and unreadable folders', () => {
  const temp = new TempDirs();
  afterEach(() => temp.cleanup());

  it('terminates on a symlink loop (dir/link -> ..) and lists each image once', async () => {
    const root = await temp.make();
    await writeTree(root, { 'a.jpg': 'x', 'dir/b.jpg': 'x', 'dir/sub/c.jpg': 'x' });
    await fs.promises.symlink('..', path.join(root, 'dir', 'link'));
    await fs.promises.symlink('.', path.join(root, 'dir', 'sub', 'self'));
    await fs.promises.symlink('../..', path.join(root, 'dir', 'sub', 'up'));
    const index = await within(5000, DatasetIndex.build(root, indexOptions()));
    assert.deepEqual(listed(index), ['dir/sub/c.jpg', 'dir/b.jpg', 'a.jpg']);
    assert.equal(index.folder('dir/link'), undefined);
    assert.equal(index.folder('dir/sub/self'), undefined);
    assert.deepEqual(index.folder('dir')?.subfolders.map((f) => f.name), ['sub']);
    assert.equal(index.root.deepImageCount, 3);
    // A refresh walks the loop again and still terminates with the same images.
    await within(5000, index.refreshFolder(root));
    assert.deepEqual(listed(index), ['dir/sub/c.jpg', 'dir/b.jpg', 'a.jpg']);
  });

  it('follows a link to a folder outside the root when allowed, once even when two links point there', async () => {
    const root = await temp.make();
    const elsewhere = await temp.make('ic-unit-elsewhere-');
    await writeTree(elsewhere, { 'e1.jpg': 'x', 'e1.txt': 'caption', 'e2.png': 'x' });
    await writeTree(root, { 'own.jpg': 'x' });
    await fs.promises.symlink(elsewhere, path.join(root, 'link1'));
    await fs.promises.symlink(elsewhere, path.join(root, 'link2'));
    const index = await within(5000, DatasetIndex.build(root, indexOptions({ followLinksOutside: true })));
    const names = index.images().map((img) => img.name);
    assert.deepEqual([...names].sort(), ['e1.jpg', 'e2.png', 'own.jpg']);
    const linked = index.images().find((img) => img.name === 'e1.jpg')!;
    assert.ok(['link1', 'link2'].includes(linked.folder.relPath), linked.folder.relPath);
    assert.equal(linked.captionState, 'unknown');
    assert.equal(linked.folder.realPath, fs.realpathSync(elsewhere));
    assert.ok(fs.existsSync(index.imagePath(linked)));
    assert.equal(index.root.subfolders.length, 1, 'the second link to the same folder is dropped');
    assert.equal(index.root.deepImageCount, 3);
    assert.ok(index.boundary.contains(fs.realpathSync(path.join(elsewhere, 'e1.txt'))), 'the followed folder counts as inside');
  });

  it('does not follow a link to a folder outside the root by default, and shows it with the reason', async () => {
    const root = await temp.make();
    const elsewhere = await temp.make('ic-unit-elsewhere-');
    await writeTree(elsewhere, { 'secret.jpg': 'x', 'secret.txt': 'private words' });
    await writeTree(root, { 'own.jpg': 'x', 'inner/in.jpg': 'x' });
    await fs.promises.symlink(elsewhere, path.join(root, 'outside'));
    await fs.promises.symlink(path.join(root, 'inner'), path.join(root, 'alias'));
    const index = await within(5000, DatasetIndex.build(root, indexOptions()));
    assert.deepEqual(listed(index).map((rel) => path.posix.basename(rel)), ['in.jpg', 'own.jpg'], 'a folder inside reached through a link is walked once');
    assert.match(index.folder('outside')?.error ?? '', /outside the dataset, not followed/);
    assert.deepEqual(index.folder('outside')?.images, []);
    assert.equal(index.boundary.contains(fs.realpathSync(elsewhere)), false);
  });

  it('follows a single folder link when allowed and skips a dangling one', async () => {
    const root = await temp.make();
    const elsewhere = await temp.make('ic-unit-elsewhere-');
    await writeTree(elsewhere, { 'deep/e.jpg': 'x' });
    await fs.promises.symlink(elsewhere, path.join(root, 'only'));
    await fs.promises.symlink(path.join(root, 'nothing-here'), path.join(root, 'dangling'));
    await fs.promises.symlink(path.join(root, 'missing.jpg'), path.join(root, 'dangling.jpg'));
    const index = await DatasetIndex.build(root, indexOptions({ followLinksOutside: true }));
    assert.deepEqual(listed(index), ['only/deep/e.jpg']);
    assert.equal(index.findImage(path.join(root, 'only', 'deep', 'e.jpg'))?.name, 'e.jpg');
  });

  it('reports an unreadable folder via folder.error and indexes the rest', async () => {
    const root = await temp.make();
    await writeTree(root, { 'ok/a.jpg': 'x', 'locked/b.jpg': 'x', 'locked/inner/c.jpg': 'x', 'z.jpg': 'x' });
    const locked = path.join(root, 'locked');
    await fs.promises.chmod(root, 0o755);
    await fs.promises.chmod(locked, 0o000);
    const index = await withoutRootPrivileges(async () => {
      assert.ok(chmodDenies(locked), 'chmod 000 keeps this process out of the folder');
      return DatasetIndex.build(root, indexOptions());
    });
    assert.deepEqual(listed(index), ['ok/a.jpg', 'z.jpg']);
    const folder = index.folder('locked');
    assert.ok(folder, 'the unreadable folder is still part of the tree');
    assert.equal(folder.error, 'permission denied');
    assert.deepEqual(folder.images, []);
    assert.equal(index.folder('ok')?.error, undefined);
    assert.equal(index.root.error, undefined);
  });
});
