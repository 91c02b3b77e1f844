import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { DatasetBoundary } from '../files/datasetBoundary';
import { describeFileKind, NotRegularFileError } from '../files/regularFile';

/**
 * Writes a file so that a crash at any moment leaves either the old or the new content:
 * a temp file in the same folder, flushed, then renamed over the target. The old file's mode is kept.
 * With a boundary, the target must lie inside it: a link inside the dataset is written through to
 * its target, a link leading outside is refused (OutsideDatasetError), as is a FIFO or device.
 */
export async function writeFileAtomic(file: string, data: Uint8Array, boundary?: DatasetBoundary): Promise<void> {
  const target = boundary ? await checkedTarget(file, boundary) : file;
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const mode = await fs.stat(target).then((s) => s.mode & 0o777, () => undefined);
  const handle = await fs.open(temp, 'wx', mode ?? 0o666);
  try {
    if (mode !== undefined) await handle.chmod(mode); // the umask must not narrow the old mode
    await handle.writeFile(data);
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await fs.rm(temp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await fs.rename(temp, target);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
}

/** The path to write: `file`, or the real path of the link it is; checked to lie inside and to be a regular file if it exists. */
async function checkedTarget(file: string, boundary: DatasetBoundary): Promise<string> {
  await boundary.checkFolderOf(file);
  const stat = await fs.lstat(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (!stat) return file;
  const target = stat.isSymbolicLink() ? await boundary.realFile(file) : file;
  const real = stat.isSymbolicLink() ? await fs.stat(target) : stat;
  if (!real.isFile()) throw new NotRegularFileError(file, describeFileKind(real));
  return target;
}
