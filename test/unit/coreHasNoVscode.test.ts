import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { importsVscode, repoRoot, tsFilesUnder } from './helpers/vscodeImports';

describe('src/core stays free of vscode', () => {
  it('the detector finds every way of importing vscode', () => {
    assert.equal(importsVscode("import * as vscode from 'vscode';"), true);
    assert.equal(importsVscode('import { window } from "vscode";'), true);
    assert.equal(importsVscode("import type { Uri } from 'vscode';"), true);
    assert.equal(importsVscode("import 'vscode';"), true);
    assert.equal(importsVscode("export { Uri } from 'vscode';"), true);
    assert.equal(importsVscode("const vscode = require('vscode');"), true);
    assert.equal(importsVscode("import vscode = require( 'vscode' );"), true);
    assert.equal(importsVscode("const v = await import('vscode');"), true);
  });

  it('the detector leaves other imports alone', () => {
    assert.equal(importsVscode("import * as fs from 'node:fs';"), false);
    assert.equal(importsVscode("import { x } from './vscodeLike';"), false);
    assert.equal(importsVscode("import { y } from 'vscode-jsonrpc';"), false);
    assert.equal(importsVscode('// talks to the vscode API only through interfaces'), false);
  });

  it('no file under src/core imports or requires vscode', () => {
    const core = path.join(repoRoot(__dirname), 'src', 'core');
    const files = tsFilesUnder(core);
    assert.ok(files.some((f) => f.endsWith(path.join('dataset', 'datasetIndex.ts'))), `scanned ${core}`);
    assert.ok(files.length >= 5, `only ${files.length} files under ${core}`);
    const offenders = files.filter((f) => importsVscode(fs.readFileSync(f, 'utf8')));
    assert.deepEqual(offenders.map((f) => path.relative(core, f)), []);
  });
});
