/**
 * The Gallery app in headless Chromium under the webview CSP (test/fixtures/galleryPage.ts): the
 * grid keeps a few rows of cards for 100,000 images, clicks and keys select as in a file manager
 * and the selection reaches the host as indices, and the shared-tags pane shows tags as text and
 * asks for one action per button.
 */
import * as assert from 'node:assert/strict';
import { openGalleryPage, type GalleryPage, type Posted } from '../../fixtures/galleryPage';

const HOSTILE = '<img src=x onerror="window.pwned=1">';

describe('gallery app in Chromium under the webview CSP', function () {
  this.timeout(90_000);
  let gallery: GalleryPage;

  /** The indices of the latest selection the app posted, once it settled. */
  const lastSelection = async (): Promise<number[]> => {
    const before = (await gallery.posted()).filter((m) => m.type === 'select').length;
    await gallery.page.waitForTimeout(150); // the app sends a selection once clicks settle (60 ms)
    const selects = (await gallery.posted()).filter((m): m is Posted & { indices: number[] } => m.type === 'select');
    assert.ok(selects.length >= before, 'selections only accumulate');
    return selects[selects.length - 1].indices;
  };
  const card = (i: number) => gallery.page.locator(`#grid .grid-card[data-index="${i}"]`);

  before(async () => {
    gallery = await openGalleryPage();
  });
  after(async () => {
    await gallery.close();
    assert.deepEqual(gallery.violations, [], 'nothing the page did was refused by the CSP');
    assert.deepEqual(gallery.errors, []);
  });

  it('renders the first rows of 100,000 thumbnails, only a few dozen cards in the DOM, and keeps it so while scrolling', async () => {
    await gallery.showItems(100_000);
    await card(0).waitFor();
    const rendered = await gallery.page.locator('#grid .grid-card:not([hidden])').count();
    assert.ok(rendered > 10 && rendered < 150, `${rendered} cards in the DOM`);
    assert.equal(await card(0).locator('.grid-label').textContent(), 'tag 0, common, tag 0');
    assert.match((await card(0).locator('img').getAttribute('src')) ?? '', /\/img\/img0\.jpg$/);
    await gallery.page.locator('#grid').evaluate((g) => (g.scrollTop = g.scrollHeight / 2));
    await gallery.page.waitForTimeout(100);
    const visible = await gallery.page.locator('#grid .grid-card:not([hidden])').evaluateAll((cards) => cards.map((c) => Number(c.getAttribute('data-index'))));
    assert.ok(visible.length < 150, `${visible.length} cards after scrolling`);
    assert.ok(Math.min(...visible) > 40_000 && Math.max(...visible) < 60_000, `the middle of the list is shown (${Math.min(...visible)}..${Math.max(...visible)})`);
  });

  it('selects with click, Shift+click (a range), Ctrl+click (toggle), Ctrl+A and invert, and posts the indices', async () => {
    await gallery.showItems(500);
    await card(2).click();
    assert.deepEqual(await lastSelection(), [2]);
    await card(6).click({ modifiers: ['Shift'] });
    assert.deepEqual(await lastSelection(), [2, 3, 4, 5, 6]);
    assert.equal(await gallery.page.locator('#grid .grid-card.selected').count(), 5);
    await card(4).click({ modifiers: ['Control'] });
    assert.deepEqual(await lastSelection(), [2, 3, 5, 6]);
    await gallery.page.keyboard.press('Control+a');
    assert.equal((await lastSelection()).length, 500);
    assert.equal(await gallery.page.locator('#selection-count').textContent(), '500 selected');
    await card(0).click();
    await gallery.page.locator('#invert-selection').click();
    const inverted = await lastSelection();
    assert.equal(inverted.length, 499);
    assert.ok(!inverted.includes(0));
  });

  it('restores the selection the host keeps when the webview reloads (as it does after being hidden)', async () => {
    await gallery.showItems(50, undefined, [3, 4, 40]);
    await card(3).waitFor();
    assert.deepEqual(await lastSelection(), [3, 4, 40]);
    assert.equal(await gallery.page.locator('#grid .grid-card.selected').count(), 3);
    await gallery.page.keyboard.press('Shift+ArrowRight');
    assert.deepEqual(await lastSelection(), [3, 4], 'the focus and anchor are on the first kept item');
    const saved = await gallery.page.evaluate(() => (globalThis as unknown as { savedState?: unknown }).savedState);
    assert.deepEqual(saved, { thumb: 160, scope: { kind: 'folder', relPath: 'test' }, selected: ['img3.jpg', 'img4.jpg'], target: 'caption' }, 'the state a reload brings the panel back with');
  });

  it('moves the focus with the arrows (Shift extends), opens with Enter, rates with 0-5 and trashes with Delete', async () => {
    await gallery.showItems(500);
    await card(0).click();
    await gallery.page.keyboard.press('ArrowRight');
    assert.deepEqual(await lastSelection(), [1]);
    await gallery.page.keyboard.press('Shift+ArrowRight');
    await gallery.page.keyboard.press('Shift+ArrowRight');
    assert.deepEqual(await lastSelection(), [1, 2, 3]);
    const columns = await gallery.page.locator('#grid .grid-card:not([hidden])').evaluateAll((cards) => new Set(cards.map((c) => (c as unknown as { style: { transform: string } }).style.transform.split(',')[0])).size);
    await gallery.page.keyboard.press('ArrowDown');
    assert.deepEqual(await lastSelection(), [3 + columns], 'Down moves one row');
    await gallery.page.keyboard.press('Enter');
    await gallery.page.keyboard.press('4');
    await gallery.page.keyboard.press('Delete');
    const tail = (await gallery.posted()).filter((m) => m.type !== 'select').slice(-3);
    assert.deepEqual(tail, [{ type: 'open', index: 3 + columns }, { type: 'rate', stars: 4 }, { type: 'trash' }]);
  });

  it('shows shared tags as text and asks for one action per button', async () => {
    await gallery.showItems(10);
    await card(1).click();
    const revision = (await gallery.posted()).filter((m) => m.type === 'select').length + 1000;
    await gallery.send({ type: 'sharedTags', revision, tags: { selected: 3, tagCaptions: 3, prose: 0, all: ['ohwx', HOSTILE, 'smile'], some: [{ tag: 'red hair', count: 2 }] } });
    const tags = gallery.page.locator('#shared-all .shared-tag');
    await tags.first().waitFor();
    assert.deepEqual(await tags.allTextContents(), ['ohwx', HOSTILE, 'smile']);
    assert.equal(await gallery.page.evaluate(() => (globalThis as unknown as { pwned?: number }).pwned), undefined);
    await gallery.page.locator(`#shared-all .shared-row[data-tag="smile"] button[data-action="up"]`).click();
    await gallery.send({ type: 'actionDone', outcome: 'applied' });
    await gallery.page.locator(`#shared-all .shared-row[data-tag="ohwx"] button[data-action="remove"]`).click();
    await gallery.send({ type: 'actionDone', outcome: 'applied' });
    await gallery.page.locator(`#shared-some .shared-row[data-tag="red hair"] button[data-action="add-all"]`).click();
    await gallery.send({ type: 'actionDone', outcome: 'declined' });
    await gallery.page.locator('#shared-add-input').fill('trigger, style');
    await gallery.page.locator('#shared-add-where').selectOption('start');
    await gallery.page.locator('#shared-add-button').click();
    const actions = (await gallery.posted()).filter((m) => m.type === 'tagAction').map((m) => m.action);
    assert.deepEqual(actions, [
      { kind: 'reorder', order: ['ohwx', 'smile', HOSTILE] },
      { kind: 'remove', tag: 'ohwx' },
      { kind: 'add', tags: 'red hair', position: 'end' },
      { kind: 'add', tags: 'trigger, style', position: 'start' },
    ]);
    assert.ok(await gallery.page.locator('#shared-add-button').isDisabled(), 'buttons wait while the host runs an action');
  });

  it('marks cards that break tag rules with a badge whose title names the rules, as text', async () => {
    await gallery.showItems(20, undefined, [], { 1: `"${HOSTILE}" is a banned tag (tag rules).`, 3: 'Required tag "ohwx" is missing (tag rules).\n"nsfw" is a banned tag (tag rules).' });
    await card(3).waitFor();
    const badge = (i: number) => card(i).locator('.grid-rule-badge');
    assert.ok(await badge(0).isHidden(), 'a caption within the rules has no badge');
    assert.ok(await badge(1).isVisible());
    assert.equal(await badge(1).getAttribute('title'), `"${HOSTILE}" is a banned tag (tag rules).`);
    assert.equal(await badge(3).getAttribute('title'), 'Required tag "ohwx" is missing (tag rules).\n"nsfw" is a banned tag (tag rules).');
    assert.equal(await gallery.page.evaluate(() => (globalThis as unknown as { pwned?: number }).pwned), undefined);
    await gallery.send({ type: 'captionChanged', index: 1, text: 'fixed', ruleNote: '' });
    await gallery.page.waitForFunction(() => (globalThis as unknown as { document: { querySelector(s: string): { hidden: boolean } | null } }).document.querySelector('#grid .grid-card[data-index="1"] .grid-rule-badge')?.hidden === true);
    await gallery.send({ type: 'captionChanged', index: 0, text: 'nsfw', ruleNote: '"nsfw" is a banned tag (tag rules).' });
    await badge(0).waitFor({ state: 'visible' });
  });

  it('marks banned tags in the pane and fixes banned and missing required tags in one click each', async () => {
    await gallery.send({ type: 'actionDone', outcome: 'applied' }); // the test before left an action running
    await gallery.showItems(10);
    await card(1).click();
    const revision = (await gallery.posted()).filter((m) => m.type === 'select').length + 2000;
    const rules = { banned: [{ tag: 'NSFW', count: 2 }], missing: [{ tag: 'ohwx', count: 1 }] };
    await gallery.send({ type: 'sharedTags', revision, tags: { selected: 3, tagCaptions: 3, prose: 0, all: ['smile'], some: [{ tag: 'nsfw', count: 2 }] }, rules });
    await gallery.page.locator('#shared-rules .rule-banned').waitFor();
    assert.deepEqual(await gallery.page.locator('#shared-some .shared-row.banned').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-tag'))), ['nsfw'], 'the banned tag is marked whatever its case');
    assert.equal(await gallery.page.locator('#shared-all .shared-row.banned').count(), 0);
    assert.deepEqual(await gallery.page.locator('#shared-rules .shared-row').evaluateAll((rows) => rows.map((r) => r.textContent)), ['NSFWbanned2/3 have it✕', 'ohwxmissing1/3 lack it+']);
    await gallery.page.locator('#shared-rules .rule-banned button[data-action="remove-banned"]').click();
    await gallery.send({ type: 'actionDone', outcome: 'applied' });
    await gallery.page.locator('#shared-rules .rule-missing button[data-action="add-required"]').click();
    const actions = (await gallery.posted()).filter((m) => m.type === 'tagAction').map((m) => m.action);
    assert.deepEqual(actions.slice(-2), [
      { kind: 'ruleFix', rule: 'banned-tag', tag: 'NSFW' },
      { kind: 'ruleFix', rule: 'missing-required-tag', tag: 'ohwx' },
    ]);
    await gallery.send({ type: 'actionDone', outcome: 'applied' });
    await gallery.send({ type: 'sharedTags', revision: revision + 1, tags: { selected: 3, tagCaptions: 3, prose: 0, all: ['smile'], some: [] }, rules: { banned: [], missing: [] } });
    await gallery.page.locator('#shared-rules').waitFor({ state: 'hidden' });
  });

  it('completes the tag being typed in the shared-tags input: Down picks, Tab accepts, Enter accepts without adding, then Enter adds', async () => {
    await gallery.send({ type: 'actionDone', outcome: 'applied' });
    await gallery.page.locator('#shared-add-where').selectOption('end');
    const input = gallery.page.locator('#shared-add-input');
    await input.fill('');
    await input.pressSequentially('trigger, sm');
    const asks = await waitForPosted((m) => m.type === 'completeTag' && (m as { typed?: string }).typed === 'sm');
    const id = (asks as { id?: number }).id;
    await gallery.send({ type: 'tagSuggestions', id: -1, suggestions: [{ tag: 'stale', count: 1, source: 'dataset' }] });
    await gallery.send({ type: 'tagSuggestions', id, suggestions: [{ tag: 'smile', count: 120, source: 'dataset' }, { tag: 'smirk', count: 3, source: 'list', alias: 'sm' }] });
    const rows = gallery.page.locator('#tag-suggestions .tag-suggestion');
    await rows.first().waitFor();
    assert.deepEqual(await rows.allTextContents(), ['smile120', 'smirk ← sm3 (list)'], 'the stale answer is ignored; suggestions are text');
    await gallery.page.keyboard.press('ArrowDown');
    await gallery.page.keyboard.press('Tab');
    assert.equal(await input.inputValue(), 'trigger, smirk, ');
    assert.ok(await input.evaluate((e) => e === (e as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement), 'Tab stayed in the input');
    assert.ok(await gallery.page.locator('#tag-suggestions').isHidden());
    await input.pressSequentially('blu');
    const second = await waitForPosted((m) => m.type === 'completeTag' && (m as { typed?: string }).typed === 'blu');
    await gallery.send({ type: 'tagSuggestions', id: (second as { id?: number }).id, suggestions: [{ tag: 'blue eyes', count: 9, source: 'dataset' }] });
    await rows.first().waitFor();
    const before = (await gallery.posted()).filter((m) => m.type === 'tagAction').length;
    await gallery.page.keyboard.press('Enter');
    assert.equal(await input.inputValue(), 'trigger, smirk, blue eyes, ');
    assert.equal((await gallery.posted()).filter((m) => m.type === 'tagAction').length, before, 'Enter on a suggestion accepts it, it adds nothing');
    await gallery.page.keyboard.press('Enter');
    const actions = (await gallery.posted()).filter((m) => m.type === 'tagAction').map((m) => m.action);
    assert.deepEqual(actions.slice(before), [{ kind: 'add', tags: 'trigger, smirk, blue eyes,', position: 'end' }]);
  });

  /** The latest posted message that `match` accepts, waited for. */
  async function waitForPosted(match: (m: Posted) => boolean): Promise<Posted> {
    for (let i = 0; i < 50; i++) {
      const found = (await gallery.posted()).filter(match);
      if (found.length) return found[found.length - 1];
      await gallery.page.waitForTimeout(100);
    }
    throw new Error('the app never posted the message');
  }
});
