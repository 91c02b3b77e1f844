/** What the dataset knows about an image's caption without or after reading it. */
export type CaptionState =
  | 'none' // no caption file
  | 'unknown' // a caption file exists but has not been read yet
  | 'empty' // the caption file holds only whitespace
  | 'text' // the caption file holds text
  | 'unreadable'; // the caption file is not UTF-8 or cannot be read

export interface FolderNode {
  readonly absPath: string;
  /** Path relative to the dataset root with '/' separators; '' for the root. */
  readonly relPath: string;
  readonly name: string;
  readonly parent: FolderNode | undefined;
  subfolders: FolderNode[];
  images: ImageEntry[];
  /** Images in this folder and below it. */
  deepImageCount: number;
  error?: string;
  /** The folder's path with links resolved, once listed. */
  realPath?: string;
}

export interface ImageEntry {
  readonly folder: FolderNode;
  readonly name: string;
  captionState: CaptionState;
  /**
   * Another image in the folder would use one of this image's caption files: the same stem (`a.jpg`,
   * `a.png`), or a second caption that is another image's caption (`a.png`'s `a.tags.txt`, `a.tags.png`'s).
   */
  collision: boolean;
  /** Position in dataset order (depth first, subfolders before images, natural name order). */
  position: number;
}

export interface IndexOptions {
  /** Lower-case image extensions without dots. */
  readonly imageExtensions: ReadonlySet<string>;
  /** With the dot, e.g. `.txt`. */
  readonly captionExtension: string;
  /** Each image's optional second caption file (`.tags.txt`); '' or absent: none. */
  readonly secondCaptionExtension?: string;
  readonly recursive: boolean;
  /** Whether `A.jpg` and `a.png` collide (true on case-insensitive file systems). */
  readonly caseInsensitiveStems: boolean;
  /** Whether folder links leading outside the dataset folder are followed (their targets then count as inside). */
  readonly followLinksOutside: boolean;
}

export interface IndexCounts {
  readonly images: number;
  readonly captioned: number;
  readonly withCaptionFile: number;
  readonly collisions: number;
  readonly folders: number;
}
