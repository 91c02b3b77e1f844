import * as vscode from 'vscode';

/** The context key that says how many images are selected in the Gallery (0 when none or closed). */
export const GALLERY_SELECTION_CONTEXT = 'imageCaptioner.gallerySelectionCount';

/**
 * The images selected in the Gallery, shared with the scope picker (the bulk commands' "Selection
 * in the Gallery") and a context key for menus. Paths are absolute image paths.
 */
export class GallerySelection implements vscode.Disposable {
  private paths: readonly string[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the selection changes. */
  readonly onDidChange = this.changed.event;

  /** The selected images' absolute paths, in the gallery's order. */
  get imagePaths(): readonly string[] {
    return this.paths;
  }

  /** Replaces the selection (the gallery's panel calls this; an empty list when it closes). */
  set(imagePaths: readonly string[]): void {
    if (imagePaths.length === 0 && this.paths.length === 0) return;
    this.paths = imagePaths;
    void vscode.commands.executeCommand('setContext', GALLERY_SELECTION_CONTEXT, imagePaths.length);
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
