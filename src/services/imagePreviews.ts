import * as vscode from 'vscode';
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { createHash } from 'node:crypto';
import type { DatasetBoundary } from '../core/files/datasetBoundary';
import { ImageHeader, readImageHeader } from '../core/images/imageHeader';
import { sharpWithinPixelLimit } from '../core/images/pixelLimit';

/** Formats a webview cannot display; they are shown through a PNG preview in extension storage. */
const NEEDS_PREVIEW = new Set(['.tif', '.tiff']);
const PREVIEW_MAX_SIDE = 4096;

export interface ImageProbe extends ImageHeader {
  /** A PNG to show instead of the file, for formats the webview cannot decode. */
  readonly previewPath?: string;
}

/** Reads image headers for their size and makes display previews; never writes into the dataset. */
export class ImagePreviews {
  constructor(readonly folder: vscode.Uri) {}

  /** The image's header, and a preview where needed; an image that is not a regular file inside `boundary` is refused. */
  async probe(file: string, boundary: DatasetBoundary): Promise<ImageProbe> {
    const header = await readImageHeader(file, boundary);
    if (header.error || !NEEDS_PREVIEW.has(path.extname(file).toLowerCase())) return header;
    try {
      return { ...header, previewPath: await this.pngPreview(file, header.mtimeMs, header.fileSize) };
    } catch (err) {
      return { ...header, error: `Cannot decode this image for display: ${(err as Error).message}` };
    }
  }

  private async pngPreview(file: string, mtimeMs: number, size: number): Promise<string> {
    const key = createHash('sha1').update(`${file}\0${mtimeMs}\0${size}`).digest('hex');
    const target = path.join(this.folder.fsPath, `${key}.png`);
    if (await fs.stat(target).then(() => true, () => false)) return target;
    await fs.mkdir(this.folder.fsPath, { recursive: true });
    const temp = `${target}.${process.pid}.tmp`;
    const { image } = await sharpWithinPixelLimit(file);
    await image.rotate().resize(PREVIEW_MAX_SIDE, PREVIEW_MAX_SIDE, { fit: 'inside', withoutEnlargement: true }).png().toFile(temp);
    await fs.rename(temp, target);
    return target;
  }
}
