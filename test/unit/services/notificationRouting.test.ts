import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, tsFilesUnder } from '../helpers/vscodeImports';

/** VS Code calls that render `[label](command:…)` in their text; only src/services/notifications.ts may make them. */
const LINKING_CALLS = /\bwindow\s*\.\s*show(?:Information|Warning|Error)Message\b|\bProgressLocation\s*\.\s*Notification\b/;

describe('every notification goes through src/services/notifications.ts', () => {
  it('the detector finds the calls that render links', () => {
    assert.ok(LINKING_CALLS.test('void vscode.window.showWarningMessage(`x ${name}`);'));
    assert.ok(LINKING_CALLS.test('window.showErrorMessage(message)'));
    assert.ok(LINKING_CALLS.test('vscode.window\n  .showInformationMessage(text)'));
    assert.ok(LINKING_CALLS.test('{ location: vscode.ProgressLocation.Notification, title }'));
    assert.ok(!LINKING_CALLS.test('showWarning(`x ${name}`)'));
    assert.ok(!LINKING_CALLS.test('{ location: vscode.ProgressLocation.Window, title }'));
  });

  it('no other file under src shows a message or a progress notification itself', () => {
    const src = path.join(repoRoot(__dirname), 'src');
    const files = tsFilesUnder(src);
    assert.ok(files.length >= 50, `only ${files.length} files under ${src}`);
    const gate = path.join(src, 'services', 'notifications.ts');
    assert.ok(LINKING_CALLS.test(fs.readFileSync(gate, 'utf8')), 'the gate itself is found');
    const offenders = files.filter((f) => f !== gate && LINKING_CALLS.test(fs.readFileSync(f, 'utf8')));
    assert.deepEqual(offenders.map((f) => path.relative(src, f)), []);
  });
});
