import { CaptionSource, EditPlan } from '../../../src/core/edits/editPlan';

/** Captions keyed by stem; undefined means the image has no caption file. */
export function sources(captions: Record<string, string | undefined>): CaptionSource[] {
  return Object.entries(captions).map(([stem, text]) => ({ imagePath: `/data/${stem}.jpg`, captionPath: `/data/${stem}.txt`, text }));
}

/** The plan's new texts keyed by stem, for golden comparisons. */
export function afters(plan: EditPlan): Record<string, string> {
  return Object.fromEntries(plan.changes.map((c) => [c.captionPath.slice('/data/'.length, -'.txt'.length), c.after]));
}
