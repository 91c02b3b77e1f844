// The region editor in a real VS Code, driven through the browser: drawing, saving, undo, bad
// sidecars, grounded boxes, and segment / describe / fuse through services the test gives it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import sharp from 'sharp';
import type { FrameLocator, Page } from 'playwright-core';
import type { ImageCaptionerApi } from '../../src/extension';
import { decodeRle, encodeRle } from '../../src/core/regions/cocoRle';
import type { RegionsSidecar } from '../../src/core/regions/regionsSidecar';
import type { RegionEditorServices } from '../../src/webviews/regionEditorServices';
import { regionMask } from '../../src/core/regions/rasterize';
import { writeSam } from '../fixtures/localModels/samModel';
import { startDamFakeServer } from '../fixtures/fakeServers/damFakeServer';
import { activateExtension, closeAllEditors, waitFor } from './extensionApi';
import { getWorkbenchPage, hasBrowser, screenshot, webviewFrame } from './browser';

const REGION_VIEW_TYPE = 'imageCaptioner.regionEditor';
const WIDTH = 320;
const HEIGHT = 240;

function regionTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputCustom && t.input.viewType === REGION_VIEW_TYPE);
}

function readSidecar(file: string): RegionsSidecar {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as RegionsSidecar;
}

describe('region editor', function () {
  let api: ImageCaptionerApi;
  let folder: string;
  let page: Page;
  let counter = 0;

  /** A fresh image of its own (so each test's sidecar starts from nothing) in the workspace. */
  async function newImage(): Promise<{ image: string; sidecar: string }> {
    const image = path.join(folder, `region-${++counter}.png`);
    await sharp({ create: { width: WIDTH, height: HEIGHT, channels: 3, background: { r: 40, g: 120, b: 200 } } }).png().toFile(image);
    return { image, sidecar: path.join(folder, `region-${counter}.regions.json`) };
  }

  async function openRegions(image: string): Promise<FrameLocator> {
    await vscode.commands.executeCommand('imageCaptioner.editRegions', vscode.Uri.file(image));
    await waitFor(() => regionTabs().some((t) => (t.input as vscode.TabInputCustom).uri.fsPath === image), 'the region editor tab');
    const frame = await webviewFrame(page, { title: `Regions: ${path.basename(image)}`, selector: '#overlay' });
    await waitFor(async () => (await frame.locator('#status').textContent())?.includes('region'), 'the editor initialized');
    await waitFor(() => frame.locator('img.image').evaluate((img) => (img as unknown as { complete: boolean }).complete && (img as unknown as { naturalWidth: number }).naturalWidth > 0), 'the image decoded');
    return frame;
  }

  /** Page coordinates of a point given in 0..1 of the image as the webview shows it now. */
  async function at(frame: FrameLocator, nx: number, ny: number): Promise<[number, number]> {
    const box = await frame.locator('img.image').boundingBox();
    assert.ok(box, 'the image has a box on the page');
    return [box.x + nx * box.width, box.y + ny * box.height];
  }

  async function drag(frame: FrameLocator, from: [number, number], to: [number, number]): Promise<void> {
    const [x1, y1] = await at(frame, ...from);
    const [x2, y2] = await at(frame, ...to);
    await page.mouse.move(x1, y1);
    await page.mouse.down();
    for (let i = 1; i <= 5; i++) await page.mouse.move(x1 + ((x2 - x1) * i) / 5, y1 + ((y2 - y1) * i) / 5);
    await page.mouse.up();
  }

  async function click(frame: FrameLocator, nx: number, ny: number, modifiers: Array<'Shift'> = []): Promise<void> {
    const [x, y] = await at(frame, nx, ny);
    for (const m of modifiers) await page.keyboard.down(m);
    await page.mouse.click(x, y);
    for (const m of modifiers) await page.keyboard.up(m);
  }

  const rows = (frame: FrameLocator) => frame.locator('#region-list .region-row');

  before(async function () {
    if (!hasBrowser()) this.skip();
    api = await activateExtension();
    page = await getWorkbenchPage();
    folder = path.join(api.dataset.rootPath!, 'region-editor-test');
    fs.mkdirSync(folder, { recursive: true });
  });

  afterEach(async () => {
    api?.regionEditors.useServices(); // the wired ones again
    await closeAllEditors();
  });

  after(async () => {
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
    if (api) await api.dataset.refresh();
  });

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
    const { image } = await newImage();
    const base = { kind: 'box' as const, description: '', model: '', updated: '2026-01-01T00:00:00.000Z' };
    fs.writeFileSync(path.join(folder, `region-${counter}.regions.json`), JSON.stringify({ version: 1, image: { width: WIDTH, height: HEIGHT }, regions: [{ ...base, id: 'r1', bbox: [0.5, 0.5, 0.25, 0.25] }] }));
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
    assert.equal(`rgb(${pixel[0]}, ${pixel[1]}, ${pixel[2]})`, colour, 'the outline of box 1 in its list colour');
    assert.equal(fs.readFileSync(sidecar, 'utf8'), JSON.stringify(grounded, null, 2), 'opening rewrites nothing');
  });

  it('without services the editor says what is not available', async () => {
    const { image } = await newImage();
    api.regionEditors.useServices({});
    const frame = await openRegions(image);
    assert.equal(await frame.locator('#describe-all').isDisabled(), true);
    assert.match((await frame.locator('#fuse').getAttribute('title')) ?? '', /not available/);
    await frame.locator('#tool-segment').click();
    await waitFor(async () => /segment/i.test((await frame.locator('#notice').textContent()) ?? ''), 'a notice that segmentation is not available');
  });

  it('click-to-segment: the mask of a click becomes a region at once, shift-clicks refine it, Enter starts the next object', async () => {
    const { image, sidecar } = await newImage();
    const prompts: Array<{ points: Array<{ x: number; y: number; positive: boolean }> }> = [];
    const services: RegionEditorServices = {
      segment: async (imagePath, prompt) => {
        assert.equal(imagePath, image);
        prompts.push(prompt as (typeof prompts)[number]);
        // a 32x24 mask: a block at columns 8..15, rows 6..17, narrower (to column 11) once a negative point came
        const negative = prompt.points.some((p) => !p.positive);
        const data = new Uint8Array(32 * 24);
        for (let r = 6; r < 18; r++) for (let c = 8; c < (negative ? 12 : 16); c++) data[r * 32 + c] = 1;
        return { rle: encodeRle({ width: 32, height: 24, data }), bbox: [0.25, 0.25, negative ? 0.125 : 0.25, 0.5], score: 0.9, model: 'fake/sam', millis: 12 };
      },
    };
    api.regionEditors.useServices(services);
    const frame = await openRegions(image);
    await frame.locator('#tool-segment').click();
    await click(frame, 0.4, 0.5);
    await waitFor(async () => (await rows(frame).count()) === 1, 'the mask of the first click is a region');
    await click(frame, 0.45, 0.5, ['Shift']);
    await waitFor(() => prompts.length === 2, 'the second click segmented');
    assert.deepEqual(prompts[1].points.map((p) => p.positive), [true, false], 'both clicks sent, shift-click negative');
    assert.ok(Math.abs(prompts[1].points[0].x - 0.4) < 0.02 && Math.abs(prompts[1].points[0].y - 0.5) < 0.02, JSON.stringify(prompts[1].points[0]));
    await waitFor(async () => /0\.125/.test(JSON.stringify(api.regionEditors.openDocuments()[0]?.sidecar.regions[0]?.bbox)), 'the region refined, not a second one');
    assert.equal(await rows(frame).count(), 1);
    await page.keyboard.press('Enter');
    await click(frame, 0.8, 0.2);
    await waitFor(async () => (await rows(frame).count()) === 2, 'after Enter a click starts a new object');
    assert.equal(prompts[2].points.length, 1, 'the new object starts from its own click');
    await vscode.commands.executeCommand('workbench.action.files.save');
    await waitFor(() => fs.existsSync(sidecar) && readSidecar(sidecar).regions.length === 2, 'saved');
    const [region] = readSidecar(sidecar).regions;
    assert.equal(region.kind, 'mask');
    assert.equal(region.source, 'segment');
    assert.equal(region.model, 'fake/sam');
    assert.equal(typeof region.rle!.counts, 'string');
    const mask = decodeRle(region.rle!);
    assert.equal(mask.data[10 * 32 + 10], 1);
    assert.equal(mask.data[10 * 32 + 13], 0, 'the refined mask, without what the negative click took away');
    assert.deepEqual(region.bbox, [0.25, 0.25, 0.125, 0.5]);
  });

  it('Describe All streams each region its own text, writes it into the sidecar, and a failure stays with its region', async () => {
    const { image, sidecar } = await newImage();
    const base = { kind: 'box' as const, description: '', model: '', updated: '2026-01-01T00:00:00.000Z', source: 'user' as const };
    fs.writeFileSync(sidecar, JSON.stringify({ version: 1, image: { width: WIDTH, height: HEIGHT }, regions: [
      { ...base, id: 'r1', bbox: [0.1, 0.1, 0.2, 0.2] },
      { ...base, id: 'r2', bbox: [0.5, 0.5, 0.2, 0.2] },
      { ...base, id: 'r3', bbox: [0.7, 0.1, 0.2, 0.2] },
    ] }, null, 2));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const services: RegionEditorServices = {
      describe: async ({ region, onText, signal }) => {
        if (region.id === 'r3') throw new Error('the DAM server answered 500');
        onText?.(`streaming ${region.id}`);
        // r1 answers last: replies must still reach their own region
        if (region.id === 'r1') await gate;
        signal?.throwIfAborted();
        return { text: `described ${region.id}`, model: 'fake/dam' };
      },
    };
    api.regionEditors.useServices(services);
    const frame = await openRegions(image);
    await waitFor(async () => (await rows(frame).count()) === 3, 'three rows');
    await frame.locator('#describe-all').click();
    await waitFor(async () => (await rows(frame).nth(0).locator('.region-status').textContent()) === 'streaming r1', 'r1 streaming');
    await waitFor(async () => (await rows(frame).nth(1).locator('.region-description').inputValue()) === 'described r2', 'r2 described');
    await waitFor(async () => /500/.test((await rows(frame).nth(2).locator('.region-status').textContent()) ?? ''), 'r3 shows its error');
    release();
    await waitFor(async () => (await rows(frame).nth(0).locator('.region-description').inputValue()) === 'described r1', 'r1 described');
    await vscode.commands.executeCommand('workbench.action.files.save');
    await waitFor(() => readSidecar(sidecar).regions[0].description === 'described r1', 'saved');
    const saved = readSidecar(sidecar).regions;
    assert.deepEqual(saved.map((r) => [r.id, r.description, r.model]), [['r1', 'described r1', 'fake/dam'], ['r2', 'described r2', 'fake/dam'], ['r3', '', '']]);
  });

  it('Cancel stops a description: the service sees the abort and the region keeps its text', async () => {
    const { image, sidecar } = await newImage();
    fs.writeFileSync(sidecar, JSON.stringify({ version: 1, image: { width: WIDTH, height: HEIGHT }, regions: [
      { id: 'r1', kind: 'box', bbox: [0.1, 0.1, 0.2, 0.2], description: 'kept', model: 'earlier', updated: '2026-01-01T00:00:00.000Z' },
    ] }));
    let aborted = false;
    api.regionEditors.useServices({
      describe: ({ onText, signal }) => new Promise((_, reject) => {
        onText?.('a slow ');
        signal?.addEventListener('abort', () => {
          aborted = true;
          reject(new Error('aborted'));
        });
      }),
    });
    const frame = await openRegions(image);
    const row = rows(frame).nth(0);
    await row.locator('.region-describe').click();
    await waitFor(async () => (await row.locator('.region-status').textContent()) === 'a slow ', 'streaming');
    assert.equal(await row.locator('.region-describe').textContent(), 'Cancel');
    await row.locator('.region-describe').click();
    await waitFor(() => aborted, 'the service saw the abort');
    await waitFor(async () => (await row.locator('.region-status').isHidden()) && (await row.locator('.region-describe').textContent()) === 'Describe', 'the row back to Describe');
    assert.equal(await row.locator('.region-description').inputValue(), 'kept');
    assert.equal(regionTabs()[0]?.isDirty, false, 'nothing was changed');
  });

  it('Fuse with no described region says to describe them first and asks no model', async () => {
    const { image, sidecar } = await newImage();
    fs.writeFileSync(sidecar, JSON.stringify({ version: 1, image: { width: WIDTH, height: HEIGHT }, regions: [
      { id: 'r1', kind: 'box', bbox: [0.1, 0.1, 0.2, 0.2], description: '', model: '', updated: '2026-01-01T00:00:00.000Z' },
    ] }));
    let asked = 0;
    api.regionEditors.useServices({ fuse: async () => ({ text: String(++asked), model: 'fake/fuser' }) });
    const frame = await openRegions(image);
    await frame.locator('#fuse').click();
    await waitFor(async () => /describe them first/.test((await frame.locator('#fuse-status').textContent()) ?? ''), 'the reason');
    assert.equal(asked, 0);
  });

  it('Fuse into Caption offers the fused text as a candidate in the caption editor; Replace is one undo step', async () => {
    const { image, sidecar } = await newImage();
    fs.writeFileSync(sidecar, JSON.stringify({ version: 1, image: { width: WIDTH, height: HEIGHT }, regions: [
      { id: 'r1', kind: 'box', bbox: [0.1, 0.1, 0.2, 0.2], description: 'a blue sky', model: 'fake/dam', updated: '2026-01-01T00:00:00.000Z' },
    ] }, null, 2));
    let fusedRegions: unknown;
    api.regionEditors.useServices({
      fuse: async ({ regions, onText }) => {
        fusedRegions = regions.map((r) => r.description);
        onText?.('A photo ');
        return { text: 'A photo of a blue sky.', model: 'fake/fuser' };
      },
    });
    const frame = await openRegions(image);
    await waitFor(async () => (await rows(frame).count()) === 1, 'the region');
    await frame.locator('#fuse').click();
    await waitFor(async () => /Offered in the caption editor/.test((await frame.locator('#fuse-status').textContent()) ?? ''), 'fuse answered');
    assert.deepEqual(fusedRegions, ['a blue sky']);
    let caption = await webviewFrame(page, { title: path.basename(image), selector: '#caption' });
    await caption.locator('.candidate[data-state="done"]').waitFor({ timeout: 20_000 });
    // a hidden webview loses its page: shown again, it gets the candidate again from the host
    const other = vscode.Uri.file(path.join(folder, 'other.txt'));
    fs.writeFileSync(other.fsPath, 'another editor in front');
    await vscode.window.showTextDocument(other, { viewColumn: vscode.ViewColumn.Two });
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(image), 'imageCaptioner.captionEditor', vscode.ViewColumn.Two);
    caption = await webviewFrame(page, { title: path.basename(image), selector: '#caption' });
    const card = caption.locator('.candidate[data-state="done"]');
    await card.waitFor({ timeout: 20_000 });
    assert.equal(await card.locator('.candidate-text').textContent(), 'A photo of a blue sky.');
    await card.locator('vscode-button.action-replace').click();
    await waitFor(async () => (await caption.locator('#caption textarea').inputValue()) === 'A photo of a blue sky.', 'the caption replaced');
    await vscode.commands.executeCommand('undo');
    await waitFor(async () => (await caption.locator('#caption textarea').inputValue()) === '', 'Replace undone in one step');
  });
  it('end to end with the services the extension wires: a click segmented by SAM in the worker, described by the Describe Anything server, saved', async function () {
    this.timeout(120_000);
    const modelFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'ic-e2e-sam-'));
    await writeSam(modelFolder);
    const dam = await startDamFakeServer({ replyText: () => 'a blue patch of sky' });
    const config = vscode.workspace.getConfiguration('imageCaptioner');
    try {
      await config.update('segmentation.model', modelFolder, vscode.ConfigurationTarget.Global);
      await config.update('local.allowDownloads', false, vscode.ConfigurationTarget.Global);
      await config.update('dam.baseUrl', dam.url, vscode.ConfigurationTarget.Global);
      await waitFor(() => api.captioning.registry.find('dam/describe-anything')?.baseUrl === dam.url, 'the DAM entry on the fake server');
      const { image, sidecar } = await newImage();
      const frame = await openRegions(image);
      await frame.locator('#tool-segment').click();
      await click(frame, 0.5, 0.5);
      await waitFor(async () => (await rows(frame).count()) === 1, 'the mask of the click is a region', 60_000);
      const row = rows(frame).nth(0);
      await row.locator('.region-describe').click();
      await waitFor(async () => (await row.locator('.region-description').inputValue()) === 'a blue patch of sky', 'the DAM description in the row', 30_000);
      await vscode.commands.executeCommand('workbench.action.files.save');
      await waitFor(() => fs.existsSync(sidecar) && readSidecar(sidecar).regions[0]?.description === 'a blue patch of sky', 'saved');
      const [region] = readSidecar(sidecar).regions;
      assert.deepEqual([region.kind, region.source, region.model], ['mask', 'segment', 'dam/describe-anything']);
      const mask = decodeRle(region.rle!);
      assert.equal(mask.data[Math.floor(mask.height / 2) * mask.width + Math.floor(mask.width / 2)], 1, 'inside at the click');
      assert.equal(mask.data[2 * mask.width + 2], 0, 'outside far from it');
      assert.equal(dam.requests.length, 1);
      const sent = dam.requests[0].image!;
      assert.equal(sent.channels, 4);
      const expected = regionMask(region, sent.width, sent.height).data;
      const wrong = [...expected].filter((inside, i) => (sent.alpha![i] > 0 ? 1 : 0) !== inside).length;
      assert.equal(wrong, 0, 'the server got the saved mask as the alpha channel, pixel by pixel');
    } finally {
      for (const key of ['segmentation.model', 'local.allowDownloads', 'dam.baseUrl']) await config.update(key, undefined, vscode.ConfigurationTarget.Global);
      await dam.close();
      await api.localModels.client.stop();
      fs.rmSync(modelFolder, { recursive: true, force: true });
    }
  });
});
