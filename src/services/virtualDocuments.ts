import * as vscode from 'vscode';

/** The scheme of this extension's read-only generated documents (bulk-edit previews, reports). */
export const VIRTUAL_SCHEME = 'imageCaptioner-preview';

/** Read-only documents whose text the extension generates: previews of bulk edits, statistics reports. */
export class VirtualDocuments implements vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(VIRTUAL_SCHEME, {
      onDidChange: this.changeEmitter.event,
      provideTextDocumentContent: (uri) => this.contents.get(uri.toString()) ?? '',
    });
  }

  /** Sets the text of the document named `name` (slashes become underscores) and returns its URI. */
  show(name: string, content: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: VIRTUAL_SCHEME, path: `/${name.replace(/[\\/]/g, '_')}` });
    this.contents.set(uri.toString(), content);
    this.changeEmitter.fire(uri);
    return uri;
  }

  /** Forgets a document's text (an open editor of it then shows nothing). */
  forget(uri: vscode.Uri): void {
    this.contents.delete(uri.toString());
  }

  dispose(): void {
    this.registration.dispose();
    this.changeEmitter.dispose();
  }
}
