// The region editor in a real VS Code, driven through the browser: drawing, saving, undo, bad
// sidecars and grounded boxes (segment / describe / fuse: regionEditorServices.test.ts).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { decodeRle } from '../../src/core/regions/cocoRle';
import type { RegionsSidecar } from '../../src/core/regions/regionsSidecar';
import { closeAllEditors, waitFor } from './extensionApi';
import { screenshot, webviewFrame } from './browser';
import { at, click, drag, HEIGHT, newImage, openRegions, page, readSidecar, regionTabs, rows, useRegionEditorSuite, WIDTH } from './regionEditorHarness';

describe('region editor', function () {
  useRegionEditorSuite('region-editor-test');

  it('a dragged rectangle is saved to the sidecar with the dragged box, and undo removes it', async () => {
    const { image, sidecar } = await newImage();
    const frame = await openRegions(image);
    assert.equal(fs.existsSync(sidecar), false, 'opening the editor creates no file');
    await frame.locator('#tool-rect').click();
    await drag(frame, [0.2, 0.3], [0.6, 0.8]);
    await waitFor(async () => (await rows(frame).count()) === 1, 'one region in the list');
    await waitFor(() => regionTabs()[0]?.isDirty, 'the editor dirty');
    assert.equal(fs.existsSync(sidecar), false, 'nothing written before saving');
    await screenshot('region-editor-rectangle');
    await vscode.commands.executeCommand('workbench.action.files.save');
    await waitFor(() => fs.existsSync(sidecar), 'the sidecar created by the save');
    const saved = readSidecar(sidecar);
    assert.deepEqual(saved.image, { width: WIDTH, height: HEIGHT });
    assert.equal(saved.regions.length, 1);
    const [region] = saved.regions;
    assert.equal(region.kind, 'box');
    assert.equal(region.source, 'user');
    // one screen pixel of the fitted image is at most ~1/WIDTH of the image
    const expected = [0.2, 0.3, 0.4, 0.5];
    region.bbox.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 0.02, `bbox[${i}] ${v} vs ${expected[i]} (${JSON.stringify(region.bbox)})`));
    await waitFor(() => regionTabs()[0]?.isDirty === false, 'clean after saving');

    await vscode.commands.executeCommand('undo');
    await waitFor(async () => (await rows(frame).count()) === 0, 'the region gone from the list after undo');
    await vscode.commands.executeCommand('workbench.action.files.save');
    await waitFor(() => readSidecar(sidecar).regions.length === 0, 'the undo saved: no regions on disk');
    await vscode.commands.executeCommand('redo');
    await waitFor(async () => (await rows(frame).count()) === 1, 'redo brings it back');
    // the keys work from inside the webview too
    await click(frame, 0.9, 0.1);
    await page.keyboard.press('Control+z');
    await waitFor(async () => (await rows(frame).count()) === 0, 'Ctrl+Z in the editor undid it');
    await page.keyboard.press('Control+Shift+z');
    await waitFor(async () => (await rows(frame).count()) === 1, 'Ctrl+Shift+Z in the editor redid it');
  });

  it('a polygon closes on its first point and is saved with its points', async () => {
    const { image, sidecar } = await newImage();
    const frame = await openRegions(image);
    await frame.locator('#tool-polygon').click();
    const points: Array<[number, number]> = [[0.1, 0.1], [0.5, 0.15], [0.45, 0.6], [0.15, 0.5]];
    for (const p of points) await click(frame, ...p);
    await click(frame, ...points[0]);
    await waitFor(async () => (await rows(frame).count()) === 1, 'the polygon in the list');
    await vscode.commands.executeCommand('workbench.action.files.save');
    await waitFor(() => fs.existsSync(sidecar), 'the sidecar');
    const [region] = readSidecar(sidecar).regions;
    assert.equal(region.kind, 'polygon');
    assert.equal(region.points!.length, 4);
    region.points!.forEach(([x, y], i) => assert.ok(Math.abs(x - points[i][0]) < 0.02 && Math.abs(y - points[i][1]) < 0.02, `point ${i}: ${x},${y}`));
    assert.ok(Math.abs(region.bbox[0] - 0.1) < 0.02 && Math.abs(region.bbox[2] - 0.4) < 0.02, `bbox ${JSON.stringify(region.bbox)}`);

    // Escape drops a polygon in progress; Enter closes one
    await click(frame, 0.6, 0.6);
    await click(frame, 0.9, 0.6);
    await page.keyboard.press('Escape');
    await click(frame, 0.6, 0.7);
    await click(frame, 0.9, 0.7);
    await click(frame, 0.8, 0.9);
    await page.keyboard.press('Enter');
    await waitFor(async () => (await rows(frame).count()) === 2, 'the second polygon closed with Enter');
    // a vertex of the selected polygon is a handle
    await frame.locator('#tool-select').click();
    await drag(frame, [0.9, 0.7], [0.95, 0.95]);
    await vscode.commands.executeCommand('workbench.action.files.save');
    await waitFor(() => readSidecar(sidecar).regions.length === 2 && regionTabs()[0]?.isDirty === false, 'saved');
    const second = readSidecar(sidecar).regions[1];
    assert.equal(second.points!.length, 3, 'the Escaped points are not in it');
    assert.ok(Math.abs(second.points![1][0] - 0.95) < 0.02 && Math.abs(second.points![1][1] - 0.95) < 0.02, `vertex moved: ${JSON.stringify(second.points)}`);
    assert.ok(Math.abs(second.bbox[3] - 0.25) < 0.02, `the box follows the points: ${JSON.stringify(second.bbox)}`);
  });

  it('edits: a box drawn past the edge is clipped, resized by a handle, duplicated, deleted; a degenerate one is refused', async () => {
    const { image, sidecar } = await newImage();
    const frame = await openRegions(image);
    // zoomed out, the stage has room around the image on every side to start a drag outside it
    const fitted = (await frame.locator('img.image').boundingBox())!;
    await click(frame, 0.5, 0.5);
    await page.keyboard.press('-');
    await waitFor(async () => (await frame.locator('img.image').boundingBox())!.width < fitted.width * 0.9, 'zoomed out with -');
    await frame.locator('#tool-rect').click();
    await drag(frame, [0.1, -0.1], [0.3, 0.2]);
    await waitFor(async () => (await rows(frame).count()) === 1, 'the box');
    await frame.locator('#tool-select').click();
    await drag(frame, [0.3, 0.2], [0.5, 0.4]);
    await vscode.commands.executeCommand('workbench.action.files.save');
    await waitFor(() => fs.existsSync(sidecar), 'saved');
    const resized = readSidecar(sidecar).regions[0].bbox;
    [0.1, 0, 0.4, 0.4].forEach((v, i) => assert.ok(Math.abs(resized[i] - v) < 0.02, `clipped to the top edge and resized: ${JSON.stringify(resized)}`));
    await page.keyboard.press('Control+d');
    await waitFor(async () => (await rows(frame).count()) === 2, 'Ctrl+D duplicated it');
    await page.keyboard.press('Delete');
    await waitFor(async () => (await rows(frame).count()) === 1, 'Delete removed the selected copy');
    await frame.locator('#tool-rect').click();
    await drag(frame, [0.7, 0.2], [0.7, 0.6]);
    await waitFor(async () => /zero area/.test((await frame.locator('#notice').textContent()) ?? ''), 'the refusal says why');
    assert.equal(await rows(frame).count(), 1);
    await vscode.commands.executeCommand('workbench.action.files.save');
    await waitFor(() => readSidecar(sidecar).regions.length === 1 && regionTabs()[0]?.isDirty === false, 'saved');
    assert.deepEqual(readSidecar(sidecar).regions[0].bbox, resized, 'the original stayed where it was');
  });

  it('brush and eraser paint a mask region that is saved as COCO RLE', async () => {
    const { image, sidecar } = await newImage();
    const frame = await openRegions(image);
    await frame.locator('#tool-brush').click();
    await drag(frame, [0.2, 0.5], [0.8, 0.5]);
    await frame.locator('#tool-eraser').click();
    await click(frame, 0.5, 0.5);
    await page.keyboard.press('Enter');
    await waitFor(async () => (await rows(frame).count()) === 1, 'the mask kept with Enter');
    await vscode.commands.executeCommand('workbench.action.files.save');
    await waitFor(() => fs.existsSync(sidecar), 'saved');
    const [region] = readSidecar(sidecar).regions;
    assert.equal(region.kind, 'mask');
    assert.equal(typeof region.rle!.counts, 'string');
    assert.deepEqual(region.rle!.size, [HEIGHT, WIDTH], 'a small image is masked at full resolution');
    const mask = decodeRle(region.rle!);
    const pixel = (nx: number, ny: number): number => mask.data[Math.floor(ny * HEIGHT) * WIDTH + Math.floor(nx * WIDTH)];
    assert.equal(pixel(0.3, 0.5), 1, 'painted');
    assert.equal(pixel(0.7, 0.5), 1, 'painted');
    assert.equal(pixel(0.5, 0.5), 0, 'erased');
    assert.equal(pixel(0.3, 0.1), 0, 'never painted');
    assert.ok(region.bbox[0] > 0.15 && region.bbox[0] < 0.2 && region.bbox[2] > 0.6 && region.bbox[2] < 0.7, `bbox from the mask: ${JSON.stringify(region.bbox)}`);

    // painting with a mask selected adds to that mask
    await frame.locator('#tool-select').click();
    await click(frame, 0.3, 0.5);
    await frame.locator('#tool-brush').click();
    await drag(frame, [0.3, 0.2], [0.3, 0.45]);
    await page.keyboard.press('Enter');
    await waitFor(() => regionTabs()[0]?.isDirty, 'the mask changed');
    await vscode.commands.executeCommand('workbench.action.files.save');
    await waitFor(() => regionTabs()[0]?.isDirty === false, 'saved');
    const edited = readSidecar(sidecar).regions;
    assert.equal(edited.length, 1, 'the same region, not a new one');
    const grown = decodeRle(edited[0].rle!);
    assert.equal(grown.data[Math.floor(0.3 * HEIGHT) * WIDTH + Math.floor(0.3 * WIDTH)], 1, 'the new stroke is in it');
    assert.equal(grown.data[Math.floor(0.5 * HEIGHT) * WIDTH + Math.floor(0.7 * WIDTH)], 1, 'the old stroke too');
  });

  it('reopening shows exactly what was saved, a typed description included; a change on disk shows while open', async () => {
    const { image, sidecar } = await newImage();
    let frame = await openRegions(image);
    await frame.locator('#tool-rect').click();
    await drag(frame, [0.2, 0.2], [0.4, 0.5]);
    await waitFor(async () => (await rows(frame).count()) === 1, 'the box');
    await rows(frame).nth(0).locator('.region-description').fill('a <i>blue</i> square');
    await waitFor(() => regionTabs()[0]?.isDirty, 'dirty');
    await vscode.commands.executeCommand('workbench.action.files.save');
    await waitFor(() => fs.existsSync(sidecar) && readSidecar(sidecar).regions[0]?.description === 'a <i>blue</i> square', 'the description saved');
    const saved = fs.readFileSync(sidecar, 'utf8');
    await closeAllEditors();
    frame = await openRegions(image);
    await waitFor(async () => (await rows(frame).count()) === 1, 'the region again');
    assert.equal(await rows(frame).nth(0).locator('.region-description').inputValue(), 'a <i>blue</i> square');
    assert.equal(await frame.locator('#region-list i').count(), 0, 'text is never markup');
    assert.equal(fs.readFileSync(sidecar, 'utf8'), saved, 'opening rewrote nothing');
    const changed = readSidecar(sidecar);
    fs.writeFileSync(sidecar, JSON.stringify({ ...changed, regions: [...changed.regions, { ...changed.regions[0], id: 'other', bbox: [0.6, 0.6, 0.2, 0.2] }] }, null, 2));
    await waitFor(async () => (await rows(frame).count()) === 2, 'the region added on disk appears');
  });

  it('zoom (+, 0, wheel) and pan (middle drag) move the image and the regions together; ? lists the shortcuts; the caption editor opens it', async () => {
    const { image, sidecar } = await newImage();
    const base = { kind: 'box' as const, description: '', model: '', updated: '2026-01-01T00:00:00.000Z' };
    fs.writeFileSync(sidecar, JSON.stringify({ version: 1, image: { width: WIDTH, height: HEIGHT }, regions: [{ ...base, id: 'r1', bbox: [0.5, 0.5, 0.25, 0.25] }] }));
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(image), 'imageCaptioner.captionEditor');
    const caption = await webviewFrame(page, { title: path.basename(image), selector: '#edit-regions' });
    await caption.locator('#edit-regions').click();
    await waitFor(() => regionTabs().some((t) => (t.input as vscode.TabInputCustom).uri.fsPath === image), 'the caption editor\'s button opened the region editor');
    const frame = await openRegions(image);
    const imageBox = async () => (await frame.locator('img.image').boundingBox())!;
    const fitted = await imageBox();
    await click(frame, 0.1, 0.1);
    await page.keyboard.press('+');
    await waitFor(async () => (await imageBox()).width > fitted.width * 1.2, 'zoomed in with +');
    await page.keyboard.press('0');
    await waitFor(async () => Math.abs((await imageBox()).width - fitted.width) < 1, 'fit again with 0');
    const [wx, wy] = await at(frame, 0.5, 0.5);
    await page.mouse.move(wx, wy);
    await page.mouse.wheel(0, -300);
    await waitFor(async () => (await imageBox()).width > fitted.width * 1.2, 'zoomed in with the wheel');
    const zoomed = await imageBox();
    await page.mouse.move(wx, wy);
    await page.mouse.down({ button: 'middle' });
    await page.mouse.move(wx + 60, wy + 40, { steps: 4 });
    await page.mouse.up({ button: 'middle' });
    const panned = await imageBox();
    assert.ok(Math.abs(panned.x - zoomed.x - 60) < 2 && Math.abs(panned.y - zoomed.y - 40) < 2, `panned by the drag: ${JSON.stringify([zoomed, panned])}`);
    // the region is drawn where the image now shows it: a pixel inside box 1 has its colour
    const [px, py] = await at(frame, 0.6, 0.6);
    const overlayBox = (await frame.locator('#overlay').boundingBox())!;
    const alpha = await frame.locator('#overlay').evaluate((canvas, [x, y]) => {
      const c = canvas as unknown as { width: number; clientWidth: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
      const ratio = c.width / c.clientWidth;
      return [c.getContext('2d').getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data[3], c.getContext('2d').getImageData(Math.round((x - 200) * ratio), Math.round(y * ratio), 1, 1).data[3]];
    }, [px - overlayBox.x, py - overlayBox.y]);
    assert.ok(alpha[0] > 0, 'inside the box: drawn');
    assert.equal(alpha[1], 0, 'left of the box: nothing');
    await page.keyboard.press('?');
    await frame.locator('#help').waitFor({ state: 'visible' });
    assert.ok((await frame.locator('#help tr').count()) >= 10, 'the help lists the shortcuts');
    await page.keyboard.press('Escape');
    await frame.locator('#help').waitFor({ state: 'hidden' });
  });

  it('a malformed sidecar is shown with its line and column, read-only, and its bytes never change', async () => {
    const { image, sidecar } = await newImage();
    const bad = '{\n  "version": 1,\n  "image": { "width": 320, "height": 240 },\n  "regions": [ { "id": "a", } ]\n}\n';
    fs.writeFileSync(sidecar, bad);
    const frame = await openRegions(image);
    const problem = frame.locator('#problem');
    await problem.waitFor({ state: 'visible' });
    const text = (await problem.textContent()) ?? '';
    assert.match(text, /line 4, column \d+/, text);
    await frame.locator('#tool-rect').click();
    await drag(frame, [0.2, 0.2], [0.5, 0.5]);
    await frame.locator('#notice').waitFor({ state: 'visible' });
    assert.equal(await rows(frame).count(), 0, 'nothing was added');
    await vscode.commands.executeCommand('workbench.action.files.save');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(fs.readFileSync(sidecar, 'utf8'), bad, 'the file is byte for byte what it was');
    await screenshot('region-editor-malformed');
  });

  it('regions a grounding model wrote show as numbered boxes with their phrases', async () => {
    const { image, sidecar } = await newImage();
    const grounded: RegionsSidecar = {
      version: 1,
      image: { width: WIDTH, height: HEIGHT },
      regions: [
        { id: 'g1', kind: 'box', bbox: [0.1, 0.1, 0.3, 0.4], label: 'a dog', description: 'a dog', model: 'microsoft/kosmos-2-patch14-224', updated: '2026-01-01T00:00:00.000Z', source: 'grounding' },
        { id: 'g2', kind: 'box', bbox: [0.5, 0.2, 0.4, 0.5], label: '<b>a ball</b>', description: 'a ball', model: 'microsoft/kosmos-2-patch14-224', updated: '2026-01-01T00:00:00.000Z', source: 'grounding' },
      ],
    };
    fs.writeFileSync(sidecar, JSON.stringify(grounded, null, 2));
    const frame = await openRegions(image);
    await waitFor(async () => (await rows(frame).count()) === 2, 'two rows');
    assert.deepEqual(await rows(frame).locator('.region-label').evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value)), ['a dog', '<b>a ball</b>']);
    assert.equal(await frame.locator('#region-list b').count(), 0, 'label text is never markup');
    assert.match((await rows(frame).nth(0).locator('.region-meta').textContent()) ?? '', /grounded.*kosmos-2/);
    assert.deepEqual(await rows(frame).locator('.region-number').allTextContents(), ['1', '2']);
    // the overlay draws box 1 at its place: a pixel on its outline has the list's colour
    const colour = await rows(frame).nth(0).locator('.region-number').evaluate((e) => (e as unknown as { style: { background: string } }).style.background);
    const [px, py] = await at(frame, 0.1 + 0.15, 0.1);
    const overlayBox = (await frame.locator('#overlay').boundingBox())!;
    const pixel = await frame.locator('#overlay').evaluate((canvas, [x, y]) => {
      const c = canvas as unknown as { width: number; clientWidth: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
      const ratio = c.width / c.clientWidth;
      return Array.from(c.getContext('2d').getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data);
    }, [px - overlayBox.x, py - overlayBox.y]);
    // within 2 per channel: VS Code 1.96's webview read rgb(229, 24, 75) back for the list's rgb(230, 25, 75)
    const listColour = (/^rgb\((\d+), (\d+), (\d+)\)$/.exec(colour) ?? []).slice(1).map(Number);
    assert.equal(listColour.length, 3, `the list colour ${colour} is rgb()`);
    assert.ok(listColour.every((channel, i) => Math.abs(channel - pixel[i]) <= 2), `the outline of box 1 is rgb(${pixel.slice(0, 3).join(', ')}), not its list colour ${colour}`);
    assert.equal(fs.readFileSync(sidecar, 'utf8'), JSON.stringify(grounded, null, 2), 'opening rewrites nothing');
  });
});
