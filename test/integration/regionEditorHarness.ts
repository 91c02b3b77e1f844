// The region editor suites' shared set-up: a folder of fresh images in the workspace, the editor opened
// through its command and found in the workbench, and pointer helpers in image coordinates (0..1).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import sharp from 'sharp';
import type { FrameLocator, Page } from 'playwright-core';
import type { ImageCaptionerApi } from '../../src/extension';
import type { RegionsSidecar } from '../../src/core/regions/regionsSidecar';
import { activateExtension, closeAllEditors, waitFor } from './extensionApi';
import { getWorkbenchPage, hasBrowser, webviewFrame } from './browser';

const REGION_VIEW_TYPE = 'imageCaptioner.regionEditor';
export const WIDTH = 320;
export const HEIGHT = 240;

export let api: ImageCaptionerApi;
export let page: Page;
export let folder: string;
let counter = 0;

export function regionTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputCustom && t.input.viewType === REGION_VIEW_TYPE);
}

export function readSidecar(file: string): RegionsSidecar {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as RegionsSidecar;
}

/** Registers the suite's hooks: skipped without a browser; a folder of its own, removed after; the wired services back after each test. */
export function useRegionEditorSuite(folderName: string): void {
  before(async function () {
    if (!hasBrowser()) this.skip();
    api = await activateExtension();
    page = await getWorkbenchPage();
    folder = path.join(api.dataset.rootPath!, folderName);
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
}

/** A fresh image of its own (so each test's sidecar starts from nothing) in the workspace. */
export async function newImage(): Promise<{ image: string; sidecar: string }> {
  const image = path.join(folder, `region-${++counter}.png`);
  await sharp({ create: { width: WIDTH, height: HEIGHT, channels: 3, background: { r: 40, g: 120, b: 200 } } }).png().toFile(image);
  return { image, sidecar: path.join(folder, `region-${counter}.regions.json`) };
}

export async function openRegions(image: string): Promise<FrameLocator> {
  await vscode.commands.executeCommand('imageCaptioner.editRegions', vscode.Uri.file(image));
  await waitFor(() => regionTabs().some((t) => (t.input as vscode.TabInputCustom).uri.fsPath === image), 'the region editor tab');
  const frame = await webviewFrame(page, { title: `Regions: ${path.basename(image)}`, selector: '#overlay' });
  await waitFor(async () => (await frame.locator('#status').textContent())?.includes('region'), 'the editor initialized');
  await waitFor(() => frame.locator('img.image').evaluate((img) => (img as unknown as { complete: boolean }).complete && (img as unknown as { naturalWidth: number }).naturalWidth > 0), 'the image decoded');
  return frame;
}

/** Page coordinates of a point given in 0..1 of the image as the webview shows it now. */
export async function at(frame: FrameLocator, nx: number, ny: number): Promise<[number, number]> {
  const box = await frame.locator('img.image').boundingBox();
  assert.ok(box, 'the image has a box on the page');
  return [box.x + nx * box.width, box.y + ny * box.height];
}

export async function drag(frame: FrameLocator, from: [number, number], to: [number, number]): Promise<void> {
  const [x1, y1] = await at(frame, ...from);
  const [x2, y2] = await at(frame, ...to);
  await page.mouse.move(x1, y1);
  await page.mouse.down();
  for (let i = 1; i <= 5; i++) await page.mouse.move(x1 + ((x2 - x1) * i) / 5, y1 + ((y2 - y1) * i) / 5);
  await page.mouse.up();
}

export async function click(frame: FrameLocator, nx: number, ny: number, modifiers: Array<'Shift'> = []): Promise<void> {
  const [x, y] = await at(frame, nx, ny);
  for (const m of modifiers) await page.keyboard.down(m);
  await page.mouse.click(x, y);
  for (const m of modifiers) await page.keyboard.up(m);
}

export const rows = (frame: FrameLocator) => frame.locator('#region-list .region-row');
