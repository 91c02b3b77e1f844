import type * as vscode from 'vscode';

/** Text an undo step sets: the document itself, or another text of it (the second caption of a caption editor). */
export interface TextModel {
  readonly text: string;
  setText(text: string): Promise<unknown>;
}

/**
 * One undo step of a text-backed custom document, from the text `before` the edit of `model` (the
 * document unless given): undo puts that text back (remembering the text it replaced), redo puts the
 * remembered text back. `endBurst` runs first either way, so typing after an undo starts a new step.
 */
export function textUndoStep<D extends vscode.CustomDocument>(document: D & TextModel, before: string, label: string, endBurst: () => void): vscode.CustomDocumentEditEvent<D>;
export function textUndoStep<D extends vscode.CustomDocument>(document: D, before: string, label: string, endBurst: () => void, model: TextModel): vscode.CustomDocumentEditEvent<D>;
export function textUndoStep<D extends vscode.CustomDocument>(document: D, before: string, label: string, endBurst: () => void, model: TextModel = document as D & TextModel): vscode.CustomDocumentEditEvent<D> {
  let after: string | undefined;
  return {
    document,
    label,
    undo: async () => {
      endBurst();
      after ??= model.text;
      await model.setText(before);
    },
    redo: async () => {
      endBurst();
      if (after !== undefined) await model.setText(after);
    },
  };
}
