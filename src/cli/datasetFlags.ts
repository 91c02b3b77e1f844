/** The dataset flags every CLI command shares, apart from the loading so that `--help` loads nothing heavy. */
import { DEFAULT_CAPTION_EXTENSION, DEFAULT_IMAGE_EXTENSIONS } from '../core/dataset/imageFiles';
import type { FlagOptions } from './cliCommand';

/** How a dataset is read, the `imageCaptioner.*` settings of the same names; each left out takes the extension's default. */
export interface DatasetSettings {
  /** `.txt` or `txt` (the setting `imageCaptioner.captionExtension`). */
  readonly captionExtension?: string;
  /** Each image's second caption file, e.g. `.tags.txt` (`imageCaptioner.secondCaption.extension`; default none). */
  readonly secondCaptionExtension?: string;
  /** Without dots (`imageCaptioner.imageExtensions`). */
  readonly imageExtensions?: readonly string[];
  /** Walk subfolders (`imageCaptioner.recursive`, default true). */
  readonly recursive?: boolean;
  /** Follow folder links that lead outside the dataset (`imageCaptioner.followLinksOutsideDataset`, default false). */
  readonly followLinksOutside?: boolean;
}

/** The flags every dataset command accepts, for `parseArgs`. */
export const DATASET_FLAGS = {
  'caption-extension': { type: 'string' },
  'second-caption-extension': { type: 'string' },
  'image-extensions': { type: 'string' },
  'no-recursive': { type: 'boolean' },
  'follow-links-outside': { type: 'boolean' },
} as const satisfies FlagOptions;

/** The help lines of DATASET_FLAGS. */
export const DATASET_FLAGS_HELP = [
  `  --caption-extension EXT     caption file beside each image (default ${DEFAULT_CAPTION_EXTENSION})`,
  '  --second-caption-extension EXT  a second caption file beside each image, e.g. .tags.txt (default: none)',
  `  --image-extensions LIST     comma-separated (default ${DEFAULT_IMAGE_EXTENSIONS.join(',')})`,
  '  --no-recursive              only the folder itself, not its subfolders',
  '  --follow-links-outside      follow folder links that lead outside the dataset (default: not followed)',
].join('\n');

/** DatasetSettings from parsed DATASET_FLAGS values. */
export function datasetSettingsFromFlags(values: { 'caption-extension'?: string; 'second-caption-extension'?: string; 'image-extensions'?: string; 'no-recursive'?: boolean; 'follow-links-outside'?: boolean }): DatasetSettings {
  return {
    ...(values['caption-extension'] === undefined ? {} : { captionExtension: values['caption-extension'] }),
    ...(values['second-caption-extension'] === undefined ? {} : { secondCaptionExtension: values['second-caption-extension'] }),
    ...(values['image-extensions'] === undefined ? {} : { imageExtensions: values['image-extensions'].split(',').map((e) => e.trim()) }),
    ...(values['no-recursive'] ? { recursive: false } : {}),
    ...(values['follow-links-outside'] ? { followLinksOutside: true } : {}),
  };
}
