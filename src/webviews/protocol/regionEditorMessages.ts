/**
 * Messages between the region editor's host and its webview: one union per direction. Requests
 * that take time (segment, describe, fuse) carry an id chosen by the webview; the host answers
 * each with exactly one `reply` or `replyError` of that id, streams text as `delta`s tagged with
 * it, and stops the work when a `cancel` of that id arrives.
 */
import type { DraftRegion } from '../../core/regions/regionEdits';
import type { Region } from '../../core/regions/regionTypes';
import type { ImageInfo } from './captionEditorMessages';

export type { Region };

/** The image under the regions: the caption editor's description of it (where to load it from, its size, or why it cannot be shown). */
export type RegionImageInfo = ImageInfo;

/** Where a malformed sidecar went wrong (1-based), as the parser found it. */
export interface RegionsProblem {
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

/** The regions document as the webview shows it. */
export interface RegionsState {
  readonly regions: readonly Region[];
  readonly fileName: string;
  readonly exists: boolean;
  /** False when the sidecar may not be changed here (malformed, unreadable, outside the dataset). */
  readonly editable: boolean;
  /** Why it is read-only, with the line and column of a syntax or schema problem. */
  readonly problem?: RegionsProblem;
}

/** Why each service is not available here; a missing field means it is. */
export interface ServiceAvailability {
  readonly segment?: string;
  readonly describe?: string;
  readonly fuse?: string;
}

/** Click-to-segment prompt: points and an optional box, all in 0..1 of the image. */
export interface SegmentPromptMessage {
  readonly points: ReadonlyArray<{ readonly x: number; readonly y: number; readonly positive: boolean }>;
  readonly box?: readonly [number, number, number, number];
}

/** What the webview asks the host to do and waits for. */
export type RegionRequest =
  | { readonly kind: 'segment'; readonly prompt: SegmentPromptMessage }
  | { readonly kind: 'describe'; readonly regionId: string }
  | { readonly kind: 'fuse' };

/** The answer to each kind of request. */
export interface RegionReplies {
  readonly segment: { readonly kind: 'segment'; readonly rle: { readonly size: [number, number]; readonly counts: string }; readonly bbox: [number, number, number, number]; readonly score: number; readonly model: string; readonly millis: number };
  /** The description was written into the region (an undoable edit of the sidecar). */
  readonly describe: { readonly kind: 'describe'; readonly regionId: string; readonly text: string; readonly model: string };
  /** The fused caption was offered as a candidate in the image's caption editor. */
  readonly fuse: { readonly kind: 'fuse'; readonly text: string; readonly model: string };
}

export type RegionReply = RegionReplies[keyof RegionReplies];

export type ToRegionWebviewMessage =
  | { readonly type: 'init'; readonly image: RegionImageInfo; readonly state: RegionsState; readonly availability: ServiceAvailability }
  | { readonly type: 'regions'; readonly state: RegionsState }
  | { readonly type: 'availability'; readonly availability: ServiceAvailability }
  /** An edit was refused or something needs the user's attention: shown as plain text. */
  | { readonly type: 'notice'; readonly message: string }
  | { readonly type: 'reply'; readonly requestId: string; readonly reply: RegionReply }
  | { readonly type: 'replyError'; readonly requestId: string; readonly message: string; readonly cancelled: boolean }
  | { readonly type: 'delta'; readonly requestId: string; readonly text: string };

/** A region as the webview drafts it: the host clips it, checks it and stamps `updated`. */
export type RegionDraft = DraftRegion;

export type FromRegionWebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'addRegions'; readonly regions: readonly RegionDraft[] }
  | { readonly type: 'updateRegion'; readonly region: RegionDraft; readonly typing?: boolean }
  | { readonly type: 'deleteRegions'; readonly ids: readonly string[] }
  | { readonly type: 'request'; readonly requestId: string; readonly request: RegionRequest }
  | { readonly type: 'cancel'; readonly requestId: string }
  | { readonly type: 'openCaptionEditor' };
