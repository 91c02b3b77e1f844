/** COCO captions JSON: `{ images: [{ id, file_name }], annotations: [{ image_id, caption }] }`. */

import { CaptionRecord, ImportParseError } from './importTypes';
import { IndexCounter } from './indexCounter';
import { jsonTypeOf, parseJsonAt } from './jsonErrors';

type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One record per annotation, in annotation order; `index` counts each image's captions from 0. */
export function parseCocoCaptions(text: string, file: string): CaptionRecord[] {
  const doc = parseJsonAt(text, file);
  if (!isObject(doc)) throw new ImportParseError(file, `expected a COCO captions object, found ${jsonTypeOf(doc)}`);
  const images = arrayField(doc, 'images', file);
  const annotations = arrayField(doc, 'annotations', file);

  const fileNames = new Map<unknown, string>();
  images.forEach((image, i) => {
    const where = `images[${i}]`;
    if (!isObject(image)) throw new ImportParseError(file, `${where} is ${jsonTypeOf(image)}, expected an object`);
    if (typeof image.file_name !== 'string' || image.file_name === '') {
      throw new ImportParseError(file, `${where} has no "file_name" string`);
    }
    if (typeof image.id !== 'number' && typeof image.id !== 'string') {
      throw new ImportParseError(file, `${where} ("${image.file_name}") has no "id"`);
    }
    fileNames.set(image.id, image.file_name);
  });

  const index = new IndexCounter();
  return annotations.map((annotation, i) => {
    const where = `annotations[${i}]`;
    if (!isObject(annotation)) throw new ImportParseError(file, `${where} is ${jsonTypeOf(annotation)}, expected an object`);
    const image = fileNames.get(annotation.image_id);
    if (image === undefined) {
      throw new ImportParseError(file, `${where} refers to image_id ${JSON.stringify(annotation.image_id)}, which is not in "images"`);
    }
    if (typeof annotation.caption !== 'string') {
      throw new ImportParseError(file, `${where} has "caption" ${jsonTypeOf(annotation.caption)}, expected a string`);
    }
    return { image, caption: annotation.caption.trim(), index: index.next(image) };
  });
}

function arrayField(doc: JsonObject, key: string, file: string): unknown[] {
  const value = doc[key];
  if (!Array.isArray(value)) {
    const found = value === undefined ? 'it is missing' : `found ${jsonTypeOf(value)}`;
    throw new ImportParseError(file, `not COCO captions: "${key}" must be an array (${found})`);
  }
  return value;
}
