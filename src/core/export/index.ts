/** Dataset exports: WebDataset shards, the seed tool's zip, Hugging Face imagefolder and caption tables. */
export type { ExportControl, ExportProgress, ExportReport, ExportSample, SkippedSample, SkipReason } from './exportTypes';
export { exportWebDataset, type WebDatasetOptions } from './webdatasetExport';
export { exportSeedZip, type SeedZipOptions } from './seedZipExport';
export { exportImageFolder, type ImageFolderOptions } from './imageFolderExport';
export { exportCaptionTable, type CaptionTableOptions } from './captionTableExport';
