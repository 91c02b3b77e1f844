import { promises as fs } from 'node:fs';
import * as path from 'node:path';

// writeFileAtomic's temp name: `.<name>.<pid>.<8 hex>.tmp` beside the target (see captions/atomicWrite.ts).
const TEMP_NAME = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/** True when no process has this id any more (EPERM means one exists, owned by someone else). */
function isDead(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Removes the temp files a killed batch left beside these captions (a kill -9 during a write
 * leaves one); files of a process still alive are kept. Returns how many were removed.
 */
export async function removeOrphanTempFiles(captionPaths: readonly string[]): Promise<number> {
  const namesByFolder = new Map<string, Set<string>>();
  for (const file of captionPaths) {
    const folder = path.dirname(file);
    const names = namesByFolder.get(folder) ?? new Set<string>();
    names.add(path.basename(file));
    namesByFolder.set(folder, names);
  }
  let removed = 0;
  for (const [folder, names] of namesByFolder) {
    const entries = await fs.readdir(folder).catch(() => [] as string[]);
    for (const entry of entries) {
      const match = TEMP_NAME.exec(entry);
      if (!match || !names.has(match[1]) || Number(match[2]) === process.pid || !isDead(Number(match[2]))) continue;
      await fs.rm(path.join(folder, entry), { force: true });
      removed++;
    }
  }
  return removed;
}
