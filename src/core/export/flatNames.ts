import * as path from 'node:path';

/**
 * Unique names for files laid out flat: the first `a.jpg` keeps its name, the next ones become
 * `a_2.jpg`, `a_3.jpg`, in the order claimed. Compared case-insensitively, since the archive may be
 * unpacked on a case-insensitive file system.
 */
export class FlatNames {
  private readonly used = new Set<string>();

  constructor(reserved: readonly string[] = []) {
    for (const name of reserved) this.used.add(name.toLowerCase());
  }

  claim(relPath: string): string {
    const base = portableName(path.posix.basename(relPath));
    const ext = path.posix.extname(base);
    const stem = base.slice(0, base.length - ext.length);
    let name = base;
    for (let n = 2; this.used.has(name.toLowerCase()); n++) name = `${stem}_${n}${ext}`;
    this.used.add(name.toLowerCase());
    return name;
  }
}

/** Characters Windows refuses in a file name, control characters included; a backslash or `:` would also make a path or a drive. */
const NOT_PORTABLE = /[\\/:*?"<>|\u0000-\u001f]/g;

/**
 * A file name safe as an archive entry on any system: no separators (a backslash is one on Windows), no
 * drive letter or stream (`:`), no `.` or `..`, no characters Windows refuses; each becomes `_`.
 */
export function portableName(name: string): string {
  const safe = name.replace(NOT_PORTABLE, '_');
  return safe === '' || safe === '.' || safe === '..' ? '_' : safe;
}
