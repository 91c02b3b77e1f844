import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImageEntry } from '../core/dataset/types';
import { collisionText } from '../core/dataset/collisionText';
import type { DatasetService } from '../services/datasetService';
import { CaptionDocument } from './captionDocument';

/** What a caption save from the Explore panel needs: the dataset, and whether the caption has unsaved text in an editor. */
export interface CaptionSaveDeps {
  readonly dataset: DatasetService;
  readonly hasUnsavedCaption: (captionPath: string) => boolean;
}

/**
 * Saves `text` as the caption of `image` by the caption editor's rules: through the caption file's
 * TextDocument when the file exists (so an editor open elsewhere shows it), created with the core's
 * atomic writer when it does not, refused for a caption shared by two images, one that is not UTF-8,
 * or one with unsaved text in an editor (that text is the user's too). Returns the text saved;
 * throws an error whose message says why and what to do.
 */
export async function saveExploreCaption(image: ImageEntry, text: string, deps: CaptionSaveDeps): Promise<string> {
  const index = deps.dataset.index;
  if (!index) throw new Error('The dataset is not open any more.');
  const imagePath = index.imagePath(image);
  const captionPath = index.captionPath(image);
  const name = path.basename(captionPath);
  if (image.collision) throw new Error(`${collisionText(index, image)} Rename one of them (Rename Image…) before editing its caption.`);
  if (deps.hasUnsavedCaption(captionPath)) throw new Error(`${name} has unsaved changes in an editor: save or revert them there first, then edit it here again.`);
  const doc = await CaptionDocument.open(vscode.Uri.file(imagePath), vscode.Uri.file(captionPath), index.boundary);
  try {
    if (doc.readOnlyReason) throw new Error(`${name} cannot be edited here: ${doc.readOnlyReason}`);
    const normalized = text.replace(/\r\n/g, '\n');
    if (!doc.exists && normalized === '') return ''; // no caption file and no text: nothing to create
    if (!(await doc.setText(normalized))) throw new Error(`VS Code refused the edit of ${name}; your text is kept here.`);
    await doc.save();
    deps.dataset.noteCaption(imagePath, doc.text);
    return doc.text;
  } finally {
    doc.dispose();
  }
}
