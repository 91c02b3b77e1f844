/** The settings scopes VS Code offers for `imageCaptioner.models`, least specific first. */
export type SettingsScope = 'user' | 'machine' | 'workspace' | 'folder';

/** Where a model entry was written: the built-in catalogue or one settings scope (a folder by name). */
export type ModelOrigin =
  | { readonly scope: 'catalog' }
  | { readonly scope: Exclude<SettingsScope, 'folder'> }
  | { readonly scope: 'folder'; readonly folder: string };

/** An origin of settings, not the catalogue. */
export type SettingsOrigin = Exclude<ModelOrigin, { readonly scope: 'catalog' }>;

export const CATALOG_ORIGIN: ModelOrigin = { scope: 'catalog' };

/** How VS Code's Settings editor names the scope, so a user finds the entry where it was written. */
export function originLabel(origin: ModelOrigin): string {
  switch (origin.scope) {
    case 'catalog':
      return 'built-in catalogue';
    case 'user':
      return 'User settings';
    case 'machine':
      return 'Remote machine settings';
    case 'workspace':
      return 'Workspace settings';
    case 'folder':
      return `Folder settings of ${origin.folder}`;
  }
}
