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
import { TaggingService } from './services/taggingService';
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
import { SegmentationService } from './services/segmentationService';
import { RegionDescriber, RegionDescriberDeps } from './services/regionDescriber';
import { readRegionSettings } from './regionSettings';
import { registerDamServerCommands } from './commands/damServerCommands';
import { DEFAULT_RETRY_POLICY } from './core/captioning/retryPolicy';
import type { ModelEntry } from './providers/types';
import { EmbeddingService } from './services/embeddingService';
import { HostedEmbeddings } from './services/hostedEmbeddings';
import { ExploreVectors } from './services/exploreVectors';
import { KnownKeys } from './services/knownKeys';
import { ExplorePanels, exploreStopWords, registerExploreCommands, saveExploreStopWords } from './commands/exploreCommands';
import { ExploreComputation } from './webviews/exploreComputation';
import { ExploreRunner } from './core/explore/exploreRunner';
import { LayoutCache } from './core/explore/layoutCache';
import { CaptionLinter } from './services/captionLinter';
import { registerLintCommands } from './commands/lintCommands';
import { lintDependencies } from './services/lintModelDeps';
import { registerConnectionTestCommand } from './commands/connectionTestCommand';
import { GettingStarted } from './commands/gettingStarted';
import { EvaluationPanels } from './webviews/evaluationPanels';
import { evaluationsFolder, registerEvaluationReportCommands } from './commands/evaluationReportCommands';
import { registerEvaluateCommands } from './commands/evaluateCommands';
import { EvaluationService } from './services/evaluationService';
import { DatasetTags } from './services/datasetTags';
import { TagCompletionService } from './services/tagCompletionService';
import { TAGS_VIEW_ID, TagsTreeProvider } from './views/tagsTreeProvider';
import { registerTagCommands } from './commands/tagCommands';
import { GalleryPanels, registerGalleryCommands } from './commands/galleryCommands';
import { GallerySelection } from './services/gallerySelection';
import { bulkEditRunner } from './commands/bulkEditRun';
import type { ActionDeps } from './webviews/exploreActions';
import { RatingsService } from './services/ratingsService';
import { RatingsFollower } from './services/ratingsFollower';
import { TrashService } from './services/trashService';
import { hasDirtyTab, registerCurationCommands } from './commands/curationCommands';

/** What the extension exposes to its integration tests (and to other extensions). */
export interface ImageCaptionerApi {
  readonly dataset: DatasetService;
  readonly tree: DatasetTreeProvider;
  readonly editors: CaptionEditorProvider;
  readonly regionEditors: RegionEditorProvider;
  readonly treeView: vscode.TreeView<DatasetTreeNode>;
  readonly captioning: CaptioningService;
  readonly localModels: LocalModelService;
  /** WD taggers (Tag Images with a WD Tagger…, the caption editor's tag candidates). */
  readonly tagging: TaggingService;
  /** The Explore panel's embedding sources (built-in descriptors, local and hosted models). */
  readonly exploreVectors: ExploreVectors;
  /** The Explore panel ("Visualize Dataset"). */
  readonly explore: ExplorePanels;
  /** Caption lint (its notes say which token counter and model rules the last run used). */
  readonly linter: CaptionLinter;
  /** This extension's log folder (tests check that no key ever reaches a log). */
  readonly logUri: vscode.Uri;
  /** The walkthrough, the sample dataset and the "model chosen" context. */
  readonly gettingStarted: GettingStarted;
  /** Whether this activation opened the walkthrough (the first activation does). */
  readonly walkthroughShownOnActivation: Promise<boolean>;
  /** The evaluation report panel (issue 13). */
  readonly evaluationReports: EvaluationPanels;
  /** Where evaluation reports are kept (`<workspace storage>/evaluations`). */
  readonly evaluationsFolder: string;
  /** The Tags view (issue 18). */
  readonly tags: TagsTreeProvider;
  /** Tag autocomplete (the caption editor's, and the gallery's shared-tags input). */
  readonly tagCompletion: TagCompletionService;
  /** The Gallery panel (issue 18). */
  readonly gallery: GalleryPanels;
  /** Star ratings of the open dataset (issue 18). */
  readonly ratings: RatingsService;
  /** Move to Trash and its undo (issue 18). */
  readonly trash: TrashService;
}

