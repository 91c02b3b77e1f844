export const EXPLORE_VIEW_TYPE = 'imageCaptioner.explore';
