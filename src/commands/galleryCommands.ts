import * as vscode from 'vscode';
import type { ExploreScope } from '../webviews/protocol/exploreMessages';
import type { GalleryCaptionTarget, GalleryState } from '../webviews/protocol/galleryMessages';
import { relPathOf } from '../webviews/exploreItems';
import { GalleryPanel, type GalleryPanelDeps } from '../webviews/galleryPanel';
import { isImage, type DatasetTreeNode } from '../views/datasetTreeProvider';
import { showInformation } from '../services/notifications';
import { labelText } from '../services/plainText';

/** The panel's view type (one id for the panel and its serializer). */
export const GALLERY_VIEW_TYPE = 'imageCaptioner.gallery';

/** The Gallery: one panel at a time, revealed when open, showing the scope it was last asked for. */
export class GalleryPanels implements vscode.Disposable {
  private current?: GalleryPanel;

  constructor(private readonly deps: GalleryPanelDeps) {}

  /** The open panel, if any (the integration suite drives it). */
  get panel(): GalleryPanel | undefined {
    return this.current;
  }

  /** Opens (or reveals) the gallery on the scope the arguments name, else the one the user picks. */
  async open(arg?: unknown, args?: unknown): Promise<GalleryPanel | undefined> {
    await this.deps.dataset.whenReady();
    const index = this.deps.dataset.index;
    if (!index || index.size === 0) {
      void showInformation('Open a dataset folder with images first.');
      return undefined;
    }
    const scope = this.scopeOf(arg, args) ?? (await this.pickScope());
    if (!scope) return undefined;
    if (this.current) {
      this.current.panel.reveal();
      this.current.show(scope);
      return this.current;
    }
    const panel = vscode.window.createWebviewPanel(GALLERY_VIEW_TYPE, 'Gallery', vscode.ViewColumn.Active, { enableScripts: true });
    return this.adopt(panel, scope);
  }

  /**
   * A panel VS Code brings back after a window reload, with the state its webview kept: the same
   * scope (the whole dataset when the state names none) and the selection when it was kept.
   */
  async revive(panel: vscode.WebviewPanel, state: unknown): Promise<GalleryPanel | undefined> {
    await this.deps.dataset.whenReady();
    if (!this.deps.dataset.index || this.deps.dataset.index.size === 0) {
      panel.dispose(); // no dataset to show: an empty panel would only say so
      return undefined;
    }
    this.current?.dispose();
    const kept = (state ?? {}) as GalleryState;
    return this.adopt(panel, scopeFromState(kept.scope) ?? { kind: 'dataset' }, stringList(kept.selected), kept.target === 'second' ? 'second' : 'caption');
  }

  private adopt(panel: vscode.WebviewPanel, scope: ExploreScope, selected?: readonly string[], target?: GalleryCaptionTarget): GalleryPanel {
    const gallery = new GalleryPanel(panel, this.deps, scope, selected, target);
    this.current = gallery;
    panel.onDidDispose(() => {
      if (this.current === gallery) this.current = undefined;
    });
    return gallery;
  }

  /** A folder (explorer Uri or Dataset view folder) is its folder; images or several nodes are a selection. */
  private scopeOf(arg: unknown, args: unknown): ExploreScope | undefined {
    const index = this.deps.dataset.index!;
    const many = Array.isArray(args) && args.length > 1;
    if (!many && arg instanceof vscode.Uri) {
      const folder = index.folderOfPath(arg.fsPath);
      if (folder) return { kind: 'folder', relPath: folder.relPath };
    }
    const node = arg as DatasetTreeNode | undefined;
    if (!many && node && typeof node === 'object' && !(arg instanceof vscode.Uri) && !isImage(node) && 'absPath' in node) return { kind: 'folder', relPath: node.relPath };
    const given = this.deps.scopes.fromArguments(arg, args);
    return given && given.images.length > 0 ? { kind: 'selection', relPaths: given.images.map(relPathOf) } : undefined;
  }

  /** Without arguments: the whole dataset, unless a filter or a selection in the Dataset view makes the user choose. */
  private async pickScope(): Promise<ExploreScope | undefined> {
    const { tree, treeView, scopes, dataset } = this.deps;
    const selected = scopes.fromNodes(treeView.selection).images;
    if (!tree.query && selected.length <= 1) return { kind: 'dataset' };
    const options: Array<vscode.QuickPickItem & { scope: ExploreScope }> = [{ label: 'Whole dataset', description: `${dataset.index!.size} images`, scope: { kind: 'dataset' } }];
    if (tree.query) options.push({ label: 'Current filter', description: labelText(`"${tree.query}": ${tree.visibleImages().length} images`), scope: { kind: 'filter', query: tree.query } });
    if (selected.length > 1) options.push({ label: 'Selection in the Dataset view', description: `${selected.length} images`, scope: { kind: 'selection', relPaths: selected.map(relPathOf) } });
    return (await vscode.window.showQuickPick(options, { title: 'Gallery: which images?' }))?.scope;
  }

  dispose(): void {
    this.current?.dispose();
  }
}

/** A scope from a webview's saved state (JSON written by the webview: checked field by field), or undefined. */
export function scopeFromState(value: unknown): ExploreScope | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  switch (v.kind) {
    case 'dataset':
      return { kind: 'dataset' };
    case 'folder':
      return typeof v.relPath === 'string' ? { kind: 'folder', relPath: v.relPath } : undefined;
    case 'selection': {
      const relPaths = stringList(v.relPaths);
      return relPaths ? { kind: 'selection', relPaths } : undefined;
    }
    case 'filter':
      return typeof v.query === 'string' ? { kind: 'filter', query: v.query } : undefined;
    default:
      return undefined;
  }
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((s) => typeof s === 'string') ? (value as string[]) : undefined;
}

/** "Open Gallery" (palette, the Dataset view's title and context menus) and the panel's serializer (a reload brings it back). */
export function registerGalleryCommands(panels: GalleryPanels): vscode.Disposable[] {
  return [
    panels,
    vscode.commands.registerCommand('imageCaptioner.openGallery', (arg?: unknown, args?: unknown) => panels.open(arg, args)),
    vscode.window.registerWebviewPanelSerializer(GALLERY_VIEW_TYPE, { deserializeWebviewPanel: (panel, state) => panels.revive(panel, state).then(() => undefined) }),
  ];
}
