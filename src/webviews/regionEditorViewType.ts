export const REGION_EDITOR_VIEW_TYPE = 'imageCaptioner.regionEditor';
