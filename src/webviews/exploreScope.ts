import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImageEntry } from '../core/dataset/types';
import type { ScopePicker } from '../commands/scopePicker';
import type { DatasetService } from '../services/datasetService';
import type { DatasetTreeNode, DatasetTreeProvider } from '../views/datasetTreeProvider';
import type { ExploreScope } from './protocol/exploreMessages';
import { relPathOf } from './exploreItems';

/** What a scope resolves against: the dataset, the Dataset view (filter, selection) and the scope picker's rules. */
export interface ScopeSources {
  readonly dataset: DatasetService;
  readonly tree: DatasetTreeProvider;
  readonly treeView: vscode.TreeView<DatasetTreeNode>;
  readonly scopes: ScopePicker;
}

/** A scope's images, and the scope as it is kept (a selection with its paths, so a reload lays out the same images). */
export interface ResolvedScope {
  readonly images: readonly ImageEntry[];
  readonly scope: ExploreScope;
}

/** The images of `scope` in dataset order; throws an error that says what to do when it names none. */
export async function resolveScope(scope: ExploreScope, sources: ScopeSources): Promise<ResolvedScope> {
  const index = sources.dataset.index;
  if (!index || index.size === 0) throw new Error('Open a dataset folder with images first (Image Captioner: Open Dataset Folder).');
  switch (scope.kind) {
    case 'dataset':
      return { images: index.images(), scope };
    case 'folder': {
      const folder = index.folder(scope.relPath);
      if (!folder) throw new Error(`The folder "${scope.relPath}" is not in the dataset any more: pick another scope.`);
      return { images: sources.scopes.fromArguments(vscode.Uri.file(folder.absPath), undefined)?.images ?? [], scope };
    }
    case 'selection': {
      if (scope.relPaths) {
        const found = new Set(scope.relPaths.map((rel) => index.findImage(path.join(index.rootPath, ...rel.split('/')))));
        const images = index.images().filter((img) => found.has(img));
        if (images.length === 0) throw new Error('None of the images selected for this view are in the dataset any more: select images in the Dataset view and run again.');
        return { images, scope };
      }
      const images = sources.scopes.fromNodes(sources.treeView.selection).images;
      if (images.length === 0) throw new Error('Nothing is selected in the Dataset view: select images or folders there, or pick another scope.');
      return { images, scope: { kind: 'selection', relPaths: images.map(relPathOf) } };
    }
    case 'filter': {
      const query = scope.query.trim();
      if (!query) throw new Error('No filter is set: filter the Dataset view first (Image Captioner: Filter Dataset), or pick another scope.');
      // The view's own filter may be an image set with no query behind it: its images are what it shows.
      const images = query === sources.tree.query ? sources.tree.visibleImages() : await sources.tree.imagesMatching(query);
      if (images.length === 0) throw new Error(`No image matches the filter "${query}".`);
      return { images, scope };
    }
  }
}

/** A scope as a panel's title names it. */
export function scopeTitle(scope: ExploreScope): string {
  switch (scope.kind) {
    case 'dataset':
      return 'whole dataset';
    case 'folder':
      return scope.relPath || 'dataset folder';
    case 'selection':
      return 'selection';
    case 'filter':
      return `filter "${scope.query}"`;
  }
}
