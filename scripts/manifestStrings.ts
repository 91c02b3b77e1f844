/**
 * The user-visible strings of package.json: what VS Code shows from the manifest (command titles
 * and categories, setting descriptions, views, welcome content, the walkthrough, ...). Each gets a
 * stable key for package.nls.json; `localizeManifest.ts` moves them there, and a unit test keeps
 * every later contribution from forgetting.
 */

export type JsonPath = ReadonlyArray<string | number>;

export interface ManifestString {
  /** Where the string sits in package.json. */
  readonly path: JsonPath;
  /** Its key in package.nls.json (the manifest holds `%key%`). */
  readonly key: string;
  readonly value: string;
}

type Json = unknown;
type Obj = Record<string, Json>;

const isObj = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: Json): Json[] => (Array.isArray(v) ? v : []);

/** Setting fields VS Code shows (strings, or lists of strings). */
const SETTING_TEXT = ['title', 'description', 'markdownDescription', 'deprecationMessage', 'markdownDeprecationMessage'];
const SETTING_TEXT_LISTS = ['enumDescriptions', 'markdownEnumDescriptions', 'enumItemLabels'];

/** Every user-visible string of the manifest, in document order, with its key. */
export function manifestStrings(manifest: Obj): ManifestString[] {
  const out: ManifestString[] = [];
  const add = (path: JsonPath, key: string, value: Json): void => {
    if (typeof value === 'string') out.push({ path, key, value });
  };
  add(['displayName'], 'displayName', manifest.displayName);
  add(['description'], 'description', manifest.description);
  const c = isObj(manifest.contributes) ? manifest.contributes : {};
  list(c.commands).forEach((cmd, i) => {
    if (!isObj(cmd)) return;
    const id = String(cmd.command);
    add(['contributes', 'commands', i, 'title'], `${id}.title`, cmd.title);
    add(['contributes', 'commands', i, 'shortTitle'], `${id}.shortTitle`, cmd.shortTitle);
    add(['contributes', 'commands', i, 'category'], 'category', cmd.category);
  });
  for (const [containerKind, containers] of Object.entries(isObj(c.viewsContainers) ? c.viewsContainers : {})) {
    list(containers).forEach((box, i) => {
      if (isObj(box)) add(['contributes', 'viewsContainers', containerKind, i, 'title'], `${String(box.id)}.container.title`, box.title);
    });
  }
  for (const [container, views] of Object.entries(isObj(c.views) ? c.views : {})) {
    list(views).forEach((view, i) => {
      if (!isObj(view)) return;
      add(['contributes', 'views', container, i, 'name'], `${String(view.id)}.name`, view.name);
      add(['contributes', 'views', container, i, 'contextualTitle'], `${String(view.id)}.contextualTitle`, view.contextualTitle);
    });
  }
  list(c.viewsWelcome).forEach((welcome, i) => {
    if (isObj(welcome)) add(['contributes', 'viewsWelcome', i, 'contents'], `${String(welcome.view)}.welcome.${i}`, welcome.contents);
  });
  list(c.customEditors).forEach((editor, i) => {
    if (isObj(editor)) add(['contributes', 'customEditors', i, 'displayName'], `${String(editor.viewType)}.displayName`, editor.displayName);
  });
  list(c.submenus).forEach((menu, i) => {
    if (isObj(menu)) add(['contributes', 'submenus', i, 'label'], `${String(menu.id)}.label`, menu.label);
  });
  const configurations = Array.isArray(c.configuration) ? c.configuration : isObj(c.configuration) ? [c.configuration] : [];
  configurations.forEach((conf, ci) => {
    if (!isObj(conf)) return;
    const base: JsonPath = Array.isArray(c.configuration) ? ['contributes', 'configuration', ci] : ['contributes', 'configuration'];
    add([...base, 'title'], `configuration.${ci}.title`, conf.title);
    for (const [setting, schema] of Object.entries(isObj(conf.properties) ? conf.properties : {})) settingStrings([...base, 'properties', setting], setting, schema, add);
  });
  list(c.walkthroughs).forEach((walk, wi) => {
    if (!isObj(walk)) return;
    const id = String(walk.id);
    add(['contributes', 'walkthroughs', wi, 'title'], `${id}.title`, walk.title);
    add(['contributes', 'walkthroughs', wi, 'description'], `${id}.description`, walk.description);
    list(walk.steps).forEach((step, si) => {
      if (!isObj(step)) return;
      const at: JsonPath = ['contributes', 'walkthroughs', wi, 'steps', si];
      const stepKey = `${id}.${String(step.id)}`;
      add([...at, 'title'], `${stepKey}.title`, step.title);
      add([...at, 'description'], `${stepKey}.description`, step.description);
      if (isObj(step.media)) add([...at, 'media', 'altText'], `${stepKey}.altText`, step.media.altText);
    });
  });
  const untrusted = isObj(manifest.capabilities) && isObj(manifest.capabilities.untrustedWorkspaces) ? manifest.capabilities.untrustedWorkspaces : undefined;
  if (untrusted) add(['capabilities', 'untrustedWorkspaces', 'description'], 'capabilities.untrustedWorkspaces.description', untrusted.description);
  return out;
}

/** A setting's texts, and those of the schema of its items / properties (an object or array setting). */
function settingStrings(at: JsonPath, key: string, schema: Json, add: (path: JsonPath, key: string, value: Json) => void): void {
  if (!isObj(schema)) return;
  for (const field of SETTING_TEXT) add([...at, field], `${key}.${field}`, schema[field]);
  for (const field of SETTING_TEXT_LISTS) list(schema[field]).forEach((text, i) => add([...at, field, i], `${key}.${field}.${i}`, text));
  if (isObj(schema.items)) settingStrings([...at, 'items'], `${key}.items`, schema.items, add);
  for (const [name, sub] of Object.entries(isObj(schema.properties) ? schema.properties : {})) settingStrings([...at, 'properties', name], `${key}.${name}`, sub, add);
}

/** `%key%` references in the manifest: the key, or undefined for a literal string. */
export function nlsReference(value: string): string | undefined {
  const match = /^%([^%\s]+)%$/.exec(value);
  return match?.[1];
}
