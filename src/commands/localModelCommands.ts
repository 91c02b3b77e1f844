import * as vscode from 'vscode';
import { modelRef } from '../providers/local/localProvider';
import type { ModelRegistry } from '../providers/modelRegistry';
import { formatBytes, LocalModelService } from '../services/localModelService';
import { Requests, type CachedModel, type LocalTask, type ModelRef } from '../worker/protocol';
import { showError, showInformation, showWarning, withNotificationProgress } from '../services/notifications';
import { labelText } from '../services/plainText';

/** Model management: what is cached (with sizes), deleting one, downloading one ahead of use. */
export function registerLocalModelCommands(local: LocalModelService, registry: ModelRegistry): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('imageCaptioner.local.manageModels', () => manageModels(local, registry)),
    vscode.commands.registerCommand('imageCaptioner.local.downloadModel', (ref?: ModelRef) => downloadModel(local, registry, ref)),
  ];
}

async function manageModels(local: LocalModelService, registry: ModelRegistry): Promise<void> {
  const cached = await local.request(Requests.listCachedModels, {});
  type Item = vscode.QuickPickItem & { model?: CachedModel; download?: true };
  const total = cached.reduce((sum, m) => sum + m.bytes, 0);
  const items: Item[] = [
    ...cached.map((model) => ({ label: labelText(model.id), description: `${formatBytes(model.bytes)} · ${model.files} files`, detail: labelText(model.folder), model })),
    { label: '$(cloud-download) Download a model…', download: true as const },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: cached.length ? `Local models: ${cached.length} cached, ${formatBytes(total)} in ${local.cacheDir}` : `No local models cached yet (${local.cacheDir})`,
    placeHolder: 'Pick a model to delete it or reveal its folder',
  });
  if (!picked) return;
  if (picked.download) return downloadModel(local, registry);
  const model = picked.model!;
  const action = await vscode.window.showQuickPick(['Delete', 'Reveal Folder'], { title: model.id });
  if (action === 'Reveal Folder') {
    await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(model.folder));
  } else if (action === 'Delete') {
    const confirm = await showWarning(
      `Delete ${model.id} (${formatBytes(model.bytes)}) from the model cache? It is downloaded again on next use.`,
      { modal: true },
      'Delete',
    );
    if (confirm !== 'Delete') return;
    const { deleted } = await local.request(Requests.deleteCachedModel, { id: model.id });
    void showInformation(deleted ? `Deleted ${model.id}.` : `${model.id} was no longer in the cache.`);
  }
}

async function downloadModel(local: LocalModelService, registry: ModelRegistry, given?: ModelRef): Promise<void> {
  const ref = given ?? (await pickModelToDownload(local, registry));
  if (!ref) return;
  try {
    const { device } = await withNotificationProgress(
      { title: `Preparing ${ref.id}`, cancellable: true },
      (_progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return local.request(Requests.prepareModel, { model: ref }, { signal: controller.signal });
      },
    );
    void showInformation(`${ref.id} is ready (runs on ${device}).`);
  } catch (error) {
    void showError(error instanceof Error ? error.message : String(error));
  }
}

async function pickModelToDownload(local: LocalModelService, registry: ModelRegistry): Promise<ModelRef | undefined> {
  type Item = vscode.QuickPickItem & { ref?: ModelRef; other?: true };
  const items: Item[] = [
    ...registry.all().filter((m) => m.provider === 'local').map((m) => ({ label: labelText(m.label), description: labelText(m.model ?? ''), ref: modelRef(m) })),
    { label: 'CLIP (CLIP score, image embeddings)', description: labelText(local.clipModel().id), ref: local.clipModel() },
    { label: 'Sentence embeddings (caption clustering)', description: labelText(local.textEmbeddingModel().id), ref: local.textEmbeddingModel() },
    ...[local.imageFeatureModel()].filter((ref) => ref !== undefined).map((ref) => ({ label: 'Image features (image clustering)', description: labelText(ref.id), ref })),
    { label: 'Segmentation (click to segment regions)', description: labelText(local.segmentationModel().id), ref: local.segmentationModel() },
    { label: 'Another model by hub id…', other: true as const },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Download which local model?', matchOnDescription: true });
  if (!picked) return undefined;
  if (picked.ref) return picked.ref;
  const id = await vscode.window.showInputBox({ title: 'Hugging Face hub id of an ONNX model', placeHolder: 'onnx-community/Florence-2-large-ft' });
  if (!id?.trim()) return undefined;
  const tasks: LocalTask[] = ['image-to-text', 'florence2', 'smolvlm', 'wd-tagger', 'clip', 'feature-extraction', 'image-feature-extraction', 'sam'];
  const task = (await vscode.window.showQuickPick(tasks, { title: `What kind of model is ${id}?` })) as LocalTask | undefined;
  return task ? { id: id.trim(), task } : undefined;
}
