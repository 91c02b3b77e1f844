export const CAPTION_EDITOR_VIEW_TYPE = 'imageCaptioner.captionEditor';
