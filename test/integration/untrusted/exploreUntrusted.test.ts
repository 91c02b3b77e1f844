// The Explore panel in a folder that is not trusted: built-in clustering works, model sources and
// model actions are off, and the host refuses a model action even if the webview sends one.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ImageCaptionerApi } from '../../../src/extension';
import { activateExtension, closeAllEditors, waitFor } from '../extensionApi';
import { hasBrowser, screenshot } from '../browser';
import { boxSelectAll, openExplore, plotSummary } from '../exploreHarness';

describe('untrusted workspace: explore panel', function () {
  this.timeout(120_000);
  let api: ImageCaptionerApi;

  before(async function () {
    if (!hasBrowser()) this.skip();
    api = await activateExtension();
  });

  after(async () => {
    api?.explore.panel?.dispose();
    await closeAllEditors();
  });

  it('clusters captions with the built-in source, offers no model source and refuses model actions', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const frame = await openExplore(api);
    const images = api.dataset.index!.size;
    await waitFor(async () => (await plotSummary(frame)).points === images, `${images} points in the plot`);
    // every model source is listed but disabled; the built-in one is chosen
    const options = await frame.locator('#source vscode-option').evaluateAll((nodes) => nodes.map((n) => ({ value: n.getAttribute('value'), disabled: n.hasAttribute('disabled') })));
    assert.ok(options.some((o) => o.value === 'builtin' && !o.disabled), JSON.stringify(options));
    const models = options.filter((o) => o.value !== 'builtin');
    assert.ok(models.length > 0 && models.every((o) => o.disabled), `model sources disabled: ${JSON.stringify(options)}`);
    await boxSelectAll(frame);
    await waitFor(async () => (await frame.locator('#group-title').textContent())?.includes(`Selection · ${images} items`), 'the selection');
    assert.equal(await frame.locator('#action-findReplace').evaluate((b) => b.hasAttribute('disabled')), false, 'bulk edits stay on');
    assert.equal(await frame.locator('#action-caption').evaluate((b) => b.hasAttribute('disabled')), true, 'captioning with a model is off');
    assert.equal(await frame.locator('#action-clipScore').evaluate((b) => b.hasAttribute('disabled')), true, 'CLIP score is off');
    // a webview that sends the action anyway is refused by the host, with the reason shown
    await frame.locator('#action-caption').evaluate((b) => b.removeAttribute('disabled'));
    await frame.locator('#action-caption').click();
    await waitFor(async () => /not trusted/.test((await frame.locator('#error').textContent()) ?? ''), 'the refusal in the panel');
    await screenshot('explore-untrusted');
  });
});
