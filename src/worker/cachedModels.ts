/** The model cache folder: which models are in it, how big, and deleting one. */
import { readdir, rm, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { CachedModel } from './protocol';
import { TAGGER_FILES } from './taggerFiles';

/**
 * Models are folders holding a config.json (transformers.js) or a WD tagger's model.onnx and
 * selected_tags.csv, at most three levels down (`org/name[/revision]`).
 */
export async function listCachedModels(cacheDir: string): Promise<CachedModel[]> {
  const models: CachedModel[] = [];
  const visit = async (folder: string, depth: number): Promise<void> => {
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    if (depth > 0 && isModelFolder(entries.filter((entry) => entry.isFile()).map((entry) => entry.name))) {
      const { bytes, files } = await folderSize(folder);
      models.push({ id: relative(cacheDir, folder).split(sep).join('/'), folder, bytes, files });
      return;
    }
    if (depth >= 3) return;
    for (const entry of entries) if (entry.isDirectory()) await visit(join(folder, entry.name), depth + 1);
  };
  await visit(cacheDir, 0);
  return models.sort((a, b) => a.id.localeCompare(b.id));
}

export async function deleteCachedModel(cacheDir: string, id: string): Promise<boolean> {
  const folder = resolve(cacheDir, id);
  const inside = relative(resolve(cacheDir), folder);
  if (!inside || inside.startsWith('..') || inside.includes(`..${sep}`)) throw new Error(`${id} is not a model in the cache`);
  const names = await readdir(folder).catch(() => [] as string[]);
  if (!isModelFolder(names)) return false; // not a model folder
  await rm(folder, { recursive: true, force: true });
  return true;
}

/** Whether a folder holding these file names is a model: a config.json, or a WD tagger's two files. */
function isModelFolder(names: readonly string[]): boolean {
  return names.includes('config.json') || TAGGER_FILES.every((file) => names.includes(file));
}

async function folderSize(folder: string): Promise<{ bytes: number; files: number }> {
  let bytes = 0;
  let files = 0;
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const info = await stat(join(entry.parentPath, entry.name)).catch(() => undefined);
    if (info) {
      bytes += info.size;
      files += 1;
    }
  }
  return { bytes, files };
}
