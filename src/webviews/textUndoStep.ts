import type * as vscode from 'vscode';

/** A document whose model is text the editor can set (the caption, the regions sidecar). */
export interface TextBackedDocument extends vscode.CustomDocument {
  readonly text: string;
  setText(text: string): Promise<unknown>;
}

/**
 * One undo step of a text-backed custom document, from its text `before` the edit: undo puts that
 * text back (remembering the text it replaced), redo puts the remembered text back. `endBurst` runs
 * first either way, so typing after an undo starts a new step.
 */
export function textUndoStep<D extends TextBackedDocument>(document: D, before: string, label: string, endBurst: () => void): vscode.CustomDocumentEditEvent<D> {
  let after: string | undefined;
  return {
    document,
    label,
    undo: async () => {
      endBurst();
      after ??= document.text;
      await document.setText(before);
    },
    redo: async () => {
      endBurst();
      if (after !== undefined) await document.setText(after);
    },
  };
}
