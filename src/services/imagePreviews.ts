import * as vscode from 'vscode';
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { createHash } from 'node:crypto';
import { imageSizeFromFile } from 'image-size/fromFile';

/** Formats a webview cannot display; they are shown through a PNG preview in extension storage. */
const NEEDS_PREVIEW = new Set(['.tif', '.tiff']);
const PREVIEW_MAX_SIDE = 4096;

export interface ImageProbe {
  readonly fileSize: number;
  readonly mtimeMs: number;
  /** Pixel size as displayed (EXIF rotation applied). */
  readonly width?: number;
  readonly height?: number;
  /** A PNG to show instead of the file, for formats the webview cannot decode. */
  readonly previewPath?: string;
  readonly error?: string;
}

/** Reads image headers for their size and makes display previews; never writes into the dataset. */
export class ImagePreviews {
  constructor(readonly folder: vscode.Uri) {}

  async probe(file: string): Promise<ImageProbe> {
    let stat;
    try {
      stat = await fs.stat(file);
    } catch (err) {
      return { fileSize: 0, mtimeMs: 0, error: `Cannot read the image: ${(err as Error).message}` };
    }
    const base = { fileSize: stat.size, mtimeMs: Math.round(stat.mtimeMs) };
    if (stat.size === 0) return { ...base, error: 'The image file is empty (0 bytes).' };
    let width: number | undefined;
    let height: number | undefined;
    try {
      const size = await imageSizeFromFile(file);
      const rotated = (size.orientation ?? 1) >= 5;
      width = rotated ? size.height : size.width;
      height = rotated ? size.width : size.height;
    } catch (err) {
      return { ...base, error: `Not a readable image: ${(err as Error).message}` };
    }
    if (!NEEDS_PREVIEW.has(path.extname(file).toLowerCase())) return { ...base, width, height };
    try {
      return { ...base, width, height, previewPath: await this.pngPreview(file, stat.mtimeMs, stat.size) };
    } catch (err) {
      return { ...base, width, height, error: `Cannot decode this image for display: ${(err as Error).message}` };
    }
  }

  private async pngPreview(file: string, mtimeMs: number, size: number): Promise<string> {
    const key = createHash('sha1').update(`${file}\0${mtimeMs}\0${size}`).digest('hex');
    const target = path.join(this.folder.fsPath, `${key}.png`);
    if (await fs.stat(target).then(() => true, () => false)) return target;
    await fs.mkdir(this.folder.fsPath, { recursive: true });
    const sharp = (await import('sharp')).default;
    const temp = `${target}.${process.pid}.tmp`;
    await sharp(file).rotate().resize(PREVIEW_MAX_SIDE, PREVIEW_MAX_SIDE, { fit: 'inside', withoutEnlargement: true }).png().toFile(temp);
    await fs.rename(temp, target);
    return target;
  }
}
