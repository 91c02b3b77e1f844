import { promises as fs } from 'node:fs';

/**
 * Whether each file exists with some bytes: second captions are counted on disk, since the index
 * holds the caption's state only. A file that cannot be checked counts as without text.
 */
export async function filesWithText(files: readonly string[]): Promise<boolean[]> {
  return Promise.all(files.map((file) => fs.stat(file).then((st) => st.isFile() && st.size > 0, () => false)));
}
