// Driving the Explore panel's webview from integration suites: open it, read the plot, select, read the word cloud.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FrameLocator } from 'playwright-core';
import type { ImageCaptionerApi } from '../../src/extension';
import { waitFor } from './extensionApi';
import { getWorkbenchPage, webviewFrame } from './browser';

/** The Explore panel's webview content. */
export async function exploreFrame(): Promise<FrameLocator> {
  return webviewFrame(await getWorkbenchPage(), { title: 'Visualize Dataset', selector: '#plot' });
}

/** Runs "Visualize Dataset" and waits for its first layout to be shown in the host and drawn in the plot. */
export async function openExplore(api: ImageCaptionerApi, arg?: unknown): Promise<FrameLocator> {
  await vscode.commands.executeCommand('imageCaptioner.explore.open', arg);
  const frame = await exploreFrame();
  await waitFor(() => api.explore.panel?.shownLayout, 'a layout from the host', 60_000);
  await waitFor(async () => (await plotSummary(frame)).points > 0, 'points drawn in the plot', 30_000);
  return frame;
}

/** What Plotly holds: points over all shown traces and the number of distinct colours among traces with points. */
export async function plotSummary(frame: FrameLocator): Promise<{ points: number; colours: number; traces: number }> {
  return frame.locator('#plot .js-plotly-plot').evaluate((gd) => {
    const data = ((gd as unknown as { data?: Array<{ x?: ArrayLike<number>; visible?: unknown; marker?: { color?: unknown } }> }).data ?? []).filter((t) => t.visible !== false);
    const withPoints = data.filter((t) => (t.x?.length ?? 0) > 0);
    return {
      points: withPoints.reduce((n, t) => n + (t.x?.length ?? 0), 0),
      colours: new Set(withPoints.map((t) => JSON.stringify(t.marker?.color))).size,
      traces: data.length,
    };
  });
}

/** Drags a selection box over the whole plot area with the mouse (Plotly's drag mode is "select"). */
export async function boxSelectAll(frame: FrameLocator): Promise<void> {
  const page = await getWorkbenchPage();
  const box = await frame.locator('#plot .nsewdrag').first().boundingBox();
  assert.ok(box, 'the plot area has a box on the page');
  const [x1, y1, x2, y2] = [box.x + 3, box.y + 3, box.x + box.width - 3, box.y + box.height - 3];
  await page.mouse.move(x1, y1);
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) await page.mouse.move(x1 + ((x2 - x1) * i) / 8, y1 + ((y2 - y1) * i) / 8);
  await page.mouse.up();
}

/** Pixels of the word cloud's canvas with any ink (alpha > 0). */
export async function wordCloudInkedPixels(frame: FrameLocator): Promise<number> {
  return frame.locator('#word-cloud').evaluate((canvas) => {
    const c = canvas as unknown as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null };
    const ctx = c.getContext('2d');
    if (!ctx || c.width === 0 || c.height === 0) return 0;
    const { data } = ctx.getImageData(0, 0, c.width, c.height);
    let inked = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) inked++;
    return inked;
  });
}
