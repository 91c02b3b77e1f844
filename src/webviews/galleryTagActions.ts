import type { CaptionSource, EditPlan } from '../core/edits/editPlan';
import { splitTags } from '../core/captioning/prompts';
import { addTags, removeTags, renameTag, reorderTags } from '../core/edits/tagEdits';
import type { TagRuleFix } from '../core/tagging/tagRuleCheck';
import type { SharedTagAction } from './protocol/galleryMessages';

/**
 * The bulk-edit plan of a shared-tags pane action on the selected captions (the caller previews and
 * applies it); `planRuleFix` plans a tag rule's fix (the caption editor's `CaptionTagRules.planFix`).
 */
export function planSharedTagAction(sources: readonly CaptionSource[], action: SharedTagAction, planRuleFix: (sources: readonly CaptionSource[], fix: TagRuleFix) => EditPlan): EditPlan {
  switch (action.kind) {
    case 'rename':
      return renameTag(sources, { from: action.from, to: action.to ?? '' });
    case 'remove':
      // The tag was clicked, not typed: a '*' in it is part of its name.
      return removeTags(sources, { tags: [action.tag], literal: true });
    case 'reorder':
      return reorderTags(sources, { order: action.order });
    case 'add':
      return addTags(sources, { tags: splitTags(action.tags), position: action.position, after: action.after });
    case 'ruleFix':
      return planRuleFix(sources, { kind: action.rule, tag: action.tag });
  }
}
