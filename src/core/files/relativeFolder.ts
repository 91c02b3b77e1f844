/** A folder named by a setting, inside the dataset: plain names joined by '/', nothing absolute, no '..'. */
const PLAIN_NAME = /^[\p{L}\p{N} _.()-]+$/u;

/** Why `folder` cannot name a folder inside the dataset, or undefined when it can. */
export function relativeFolderProblem(folder: string): string | undefined {
  const parts = folder.split(/[\\/]/);
  if (folder.trim() === '' || folder.length > 200) return 'it must name a folder inside the dataset, such as clip_failed';
  for (const part of parts) {
    if (part === '' || part === '.' || part === '..' || !PLAIN_NAME.test(part) || part !== part.trim()) {
      return 'it must be a folder inside the dataset: plain names joined by "/", no "..", nothing absolute, no drive letters';
    }
  }
  return undefined;
}
