import * as vscode from 'vscode';
import * as path from 'node:path';
import { DatasetIndex } from '../core/dataset/datasetIndex';
import type { DatasetBoundary } from '../core/files/datasetBoundary';
import { CaptionDocument } from './captionDocument';
import { CaptionInfo, DatasetPosition, ImageInfo } from './protocol/captionEditorMessages';
import { ImagePreviews } from '../services/imagePreviews';

/** What the webview shows about the image: where to load it from, its size, or why it cannot be shown. */
export async function describeImage(uri: vscode.Uri, boundary: DatasetBoundary, webview: vscode.Webview, previews: ImagePreviews, index: DatasetIndex | undefined): Promise<ImageInfo> {
  const fileName = path.basename(uri.fsPath);
  const relativePath = index?.relativePath(uri.fsPath) ?? fileName;
  const probe = await previews.probe(uri.fsPath, boundary);
  const src = probe.previewPath ? webview.asWebviewUri(vscode.Uri.file(probe.previewPath)) : webview.asWebviewUri(uri);
  return {
    // An image whose header is refused is never handed to the browser's decoder (a bomb would be decoded there).
    src: probe.error ? undefined : `${src.toString()}?v=${probe.mtimeMs}`,
    fileName,
    relativePath,
    fileSize: probe.fileSize,
    width: probe.width,
    height: probe.height,
    error: probe.error,
  };
}

export function captionInfo(doc: CaptionDocument): CaptionInfo {
  return {
    text: doc.text,
    fileName: path.basename(doc.captionUri.fsPath),
    editable: doc.editable,
    exists: doc.exists,
    warning: doc.readOnlyReason,
  };
}

export function datasetPosition(index: DatasetIndex | undefined, imagePath: string): DatasetPosition {
  if (!index) return { index: 0, total: 0, uncaptioned: 0 };
  const image = index.findImage(imagePath);
  const counts = index.counts();
  return { index: image ? image.position + 1 : 0, total: counts.images, uncaptioned: counts.images - counts.captioned };
}
