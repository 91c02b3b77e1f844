import * as path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import * as vscode from 'vscode';
import type { DatasetIndex } from '../core/dataset/datasetIndex';
import type { ImageEntry } from '../core/dataset/types';
import type { DatasetService } from '../services/datasetService';
import { relPathOf, type ExploreItemSet } from './exploreItems';

/** Items compared per event-loop turn after a change that may touch any caption. */
const SLICE = 10_000;

/**
 * Keeps the captions of the layout shown in step with the dataset: a caption changed on disk, by
 * another editor (typing in a text editor of the caption file too) or by a bulk edit is reported
 * for the item that shows it, by layout index.
 */
export class ExploreCaptionSync implements vscode.Disposable {
  private items?: ExploreItemSet;
  private index?: DatasetIndex;
  private byRelPath?: Map<string, number>;
  private byCaptionPath?: Map<string, number[]>;
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly dataset: DatasetService, private readonly changed: (index: number, text: string) => void) {
    this.disposables = [
      dataset.onDidChange((change) => void this.datasetChanged(change.images).catch(() => undefined)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0 && e.document.uri.scheme === 'file') this.documentChanged(e.document);
      }),
    ];
  }

  /** The layout now shown: its items' captions are what later changes are compared with. */
  track(items: ExploreItemSet, index: DatasetIndex): void {
    this.items = items;
    this.index = index;
    this.byRelPath = undefined;
    this.byCaptionPath = undefined;
  }

  /** A save from the panel itself: known already, not reported again. */
  noteSaved(index: number, text: string): void {
    if (this.items && index < this.items.captions.length) this.items.captions[index] = text;
  }

  private report(i: number, text: string): void {
    if (!this.items || this.items.captions[i] === text) return;
    this.items.captions[i] = text;
    this.changed(i, text);
  }

  private async datasetChanged(images: readonly ImageEntry[] | undefined): Promise<void> {
    const items = this.items;
    const texts = this.dataset.texts;
    const index = this.dataset.index;
    if (!items || !texts || !index || index !== this.index) return;
    if (images) {
      this.byRelPath ??= new Map(items.relPaths.map((rel, i) => [rel, i]));
      for (const image of images) {
        const i = this.byRelPath.get(relPathOf(image));
        const text = texts.get(image);
        if (i !== undefined && text !== undefined) this.report(i, text);
      }
      return;
    }
    // Anything may have changed (folders listed again): every item's caption is looked at, in slices.
    for (let start = 0; start < items.relPaths.length; start += SLICE) {
      if (start > 0) await yieldToEventLoop();
      if (this.items !== items) return;
      const end = Math.min(items.relPaths.length, start + SLICE);
      const found = [];
      for (let i = start; i < end; i++) {
        const image = index.findImage(path.join(index.rootPath, ...items.relPaths[i].split('/')));
        if (image) found.push({ i, image });
      }
      await this.dataset.loadCaptions(found.map((f) => f.image));
      for (const { i, image } of found) {
        const text = texts.get(image);
        if (text !== undefined) this.report(i, text);
      }
    }
  }

  private documentChanged(doc: vscode.TextDocument): void {
    const items = this.items;
    const index = this.index;
    if (!items || !index || !doc.uri.fsPath.toLowerCase().endsWith(index.options.captionExtension.toLowerCase())) return;
    if (!this.byCaptionPath) {
      this.byCaptionPath = new Map();
      items.images.forEach((image, i) => {
        const captionPath = index.captionPath(image);
        const list = this.byCaptionPath!.get(captionPath);
        if (list) list.push(i);
        else this.byCaptionPath!.set(captionPath, [i]);
      });
    }
    const indices = this.byCaptionPath.get(doc.uri.fsPath);
    if (!indices) return;
    const text = doc.getText().replace(/\r\n/g, '\n');
    for (const i of indices) this.report(i, text);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
