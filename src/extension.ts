import * as path from 'node:path';
import * as vscode from 'vscode';
import { DatasetService } from './services/datasetService';
import { ImagePreviews } from './services/imagePreviews';
import { DatasetTreeNode, DatasetTreeProvider } from './views/datasetTreeProvider';
import { CaptionEditorProvider } from './webviews/captionEditorProvider';
import { CAPTION_EDITOR_VIEW_TYPE } from './webviews/captionEditorViewType';
import { registerDatasetCommands, updateViewTitle } from './commands/datasetCommands';
import { registerNavigationCommands } from './commands/navigationCommands';
import { registerRenameImageCommand } from './commands/renameImageCommand';
import { registerModelCommands } from './commands/modelCommands';
import { ApiKeys } from './providers/apiKeys';
import { ModelRegistry } from './providers/modelRegistry';
import { ProviderFactory } from './providers/providerFactory';
import { CaptioningService } from './services/captioningService';
import { BatchRunner } from './services/batchRunner';
import { BatchActivity } from './services/batchActivity';
import { BatchStatusBar } from './views/batchStatusBar';
import { DATASET_VIEW_ID } from './datasetViewId';
import { journalFolder, registerBatchCommands } from './commands/batchCommands';
import { BulkEditService } from './services/bulkEditService';
import { VirtualDocuments } from './services/virtualDocuments';
import { ScopePicker } from './commands/scopePicker';
import { registerEditCommands } from './commands/editCommands';
import { PatternRunner } from './core/patterns/patternRunner';
import { registerExportImportCommands } from './commands/exportImportCommands';
import { registerLocalModelCommands } from './commands/localModelCommands';
import { LocalModelService } from './services/localModelService';
import { registerClipScoreCommands } from './commands/clipScoreCommands';
import { KeyDestinationGate } from './services/keyDestinationGate';
import { modelSettingsReporter } from './services/modelSettingsReport';
import { ownOrigins } from './providers/keyDestinations';
import { RegionEditorProvider } from './webviews/regionEditorProvider';
import { REGION_EDITOR_VIEW_TYPE } from './webviews/regionEditorViewType';
import { registerRegionCommands } from './commands/regionCommands';

/** What the extension exposes to its integration tests (and to other extensions). */
export interface ImageCaptionerApi {
  readonly dataset: DatasetService;
  readonly tree: DatasetTreeProvider;
  readonly editors: CaptionEditorProvider;
  readonly regionEditors: RegionEditorProvider;
  readonly treeView: vscode.TreeView<DatasetTreeNode>;
  readonly captioning: CaptioningService;
  readonly localModels: LocalModelService;
  /** This extension's log folder (tests check that no key ever reaches a log). */
  readonly logUri: vscode.Uri;
}

export function activate(context: vscode.ExtensionContext): ImageCaptionerApi {
  const log = vscode.window.createOutputChannel('Image Captioner', { log: true });
  const dataset = new DatasetService(context.workspaceState, log);
  const previews = new ImagePreviews(vscode.Uri.joinPath(context.globalStorageUri, 'previews'));
  const tree = new DatasetTreeProvider(dataset);
  const treeView = vscode.window.createTreeView(DATASET_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true, canSelectMany: true });
  const registry = new ModelRegistry(context.workspaceState, modelSettingsReporter(log));
  const localModels = new LocalModelService(context, log);
  const providers = new ProviderFactory({ onWarning: (message) => log.warn(message), local: localModels.captionRunner });
  const keyGate = new KeyDestinationGate(context.globalState, ownOrigins(registry.builtIn), log);
  const captioning = new CaptioningService(registry, new ApiKeys(context.secrets), keyGate, providers, dataset, log);
  const editors = new CaptionEditorProvider(context, dataset, previews, captioning);
  // segment, describe and fuse come from the segmentation service and region describer when they are wired in
  const regionEditors = new RegionEditorProvider(context, dataset, previews, {}, (image, text, model) => editors.offerCandidate(image, text, model));
  const documents = new VirtualDocuments();
  const bulk = new BulkEditService(dataset, documents, (captionPath) => editors.hasUnsavedCaption(captionPath));
  const scopes = new ScopePicker(dataset, tree, treeView);
  const patterns = new PatternRunner({ threadPath: context.asAbsolutePath(path.join('dist', 'patternWorker.js')) });
  const batchActivity = new BatchActivity();
  const runner = new BatchRunner(captioning, dataset, journalFolder(context), (captionPath) => editors.hasUnsavedCaption(captionPath), batchActivity);
  context.subscriptions.push(
    log,
    localModels,
    registry,
    dataset,
    tree,
    treeView,
    new BatchStatusBar(batchActivity),
    vscode.window.registerCustomEditorProvider(CAPTION_EDITOR_VIEW_TYPE, editors, {
      supportsMultipleEditorsPerDocument: false,
    }),
    vscode.window.registerCustomEditorProvider(REGION_EDITOR_VIEW_TYPE, regionEditors, { supportsMultipleEditorsPerDocument: false }),
    ...registerRegionCommands(dataset, editors),
    ...registerDatasetCommands(dataset, tree, treeView, editors),
    ...registerNavigationCommands(dataset, editors),
    registerRenameImageCommand(dataset),
    ...registerModelCommands(captioning, editors),
    ...registerBatchCommands(dataset, tree, treeView, captioning, runner, scopes),
    bulk,
    documents,
    patterns,
    ...registerEditCommands(dataset, scopes, bulk, documents, (captionPath) => editors.unsavedCaptionText(captionPath), patterns),
    ...registerExportImportCommands(dataset, scopes, bulk, log),
    ...registerLocalModelCommands(localModels, registry),
    ...registerClipScoreCommands(localModels, dataset, scopes, context),
    treeView.onDidChangeVisibility((e) => {
      if (e.visible) void dataset.whenReady();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => {
      if (!dataset.rootPath && vscode.workspace.workspaceFolders?.[0]) void dataset.open(vscode.workspace.workspaceFolders[0].uri.fsPath);
    }),
  );
  updateViewTitle(dataset, tree, treeView);
  if (treeView.visible || startupViewRequested()) void dataset.whenReady().then(() => openFirstImageIfAsked(dataset));
  return { dataset, tree, editors, regionEditors, treeView, captioning, localModels, logUri: context.logUri };
}

/** The opt-in start-up view of a dataset: the Dataset view and the first uncaptioned image in the editor. */
function startupViewRequested(): boolean {
  return vscode.workspace.getConfiguration('imageCaptioner').get<boolean>('openFirstImageOnStartup', false);
}

async function openFirstImageIfAsked(dataset: DatasetService): Promise<void> {
  if (!startupViewRequested()) return;
  const index = dataset.index;
  const editorOpen = vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText || t.input instanceof vscode.TabInputCustom));
  if (!index || index.size === 0 || editorOpen) return;
  await vscode.commands.executeCommand('imageCaptioner.dataset.focus');
  const image = index.nextUncaptioned(undefined) ?? index.at(0)!;
  await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(index.imagePath(image)), CAPTION_EDITOR_VIEW_TYPE);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
