// Restricted mode: tag autocomplete reads a booru tag list only from inside the dataset folder.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImageCaptionerApi } from '../../../src/extension';
import { activateExtension, waitFor } from '../extensionApi';

describe('untrusted workspace: tag autocomplete list', function () {
  this.timeout(30_000);
  let api: ImageCaptionerApi;
  let outside: string;
  let inside: string;
  const LIST = 'long_hair,0,5000,"longhair"\n';
  const useList = async (file: string | undefined): Promise<void> => {
    await vscode.workspace.getConfiguration('imageCaptioner').update('tagComplete.file', file, vscode.ConfigurationTarget.Global);
    await waitFor(() => vscode.workspace.getConfiguration('imageCaptioner').get<string>('tagComplete.file', '') === (file ?? ''), 'the setting read');
  };

  before(async () => {
    api = await activateExtension();
    outside = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ic-tags-untrusted-')), 'tags.csv');
    fs.writeFileSync(outside, LIST);
    inside = path.join(api.dataset.rootPath!, 'tags-untrusted.csv');
    fs.writeFileSync(inside, LIST);
  });

  after(async () => {
    await useList(undefined);
    fs.rmSync(path.dirname(outside), { recursive: true, force: true });
    fs.rmSync(inside, { force: true });
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('leaves out a list outside the dataset and reads one inside it', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    await useList(outside);
    assert.deepEqual(await api.tagCompletion.suggest('longha', 5), [], 'a list outside the dataset was read');
    await useList(inside);
    assert.deepEqual(await api.tagCompletion.suggest('longha', 5), [{ tag: 'long hair', count: 5000, source: 'list', alias: 'longhair', category: 0 }]);
  });
});
