import type { DatasetIndex } from './datasetIndex';
import type { FolderNode, ImageEntry } from './types';

interface Owners {
  readonly captions: Map<string, ImageEntry[]>;
  readonly seconds: Map<string, ImageEntry[]>;
}

/**
 * The images of a folder that claim each caption and second caption path (two in a collision), built
 * once per folder for a batch of watcher changes: each changed file is then a lookup, not a scan of
 * its folder (a bulk edit of 5,000 captions in one folder held the host's thread for 2.2 s).
 */
export class SidecarOwners {
  private readonly folders = new Map<FolderNode, Owners>();

  constructor(private readonly index: DatasetIndex) {}

  /** The images whose caption file is `file` (an absolute path in `folder`). */
  captionOf(folder: FolderNode, file: string): readonly ImageEntry[] {
    return this.of(folder).captions.get(file) ?? [];
  }

  /** The images whose second caption file is `file`; none when the dataset has no second captions. */
  secondCaptionOf(folder: FolderNode, file: string): readonly ImageEntry[] {
    return this.of(folder).seconds.get(file) ?? [];
  }

  private of(folder: FolderNode): Owners {
    let owners = this.folders.get(folder);
    if (owners) return owners;
    owners = { captions: new Map(), seconds: new Map() };
    for (const image of folder.images) {
      add(owners.captions, this.index.captionPath(image), image);
      const second = this.index.secondCaptionPath(image);
      if (second !== undefined) add(owners.seconds, second, image);
    }
    this.folders.set(folder, owners);
    return owners;
  }
}

function add(map: Map<string, ImageEntry[]>, file: string, image: ImageEntry): void {
  const owners = map.get(file);
  if (owners) owners.push(image);
  else map.set(file, [image]);
}