export function activate(context: vscode.ExtensionContext): ImageCaptionerApi {
  const log = vscode.window.createOutputChannel('Image Captioner', { log: true });
  const dataset = new DatasetService(context.workspaceState, log);
  const previews = new ImagePreviews(vscode.Uri.joinPath(context.globalStorageUri, 'previews'));
  const tree = new DatasetTreeProvider(dataset);
  const treeView = vscode.window.createTreeView(DATASET_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true, canSelectMany: true });
  const registry = new ModelRegistry(context.workspaceState, modelSettingsReporter(log));
  const localModels = new LocalModelService(context, log);
  const tagging = new TaggingService(registry, localModels, log);
  const providers = new ProviderFactory({ onWarning: (message) => log.warn(message), local: localModels.captionRunner });
  const keyGate = new KeyDestinationGate(context.globalState, ownOrigins(registry.builtIn), log);
  const captioning = new CaptioningService(registry, new ApiKeys(context.secrets), keyGate, providers, dataset, log);
  captioning.tagging = tagging;
  const editors = new CaptionEditorProvider(context, dataset, previews, captioning);
  // one embeddings cache folder and one EmbeddingService, shared by CLIP score and the Explore panel
  const embeddingsFolder = path.join(context.globalStorageUri.fsPath, 'embeddings');
  const embeddings = new EmbeddingService(localModels.embeddingBackend, embeddingsFolder);
  const hostedEmbeddings = new HostedEmbeddings(embeddingsFolder);
  const knownKeys = new KnownKeys(captioning.keys, context.secrets, keyGate);
  void knownKeys.refresh(registry.embeddingModels()).catch((err: unknown) => log.warn(`Could not read the stored API keys: ${(err as Error).message}`));
  const exploreVectors = new ExploreVectors({
    isTrusted: () => vscode.workspace.isTrusted,
    local: embeddings,
    hosted: hostedEmbeddings,
    localModels: () => localModels.embeddingModels(),
    embeddingModels: () => registry.embeddingModels(),
    hostedProblem: (model) => knownKeys.problem(model),
    refresh: () => knownKeys.refresh(registry.embeddingModels()),
    prepareToSend: (model) => captioning.prepareToSend(model),
    cacheFolder: embeddingsFolder,
  });
  const segmentation = new SegmentationService(localModels.segmentationBackend);
  const describerDeps: RegionDescriberDeps = {
    models: registry,
    settings: readRegionSettings,
    isTrusted: () => vscode.workspace.isTrusted,
    prepareToSend: (model) => captioning.prepareToSend(model),
    providers,
    checkImage: async (imagePath) => void (await (await dataset.boundaryFor(imagePath)).realFile(imagePath)),
    log,
  };
  const describer = new RegionDescriber(describerDeps);
  // a batch retries each image itself (the batch engine's policy): its describer does not retry on top of that
  const batchDescriber = new RegionDescriber({ ...describerDeps, retryPolicy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 } });
  const regionEditors = new RegionEditorProvider(
    context,
    dataset,
    previews,
    {
      // the worker reads the image itself: only one whose real path is inside the dataset, like every other read
      segment: async (image, prompt, signal) => (await describerDeps.checkImage(image), segmentation.segment(image, prompt, signal)),
      describe: (r) => describer.describe(r),
      fuse: (r) => describer.fuse(r),
    },
    (image, text, model) => editors.offerCandidate(image, text, model),
  );
  const regionsDirty = (regionsPath: string): boolean =>
    regionEditors.hasUnsavedRegions(regionsPath) || vscode.workspace.textDocuments.some((d) => d.isDirty && d.uri.scheme === 'file' && d.uri.fsPath === regionsPath);
  captioning.isRegionsProtected = regionsDirty;
  const damOutput = vscode.window.createOutputChannel('Describe Anything Server');
  const documents = new VirtualDocuments();
  const bulk = new BulkEditService(dataset, documents, (captionPath) => editors.hasUnsavedCaption(captionPath));
  const gallerySelection = new GallerySelection();
  const scopes = new ScopePicker(dataset, tree, treeView, gallerySelection);
  const ratings = new RatingsService(dataset, log);
  tree.useRatings(ratings);
  editors.useRatings(ratings);
  const trash = new TrashService(dataset, ratings, (file) => editors.hasUnsavedCaption(file) || regionsDirty(file) || hasDirtyTab(file), (message) => log.warn(message));
  const lint = lintDependencies({ dataset, localModels, embeddings, vectors: exploreVectors, log, threadPath: context.asAbsolutePath(path.join('dist', 'lintWorker.js')) });
  const linter = new CaptionLinter(dataset, lint.deps);
  const patterns = new PatternRunner({ threadPath: context.asAbsolutePath(path.join('dist', 'patternWorker.js')) });
  const exploreRunner = new ExploreRunner({ threadPath: context.asAbsolutePath(path.join('dist', 'exploreWorker.js')) });
  const panelActions: ActionDeps = {
    isTrusted: () => vscode.workspace.isTrusted,
    showInDatasetView: async (relPaths, label) => {
      await tree.showImageSet(relPaths, label);
      updateViewTitle(dataset, tree, treeView);
      await vscode.commands.executeCommand('imageCaptioner.dataset.focus');
    },
  };
  const explore = new ExplorePanels({
    dataset,
    tree,
    treeView,
    scopes,
    extensionUri: context.extensionUri,
    vectors: exploreVectors,
    computation: new ExploreComputation({
      engine: exploreRunner,
      // layouts are kept per workspace (a folder of a few MB at most), else with the extension
      cache: new LayoutCache(path.join((context.storageUri ?? context.globalStorageUri).fsPath, 'explore-layouts')),
      vectors: exploreVectors,
      imagePath: (image) => dataset.index!.imagePath(image),
      stopWords: exploreStopWords,
    }),
    actions: panelActions,
    saves: { dataset, hasUnsavedCaption: (captionPath) => editors.hasUnsavedCaption(captionPath) },
    stopWords: exploreStopWords,
    setStopWords: saveExploreStopWords,
    log,
    ratings,
  });
  const gallery = new GalleryPanels({
    dataset, tree, treeView, scopes, extensionUri: context.extensionUri, selection: gallerySelection, previews, log,
    edits: bulkEditRunner(dataset, bulk, (captionPath) => editors.unsavedCaptionText(captionPath)),
    suggestTags: (typed, exclude) => tagCompletion.suggest(typed, undefined, exclude),
    ratings,
    actions: panelActions,
  });
  const gettingStarted = new GettingStarted(context, registry);
  tree.nextStepHint = () => (registry.selected() ? undefined : vscode.l10n.t('No captioning model chosen yet: run "Image Captioner: Select Captioning Model…" or "Image Captioner: Get Started".'));
  const evaluationReports = new EvaluationPanels({
    extensionUri: context.extensionUri,
    dataset,
    saves: { dataset, hasUnsavedCaption: (captionPath) => editors.hasUnsavedCaption(captionPath) },
    log,
  });
  const batchActivity = new BatchActivity();
  const runner = new BatchRunner(captioning, dataset, journalFolder(context), (captionPath) => editors.hasUnsavedCaption(captionPath), batchActivity, {
    textSource: (fuseModel: ModelEntry) => ({
      describe: (r) => batchDescriber.describe(r),
      fuse: (r) => batchDescriber.fuse({ ...r, modelId: fuseModel.id }),
    }),
    isRegionsDirty: regionsDirty,
  }, tagging);
  // reports and the candidates of each run stay in the workspace's storage, never in the dataset
  const datasetTags = new DatasetTags(dataset);
  const tags = new TagsTreeProvider(datasetTags, tree, log);
  const tagsView = vscode.window.createTreeView(TAGS_VIEW_ID, { treeDataProvider: tags });
  const tagCompletion = new TagCompletionService(dataset, datasetTags, log, context.asAbsolutePath(path.join('dist', 'tagCompleteWorker.js')));
  editors.tagCompletion = tagCompletion;
  const evaluation = new EvaluationService(dataset, captioning, batchActivity, localModels, embeddings, evaluationsFolder(context));
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
    ...registerBatchCommands(dataset, tree, treeView, captioning, runner, scopes, () => fuseModelForBatch(describer, captioning), (ask) => tagging.taggerFor(ask)),
    registerDamServerCommands(damOutput),
    damOutput,
    describer,
    batchDescriber,
    bulk,
    documents,
    patterns,
    ...registerEditCommands(dataset, scopes, bulk, documents, (captionPath) => editors.unsavedCaptionText(captionPath), patterns),
    ...registerExportImportCommands(dataset, scopes, bulk, log, ratings),
    ratings,
    new RatingsFollower(dataset, ratings, log),
    ...registerCurationCommands({ dataset, ratings, trash, scopes, treeView, editors }),
    ...registerLocalModelCommands(localModels, registry),
    ...registerClipScoreCommands(localModels, embeddings, dataset, scopes, ratings),
    exploreRunner,
    ...registerExploreCommands(explore),
    gallerySelection,
    ...registerGalleryCommands(gallery),
    linter,
    lint.disposable,
    ...registerLintCommands(linter, scopes, bulk),
    gettingStarted,
    registerConnectionTestCommand(captioning),
    registry.onDidChange(() => updateViewTitle(dataset, tree, treeView)),
    ...registerEvaluationReportCommands(evaluationReports, evaluationsFolder(context)),
    ...registerEvaluateCommands(evaluation, captioning, async (report, file) => void evaluationReports.show(report, file)),
    hostedEmbeddings,
    knownKeys,
    datasetTags,
    tags,
    tagsView,
    tagCompletion,
    ...registerTagCommands({ dataset, datasetTree: tree, datasetView: treeView, tags, tagsView, scopes, bulk, unsavedText: (captionPath) => editors.unsavedCaptionText(captionPath) }),
    registry.onDidChange(() => void knownKeys.refresh(registry.embeddingModels()).catch((err: unknown) => log.warn(`Could not read the stored API keys: ${(err as Error).message}`))),
    treeView.onDidChangeVisibility((e) => {
      if (e.visible) void dataset.whenReady();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => {
      if (!dataset.rootPath && vscode.workspace.workspaceFolders?.[0]) void dataset.open(vscode.workspace.workspaceFolders[0].uri.fsPath);
    }),
  );
  updateViewTitle(dataset, tree, treeView);
  if (treeView.visible || startupViewRequested()) void dataset.whenReady().then(() => openFirstImageIfAsked(dataset));
  const walkthroughShownOnActivation = Promise.resolve(gettingStarted.showOnFirstActivation()).catch((err: unknown) => {
    log.warn(`The walkthrough could not be opened: ${(err as Error).message}`);
    return false;
  });
  return {
    dataset, tree, editors, regionEditors, treeView, captioning, localModels, tagging, exploreVectors, explore, linter, logUri: context.logUri,
    gettingStarted, walkthroughShownOnActivation, evaluationReports, evaluationsFolder: evaluationsFolder(context), tags, tagCompletion, gallery, ratings, trash,
  };
}

/** The model a region batch fuses with: the fuse setting's, else the selected captioning model (asked for when none is). */
async function fuseModelForBatch(describer: RegionDescriber, captioning: CaptioningService): Promise<ModelEntry | undefined> {
  const model = describer.fuseModel();
  if (model) return model;
  const configured = readRegionSettings().fuseModel;
  if (configured) throw new Error(`No model "${configured}" is known (imageCaptioner.regions.fuseModel): pick one from "Image Captioner: Select Model", or add it to imageCaptioner.models.`);
  return captioning.currentModel();
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
