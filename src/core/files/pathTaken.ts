import { promises as fs } from 'node:fs';

/** Whether a name is taken in its folder: lstat, so a dangling link still takes its name; errors other than ENOENT are thrown. */
export async function pathTaken(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
