// The Explore panel knows the curation of the images: the filter language's rating and caption2: terms
// match the ratings file and the second captions, and the gallery cards show the stars and the second caption.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImageCaptionerApi } from '../../src/extension';
import { activateExtension, closeAllEditors, waitFor } from './extensionApi';
import { hasBrowser, screenshot } from './browser';
import { boxSelectAll, openExplore } from './exploreHarness';

/** An image no other suite rates or gives a second caption. */
const IMAGE = 'objects/house.png';
const SECOND = 'a second caption: roof <b>and</b> chimney';

describe('explore panel: ratings and second captions', function () {
  this.timeout(180_000);
  let api: ImageCaptionerApi;
  let imagePath: string;
  let secondPath: string;
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('imageCaptioner');

  before(async function () {
    if (!hasBrowser()) this.skip();
    api = await activateExtension();
    await closeAllEditors();
    imagePath = path.join(api.dataset.index!.rootPath, ...IMAGE.split('/'));
    secondPath = imagePath.replace(/\.png$/, '.tags.txt');
    fs.writeFileSync(secondPath, `${SECOND}\n`);
    await config().update('secondCaption.extension', '.tags.txt', vscode.ConfigurationTarget.Global);
    await waitFor(() => api.dataset.state === 'ready' && api.dataset.index?.options.secondCaptionExtension === '.tags.txt', 'the dataset re-indexed with second captions', 30_000);
    await api.ratings.rate([imagePath], 5);
  });

  after(async () => {
    if (!api) return;
    api.explore.panel?.dispose();
    await api.ratings.rate([imagePath], 0);
    await config().update('secondCaption.extension', undefined, vscode.ConfigurationTarget.Global);
    await waitFor(() => api.dataset.state === 'ready' && !api.dataset.index?.options.secondCaptionExtension, 'the dataset re-indexed without second captions', 30_000);
    fs.rmSync(secondPath, { force: true });
    await closeAllEditors();
  });

  it('rating>=4 and caption2: find the rated image with its second caption; its card shows the stars and the second caption as text, and follows a new rating', async () => {
    const frame = await openExplore(api);
    await boxSelectAll(frame);
    /** Types a query in the filter language and waits until the count says `expected` of the layout's items match. */
    const query = async (text: string, expected: number): Promise<void> => {
      await frame.locator('#filter-mode').evaluate((s) => {
        (s as unknown as { value: string }).value = 'query';
        s.dispatchEvent(new Event('change'));
      });
      await frame.locator('#filter').evaluate((f, t) => {
        (f as unknown as { value: string }).value = t;
        f.dispatchEvent(new Event('input'));
      }, text);
      await waitFor(async () => ((await frame.locator('#filter-count').textContent()) ?? '').startsWith(`${expected} of `), `${expected} matches for ${text}`, 30_000);
    };
    const total = api.explore.panel!.shownLayout!.items.relPaths.length;
    await query('rating>=4', 1);
    await query('caption2:chimney', 1);
    await query('rating=0', total - 1);
    await query('caption2:chimney rating:5', 1);
    await frame.locator('#select-matches').click();
    const card = frame.locator('#gallery .gallery-card[data-index]:not([hidden])').filter({ has: frame.locator('.gallery-name', { hasText: IMAGE }) });
    await waitFor(async () => (await card.count()) === 1, 'the card of the rated image', 30_000).catch(async (err: Error) => {
      const shown = await frame.locator('#gallery .gallery-card[data-index]:not([hidden]) .gallery-name').allTextContents();
      throw new Error(`${err.message}; the gallery shows ${shown.length} card(s): ${shown.slice(0, 5).join(', ')}; ${await frame.locator('#filter-count').textContent()}; ${await frame.locator('#group-title').textContent()}`);
    });
    assert.equal(await card.locator('.gallery-stars').textContent(), '★★★★★');
    assert.equal(await card.locator('.gallery-caption2').textContent(), SECOND, 'the second caption as text');
    assert.equal(await card.locator('.gallery-caption2 b').count(), 0, 'never markup');
    assert.equal(await frame.locator('#gallery .gallery-card[data-index]:not([hidden])').count(), 1, 'only the match is in the gallery');
    await screenshot('explore-curation');
    // a rating made while the layout is shown: the card and the filter follow without a new run
    await api.ratings.rate([imagePath], 3);
    await waitFor(async () => (await card.locator('.gallery-stars').textContent()) === '★★★', 'the card shows the new stars', 30_000);
    await waitFor(async () => ((await frame.locator('#filter-count').textContent()) ?? '').startsWith('0 of '), 'rating:5 matches nothing now', 30_000);
    // a second caption changed on disk while the layout is shown: the card and a caption2: filter follow too
    await query('caption2:chimney', 1);
    fs.writeFileSync(secondPath, 'now a <i>garden</i> shed\n');
    await waitFor(async () => (await card.locator('.gallery-caption2').textContent()) === 'now a <i>garden</i> shed', 'the card shows the new second caption', 30_000);
    assert.equal(await card.locator('.gallery-caption2 i').count(), 0, 'never markup');
    await waitFor(async () => ((await frame.locator('#filter-count').textContent()) ?? '').startsWith('0 of '), 'caption2:chimney matches nothing now', 30_000);
    await query('caption2:garden', 1);
  });
});
