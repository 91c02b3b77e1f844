/** The Dataset view's id (package.json `contributes.views`): its tree, its progress bar. */
export const DATASET_VIEW_ID = 'imageCaptioner.dataset';
