import * as vscode from 'vscode';
import { FolderNode, ImageEntry } from '../core/dataset/types';
import { deepImages } from '../core/dataset/datasetIndex';
import { DatasetService } from '../services/datasetService';
import { DatasetTreeNode, DatasetTreeProvider, isImage } from '../views/datasetTreeProvider';
import { showInformation } from '../services/notifications';
import { labelText } from '../services/plainText';

/** Which captions an operation touches: the whole dataset, a folder, the selection, or the current filter. */
export interface Scope {
  readonly label: string;
  readonly images: readonly ImageEntry[];
}

export class ScopePicker {
  constructor(
    private readonly dataset: DatasetService,
    private readonly tree: DatasetTreeProvider,
    private readonly treeView: vscode.TreeView<DatasetTreeNode>,
    /** The Gallery's selection, offered as a scope while it holds images. */
    private readonly gallery?: { readonly imagePaths: readonly string[] },
  ) {}

  /** Images named by a command's arguments (explorer or view selection), else the user's choice of scope. */
  async pick(title: string, arg?: unknown, args?: unknown): Promise<Scope | undefined> {
    await this.dataset.whenReady();
    const index = this.dataset.index;
    if (!index || index.size === 0) {
      void showInformation('Open a dataset folder with images first.');
      return undefined;
    }
    const given = this.fromArguments(arg, args);
    if (given) return given;
    const selection = this.fromNodes(this.treeView.selection);
    const options: Array<vscode.QuickPickItem & { scope?: () => Scope | Promise<Scope | undefined> }> = [
      { label: 'Whole dataset', description: `${index.size} images`, scope: () => ({ label: 'the whole dataset', images: index.images() }) },
    ];
    if (this.tree.query) {
      const visible = this.tree.visibleImages();
      options.push({ label: 'Current filter', description: labelText(`"${this.tree.query}": ${visible.length} images`), scope: () => ({ label: `images matching "${this.tree.query}"`, images: visible }) });
    }
    if (selection.images.length > 0) options.push({ label: 'Selection in the Dataset view', description: `${selection.images.length} images`, scope: () => selection });
    const gallery = this.fromGallery();
    if (gallery) options.push({ label: 'Selection in the Gallery', description: `${gallery.images.length} images`, scope: () => gallery });
    options.push({ label: 'A folder…', scope: () => this.pickFolder() });
    const picked = await vscode.window.showQuickPick(options, { title: `${title}: which captions?` });
    return picked?.scope?.();
  }

  /** The images a command's arguments name (explorer Uris, dataset-view nodes), or undefined when they name none. */
  fromArguments(arg: unknown, args: unknown): Scope | undefined {
    const uris = Array.isArray(args) && args.every((a) => a instanceof vscode.Uri) ? (args as vscode.Uri[]) : arg instanceof vscode.Uri ? [arg] : [];
    if (uris.length > 0) {
      const index = this.dataset.index!;
      const found = new Set<ImageEntry>();
      for (const uri of uris) {
        const image = index.findImage(uri.fsPath);
        if (image) found.add(image);
        const folder = image ? undefined : index.folderOfPath(uri.fsPath);
        if (folder) for (const img of deepImages(folder)) found.add(img);
      }
      return { label: uris.length === 1 ? index.relativePath(uris[0].fsPath) || 'the dataset folder' : `${uris.length} selected items`, images: index.images().filter((i) => found.has(i)) };
    }
    if (arg && typeof arg === 'object' && ('captionState' in arg || 'absPath' in arg)) return this.fromNodes([arg as DatasetTreeNode, ...this.treeView.selection]);
    return undefined;
  }

  /** The images of dataset-view nodes: images, folders (every image below) and pages. */
  fromNodes(nodes: readonly DatasetTreeNode[]): Scope {
    const found = new Set<ImageEntry>();
    for (const node of nodes) {
      if (isImage(node)) found.add(node);
      else if ('absPath' in node) for (const img of deepImages(node)) found.add(img);
      else for (const img of node.folder.images.slice(node.start, node.end)) found.add(img);
    }
    const index = this.dataset.index!;
    return { label: 'the selection', images: index.images().filter((i) => found.has(i)) };
  }

  /** The images selected in the Gallery that are still in the dataset, or undefined when none are. */
  fromGallery(): Scope | undefined {
    const index = this.dataset.index;
    const paths = this.gallery?.imagePaths ?? [];
    if (!index || paths.length === 0) return undefined;
    const images = paths.map((p) => index.findImage(p)).filter((i): i is ImageEntry => Boolean(i));
    return images.length ? { label: 'the selection in the Gallery', images } : undefined;
  }

  private async pickFolder(): Promise<Scope | undefined> {
    const index = this.dataset.index!;
    const folders: FolderNode[] = [];
    const walk = (f: FolderNode): void => {
      folders.push(f);
      f.subfolders.forEach(walk);
    };
    walk(index.root);
    const picked = await vscode.window.showQuickPick(
      folders.map((f) => ({ label: labelText(f.relPath || `${f.name} (root)`), description: `${f.deepImageCount} images`, folder: f })),
      { title: 'Which folder?' },
    );
    return picked && { label: picked.folder.relPath || 'the dataset folder', images: deepImages(picked.folder) };
  }
}
