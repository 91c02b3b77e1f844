import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Whether TypeScript source text imports or requires the `vscode` module: static imports
 * (also type-only and side-effect imports), re-exports, `import('vscode')`, `require('vscode')`
 * and `import x = require('vscode')`.
 */
export function importsVscode(source: string): boolean {
  return /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"`]vscode(?:\/[^'"`]*)?['"`]/.test(source);
}

/** Every .ts file under `dir`, recursively. */
export function tsFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...tsFilesUnder(full));
    else if (e.isFile() && e.name.endsWith('.ts')) out.push(full);
  }
  return out;
}

/** The repository root: the nearest folder above `from` that holds package.json. */
export function repoRoot(from: string): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
