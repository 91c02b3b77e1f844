import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeCaption } from '../../../src/core/captions/captionStore';
import { parseCaptionSource } from '../../../src/core/import/parseCaptionSource';
import { ImportOptions, planImport } from '../../../src/core/import/planImport';
import { TempDirs, bytesOf } from '../helpers/tempTree';
import { FLICKR_CAPTIONS, cocoJson, datasetAt, flickrCsv, flickrToken } from './importFixtures';
import { DatasetBoundary } from '../../../src/core/files/datasetBoundary';

const [IMG0, IMG1, IMG2] = FLICKR_CAPTIONS.map(([name]) => name);
const CAPS = FLICKR_CAPTIONS.map(([, captions]) => captions);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xd9]);

/** A nested dataset: two Flickr images in one folder (one captioned with CRLF), one elsewhere, one unrelated. */
const FILES = {
  [`flickr/a/${IMG0}`]: JPEG,
  [`flickr/a/${IMG1}`]: JPEG,
  [`flickr/a/${IMG1.replace('.jpg', '.txt')}`]: 'old caption\r\n',
  [`flickr/b/${IMG2}`]: JPEG,
  'other/unrelated.jpg': JPEG,
};

const SOURCES: Record<string, () => string> = {
  'captions.txt': () => flickrCsv(),
  'Flickr8k.token.txt': () => flickrToken(),
  'captions_val.json': () => cocoJson(),
};

describe('import end to end: caption files on disk land beside the images', () => {
  const temp = new TempDirs();
  afterEach(() => temp.cleanup());

  /** Writes the source file and dataset, parses, plans and applies; returns the plan and the caption files' text. */
  async function importInto(sourceName: string, content: string, options: ImportOptions) {
    const root = await temp.make();
    const images = await datasetAt(path.join(root, 'dataset'), FILES);
    const sourceFile = path.join(root, sourceName);
    await fs.promises.writeFile(sourceFile, content);
    const { records } = parseCaptionSource(await fs.promises.readFile(sourceFile), sourceName);
    const plan = planImport(records, images, options);
    for (const write of plan.writes) await writeCaption(write.captionPath, write.after, DatasetBoundary.atSync(root));
    const caption = (rel: string) => bytesOf(path.join(root, 'dataset', ...rel.split('/')))?.toString('utf8');
    return {
      plan,
      texts: {
        img0: caption(`flickr/a/${IMG0.replace('.jpg', '.txt')}`),
        img1: caption(`flickr/a/${IMG1.replace('.jpg', '.txt')}`),
        img2: caption(`flickr/b/${IMG2.replace('.jpg', '.txt')}`),
        unrelated: caption('other/unrelated.txt'),
      },
    };
  }

  for (const [sourceName, make] of Object.entries(SOURCES)) {
    it(`${sourceName}: all captions, overwrite, CRLF of the existing caption kept`, async () => {
      const { plan, texts } = await importInto(sourceName, make(), { which: 'all', conflict: 'overwrite' });
      assert.deepEqual(texts, {
        img0: CAPS[0].join('\n'),
        img1: `${CAPS[1].join('\r\n')}\r\n`,
        img2: CAPS[2].join('\n'),
        unrelated: undefined,
      });
      assert.deepEqual([plan.writes.length, plan.unchanged, plan.skippedExisting, plan.unmatched, plan.ambiguous], [3, 0, 0, [], []]);
    });
  }

  it('captions.txt: caption index 2 with skip leaves the existing caption byte for byte', async () => {
    const { texts, plan } = await importInto('captions.txt', flickrCsv(), { which: 2, conflict: 'skip' });
    assert.deepEqual(texts, { img0: CAPS[0][2], img1: 'old caption\r\n', img2: CAPS[2][2], unrelated: undefined });
    assert.equal(plan.skippedExisting, 1);
  });

  it('Flickr8k.token.txt: first caption appended after the existing one', async () => {
    const { texts } = await importInto('Flickr8k.token.txt', flickrToken(), { which: 'first', conflict: 'append' });
    assert.equal(texts.img1, `old caption ${CAPS[1][0]}\r\n`);
    assert.equal(texts.img0, CAPS[0][0]);
  });

  it('reports rows for images not in the dataset with their lines, and writes nothing for them', async () => {
    const source = flickrCsv([...FLICKR_CAPTIONS, ['9999_missing.jpg', ['one', 'two', 'three', 'four', 'five']]]);
    const { plan, texts } = await importInto('captions.txt', source, { which: 'first', conflict: 'skip' });
    assert.deepEqual(plan.unmatched.map((u) => [u.image, u.line]), [17, 18, 19, 20, 21].map((line) => ['9999_missing.jpg', line]));
    assert.equal(texts.unrelated, undefined);
  });
});
