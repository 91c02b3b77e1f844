/** Dataset exports: WebDataset shards, the seed tool's zip, Hugging Face imagefolder and caption tables. */
export type { ExportControl, ExportProgress, ExportReport, ExportSample, SkippedSample, SkipReason } from './exportTypes';
export { DEFAULT_MAX_SAMPLES_PER_SHARD, DEFAULT_MAX_SHARD_BYTES } from './exportTypes';
export { defaultShardPrefix, exportWebDataset, sampleKey, secondCaptionMember, type WebDatasetOptions } from './webdatasetExport';
export { exportSeedZip, type SeedZipOptions } from './seedZipExport';
export { exportImageFolder, type ImageFolderOptions } from './imageFolderExport';
export { exportCaptionTable, type CaptionTableOptions } from './captionTableExport';
export { EXPORTED_CAPTIONS, withExportedCaptions, type ExportedCaptions } from './exportedCaptions';
