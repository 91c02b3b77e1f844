/** Messages between the caption editor's host and its webview: one union per direction. */

export interface ImageInfo {
  /** Webview URI of the image (or of a PNG preview for formats the webview cannot show). */
  readonly src: string;
  readonly fileName: string;
  readonly relativePath: string;
  readonly fileSize: number;
  readonly width?: number;
  readonly height?: number;
  /** Why the image cannot be shown, when it cannot. */
  readonly error?: string;
}

export interface CaptionInfo {
  readonly text: string;
  readonly fileName: string;
  /** False when the caption must not be edited here (not UTF-8, shared by two images). */
  readonly editable: boolean;
  readonly exists: boolean;
  /** What the user must know and do, e.g. how to resolve a collision. */
  readonly warning?: string;
}

export interface DatasetPosition {
  /** 1-based; 0 when the image is not part of the open dataset. */
  readonly index: number;
  readonly total: number;
  readonly uncaptioned: number;
}

export type ToWebviewMessage =
  | { readonly type: 'init'; readonly image: ImageInfo; readonly caption: CaptionInfo; readonly position: DatasetPosition }
  | { readonly type: 'captionChanged'; readonly text: string }
  | { readonly type: 'captionInfo'; readonly caption: CaptionInfo }
  | { readonly type: 'position'; readonly position: DatasetPosition };

export type NavigationIntent = 'next' | 'previous' | 'nextUncaptioned';

export type FromWebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'edit'; readonly text: string }
  | { readonly type: 'navigate'; readonly move: NavigationIntent }
  | { readonly type: 'openCaptionAsText' }
  | { readonly type: 'renameImage' };
