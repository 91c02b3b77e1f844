import * as vscode from 'vscode';
import { ENGLISH_STOP_WORDS } from '../core/analytics/stopWords';
import type { ExploreScope, ExploreSettings } from '../webviews/protocol/exploreMessages';
import { ExplorePanel, type ExplorePanelDeps } from '../webviews/explorePanel';
import { EXPLORE_VIEW_TYPE } from '../webviews/exploreViewType';
import { isImage, type DatasetTreeNode } from '../views/datasetTreeProvider';
import { showInformation } from '../services/notifications';

/** What a new panel lays out first (the webview's own defaults): captions of the whole dataset, built in, k = 8, PCA. */
const FIRST_RUN: ExploreSettings = { target: 'captions', scope: { kind: 'dataset' }, sourceId: 'builtin', k: 8, projection: 'pca' };

const STOP_WORDS_SETTING = 'explore.stopWords';

/** The Explore panel ("Visualize Dataset"): one at a time, revealed when open, restored after a reload. */
export class ExplorePanels implements vscode.Disposable {
  private current?: ExplorePanel;

  constructor(private readonly deps: ExplorePanelDeps) {}

  /** The open panel, if any (the integration suite drives it). */
  get panel(): ExplorePanel | undefined {
    return this.current;
  }

  /** Opens (or reveals) the panel; a folder argument (explorer or Dataset view) lays out that folder. */
  async open(arg?: unknown): Promise<ExplorePanel | undefined> {
    await this.deps.dataset.whenReady();
    const index = this.deps.dataset.index;
    if (!index || index.size === 0) {
      void showInformation('Open a dataset folder with images first.');
      return undefined;
    }
    const scope = this.scopeOf(arg);
    if (this.current) {
      this.current.panel.reveal();
      if (scope) this.current.runWhenReady({ ...(this.current.settings ?? FIRST_RUN), scope }, this.current.isReady);
      return this.current;
    }
    const panel = vscode.window.createWebviewPanel(EXPLORE_VIEW_TYPE, 'Visualize Dataset', vscode.ViewColumn.Active, { enableScripts: true });
    return this.adopt(panel, { ...FIRST_RUN, scope: scope ?? FIRST_RUN.scope });
  }

  /** A panel VS Code restores after a reload: the webview asks for the layout it showed (its state). */
  async revive(panel: vscode.WebviewPanel): Promise<void> {
    await this.deps.dataset.whenReady();
    this.current?.dispose();
    this.adopt(panel, undefined);
  }

  private adopt(panel: vscode.WebviewPanel, firstRun: ExploreSettings | undefined): ExplorePanel {
    const explore = new ExplorePanel(panel, this.deps, firstRun);
    this.current = explore;
    panel.onDidDispose(() => {
      if (this.current === explore) this.current = undefined;
    });
    return explore;
  }

  /** A folder named by a menu's argument (explorer Uri or Dataset view folder), as a scope; undefined for anything else. */
  private scopeOf(arg: unknown): ExploreScope | undefined {
    const index = this.deps.dataset.index!;
    if (arg instanceof vscode.Uri) {
      const folder = index.folderOfPath(arg.fsPath);
      return folder ? { kind: 'folder', relPath: folder.relPath } : undefined;
    }
    const node = arg as DatasetTreeNode | undefined;
    if (node && typeof node === 'object' && !isImage(node) && 'absPath' in node) return { kind: 'folder', relPath: node.relPath };
    return undefined;
  }

  dispose(): void {
    this.current?.dispose();
  }
}

/** The stop words the panel starts from: the built-in English list and the user's additions (imageCaptioner.explore.stopWords). */
export function exploreStopWords(): string[] {
  const extra = vscode.workspace.getConfiguration('imageCaptioner').get<unknown>(STOP_WORDS_SETTING, []);
  const words = new Set(ENGLISH_STOP_WORDS);
  if (Array.isArray(extra)) for (const w of extra) if (typeof w === 'string' && w.trim()) words.add(w.trim().toLowerCase());
  return [...words].sort();
}

/** Keeps the panel's stop-word list in the workspace settings: the words beyond the built-in list. */
export async function saveExploreStopWords(words: readonly string[]): Promise<void> {
  const extra = [...new Set(words.map((w) => w.trim().toLowerCase()).filter((w) => w && !ENGLISH_STOP_WORDS.has(w)))].sort();
  await vscode.workspace.getConfiguration('imageCaptioner').update(STOP_WORDS_SETTING, extra, vscode.ConfigurationTarget.Workspace);
}

/** "Visualize Dataset" and the panel's serializer. */
export function registerExploreCommands(panels: ExplorePanels): vscode.Disposable[] {
  return [
    panels,
    vscode.commands.registerCommand('imageCaptioner.explore.open', (arg?: unknown) => panels.open(arg)),
    vscode.window.registerWebviewPanelSerializer(EXPLORE_VIEW_TYPE, { deserializeWebviewPanel: (panel) => panels.revive(panel) }),
  ];
}
