import type { Region } from '../core/regions/regionsSidecar';
import type { RegionReplies, SegmentPromptMessage } from './protocol/regionEditorMessages';

/** What a segmenter answers: a COCO RLE mask (compressed counts) with its box in 0..1. */
export type SegmentAnswer = Omit<RegionReplies['segment'], 'kind'>;

/** A description or fused caption, and the model that wrote it. */
export interface DescribedText {
  readonly text: string;
  readonly model: string;
}

/**
 * The services the region editor calls, given by constructor so the editor works (and is tested)
 * with any of them missing: the UI then says which is not available. Shapes follow
 * SegmentationService.segment and RegionDescriber.describe / fuse.
 */
export interface RegionEditorServices {
  segment?(imagePath: string, prompt: SegmentPromptMessage, signal?: AbortSignal): Promise<SegmentAnswer>;
  describe?(request: {
    readonly imagePath: string;
    readonly sidecarImage: { readonly width: number; readonly height: number };
    readonly region: Region;
    readonly onText?: (delta: string) => void;
    readonly signal?: AbortSignal;
  }): Promise<DescribedText>;
  fuse?(request: {
    readonly imagePath: string;
    readonly regions: readonly Region[];
    readonly onText?: (delta: string) => void;
    readonly signal?: AbortSignal;
  }): Promise<DescribedText>;
}
