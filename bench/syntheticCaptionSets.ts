/** Seeded image-caption sets for the metric benchmarks: per image five references and one candidate, all tokenized. */
import { seededRandom } from '../src/core/analytics/random';
import { ScoredItem } from '../src/core/metrics/metricTypes';

// Words of the kind the shared caption-metrics fixture uses (Flickr-like scenes), plus a long tail of rarer ones.
const SUBJECTS = ['man', 'woman', 'child', 'boy', 'girl', 'dog', 'horse', 'biker', 'skier', 'surfer', 'group of people', 'old man',
  'young woman', 'brown dog', 'black dog', 'white horse', 'little girl', 'football player', 'crowd', 'cat'];
const VERBS = ['is running', 'runs', 'jumps', 'swims', 'is sitting', 'stands', 'plays', 'rides', 'walks', 'is climbing', 'climbs',
  'is standing', 'looks', 'waits', 'dances'];
const PLACES = ['on the grass', 'in the water', 'up a hill', 'on a rock', 'in the snow', 'on the beach', 'down the street',
  'in front of a building', 'on a wave', 'near a fence', 'through the field', 'in a park', 'on a bench', 'by the lake'];
const EXTRAS = ['', '', 'at night', 'in the sun', 'with friends', 'with a ball', 'with a red shirt', 'in the rain', 'on a sunny day'];
const ARTICLES = ['a', 'an', 'the', 'two', 'some'];
const TAIL = 5000;

const pick = <T>(random: ReturnType<typeof seededRandom>, list: readonly T[]): T => list[random.int(list.length)];

/** A rare word: many distinct ones, as real caption vocabularies have. */
function tailWord(random: ReturnType<typeof seededRandom>): string {
  const r = random.next();
  return `w${Math.floor(TAIL * r * r * r)}`;
}

function caption(random: ReturnType<typeof seededRandom>, subject: string, place: string): string[] {
  const words = [pick(random, ARTICLES), ...subject.split(' '), ...pick(random, VERBS).split(' ')];
  words.push(...(random.next() < 0.7 ? place : pick(random, PLACES)).split(' '));
  const extra = pick(random, EXTRAS);
  if (extra) words.push(...extra.split(' '));
  if (random.next() < 0.3) words.splice(1 + random.int(words.length - 1), 0, tailWord(random));
  return words;
}

/** `count` images; each has a scene (subject, place) its references share, and a candidate of the same scene or not. */
export function syntheticCaptionSets(count: number, seed: number): ScoredItem[] {
  const random = seededRandom(seed);
  const items: ScoredItem[] = [];
  for (let i = 0; i < count; i++) {
    const subject = pick(random, SUBJECTS);
    const place = pick(random, PLACES);
    const references = Array.from({ length: 5 }, () => caption(random, subject, place));
    const candidate = random.next() < 0.6 ? caption(random, subject, place) : caption(random, pick(random, SUBJECTS), pick(random, PLACES));
    items.push({ id: `img${i}`, candidate, references });
  }
  return items;
}
