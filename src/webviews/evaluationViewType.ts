export const EVALUATION_VIEW_TYPE = 'imageCaptioner.evaluationReport';
