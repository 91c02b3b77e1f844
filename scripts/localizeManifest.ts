/**
 * `node out/scripts/localizeManifest.js [package.json]`: moves every user-visible string of the
 * manifest that is still literal into package.nls.json and puts its `%key%` in its place. Safe to
 * run again after new contributions land: strings already `%key%` stay; the rest of the file keeps
 * its formatting (only the string values are replaced, found with their offsets by momoa).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseWithLocations } from '@humanwhocodes/momoa';
import { JsonPath, manifestStrings, nlsReference } from './manifestStrings';

interface Located {
  readonly loc: { readonly start: { readonly offset: number }; readonly end: { readonly offset: number } };
  readonly members?: ReadonlyArray<{ readonly name: { readonly value: string }; readonly value: Located }>;
  readonly elements?: ReadonlyArray<Located & { readonly value?: Located }>;
}

function nodeAt(root: Located, at: JsonPath): Located {
  let node = root;
  for (const step of at) {
    const next = typeof step === 'number' ? (node.elements?.[step]?.value ?? node.elements?.[step]) : node.members?.find((m) => m.name.value === step)?.value;
    if (!next) throw new Error(`no node at ${at.join('.')}`);
    node = next;
  }
  return node;
}

/** The manifest with `%key%` references and the nls entries (old ones kept, new ones appended); counts what moved. */
export function localizeManifest(manifestText: string, nls: Record<string, string>): { manifest: string; nls: Record<string, string>; moved: number } {
  const strings = manifestStrings(JSON.parse(manifestText) as Record<string, unknown>);
  const root = parseWithLocations(manifestText, { mode: 'json' }).body as unknown as Located;
  const entries = { ...nls };
  const edits: Array<{ start: number; end: number; text: string }> = [];
  for (const s of strings) {
    if (nlsReference(s.value) !== undefined) continue;
    let key = s.key;
    // a key taken by another text (an index-based key after an insertion) gets a suffix
    for (let n = 2; entries[key] !== undefined && entries[key] !== s.value; n++) key = `${s.key}.${n}`;
    entries[key] = s.value;
    const node = nodeAt(root, s.path);
    edits.push({ start: node.loc.start.offset, end: node.loc.end.offset, text: JSON.stringify(`%${key}%`) });
  }
  let manifest = manifestText;
  for (const edit of edits.sort((a, b) => b.start - a.start)) manifest = manifest.slice(0, edit.start) + edit.text + manifest.slice(edit.end);
  return { manifest, nls: entries, moved: edits.length };
}

function main(args: string[]): void {
  const manifestFile = path.resolve(args[0] ?? 'package.json');
  const nlsFile = path.join(path.dirname(manifestFile), 'package.nls.json');
  const nls = fs.existsSync(nlsFile) ? (JSON.parse(fs.readFileSync(nlsFile, 'utf8')) as Record<string, string>) : {};
  const result = localizeManifest(fs.readFileSync(manifestFile, 'utf8'), nls);
  fs.writeFileSync(manifestFile, result.manifest);
  fs.writeFileSync(nlsFile, `${JSON.stringify(result.nls, null, 2)}\n`);
  console.log(`${result.moved} string(s) moved to ${path.basename(nlsFile)}; ${Object.keys(result.nls).length} entries in all`);
}

if (require.main === module) main(process.argv.slice(2));
