import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { manifestStrings, nlsReference } from '../../scripts/manifestStrings';
import { localizeManifest } from '../../scripts/localizeManifest';

const ROOT = path.resolve(__dirname, '../../..');
const manifestText = fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8');
const nlsFile = path.join(ROOT, 'package.nls.json');

describe('the manifest is localizable: every user-visible string is a %key% of package.nls.json', () => {
  const nls = fs.existsSync(nlsFile) ? (JSON.parse(fs.readFileSync(nlsFile, 'utf8')) as Record<string, string>) : {};

  it('titles, descriptions, setting texts, views, welcome content and the walkthrough are all %key% references', () => {
    const strings = manifestStrings(JSON.parse(manifestText));
    assert.ok(strings.length > 150, `${strings.length} strings found: the walk must see the commands and settings`);
    const literal = strings.filter((s) => nlsReference(s.value) === undefined).map((s) => `${s.path.join('.')}: ${JSON.stringify(s.value.slice(0, 40))}`);
    assert.deepEqual(literal, [], 'run `node out/scripts/localizeManifest.js` after `node esbuild.mjs`');
  });

  it('every %key% of the manifest has a non-empty entry, and no entry is unused', () => {
    const used = new Set([...manifestText.matchAll(/"%([^%"\s]+)%"/g)].map((m) => m[1]));
    const missing = [...used].filter((key) => typeof nls[key] !== 'string' || nls[key].trim() === '');
    assert.deepEqual(missing, []);
    assert.deepEqual(Object.keys(nls).filter((key) => !used.has(key)), []);
  });

  it('localizeManifest moves literals only, keeps the rest of the file byte for byte, and resolves to the same texts', () => {
    const sample = '{\n  "displayName": "Demo",\n  "contributes": {\n    "commands": [\n      { "command": "demo.a", "title": "Do A", "category": "Demo" },\n      { "command": "demo.b", "title": "%demo.b.title%", "category": "Demo" }\n    ],\n    "configuration": { "properties": { "demo.x": { "type": "string", "enum": ["p", "q"], "enumDescriptions": ["P \\"quoted\\"", "Q"], "description": "X" } } }\n  }\n}\n';
    const { manifest, nls: entries, moved } = localizeManifest(sample, { 'demo.b.title': 'Do B' });
    assert.equal(moved, 7, "both categories count: each place is replaced");
    assert.deepEqual(entries, { 'demo.b.title': 'Do B', displayName: 'Demo', 'demo.a.title': 'Do A', category: 'Demo', 'demo.x.description': 'X', 'demo.x.enumDescriptions.0': 'P "quoted"', 'demo.x.enumDescriptions.1': 'Q' });
    const resolved = JSON.parse(manifest.replace(/"%([^%"]+)%"/g, (_, key: string) => JSON.stringify((entries as Record<string, string>)[key])));
    assert.deepEqual(resolved, JSON.parse(sample.replace('"%demo.b.title%"', '"Do B"')));
    assert.equal(manifest.split('\n').length, sample.split('\n').length, 'formatting kept');
    assert.equal(localizeManifest(manifest, entries).moved, 0, 'a second run changes nothing');
  });
});
