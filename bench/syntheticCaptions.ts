/** Seeded synthetic captions with known topics, for the clustering benchmark. */
import { seededRandom } from '../src/core/analytics/random';

const TOPICS: readonly string[][] = [
  ['dog', 'puppy', 'leash', 'fetch', 'bark', 'collar', 'terrier', 'kennel', 'paw', 'tail'],
  ['cat', 'kitten', 'whiskers', 'purr', 'litter', 'tabby', 'yarn', 'meow', 'claws', 'windowsill'],
  ['car', 'sedan', 'highway', 'wheel', 'engine', 'bumper', 'traffic', 'parking', 'headlights', 'garage'],
  ['beach', 'ocean', 'waves', 'sand', 'surf', 'shore', 'seashell', 'tide', 'lifeguard', 'umbrella'],
  ['mountain', 'peak', 'snow', 'hiker', 'trail', 'summit', 'glacier', 'ridge', 'alpine', 'cliff'],
  ['kitchen', 'chef', 'pan', 'stove', 'knife', 'vegetables', 'cutting', 'oven', 'recipe', 'apron'],
  ['city', 'skyscraper', 'street', 'crowd', 'taxi', 'sidewalk', 'billboard', 'downtown', 'subway', 'avenue'],
  ['forest', 'pine', 'moss', 'fern', 'canopy', 'deer', 'mushroom', 'woodland', 'stream', 'bark'],
  ['soccer', 'ball', 'goal', 'player', 'stadium', 'referee', 'jersey', 'kick', 'pitch', 'team'],
  ['flower', 'petals', 'garden', 'rose', 'tulip', 'bloom', 'bee', 'pollen', 'vase', 'bouquet'],
];
const FILLER = ['photo', 'image', 'picture', 'view', 'background', 'bright', 'dark', 'small', 'large', 'old', 'new',
  'colorful', 'close', 'shot', 'scene', 'day', 'light', 'detail', 'wide', 'angle', 'sunny', 'cloudy', 'morning', 'evening'];
const GLUE = ['a', 'the', 'with', 'in', 'on', 'of', 'and', 'near'];
const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'tas', 'vor', 'bel', 'dun', 'fi', 'gar', 'hol', 'jun', 'pex', 'quo', 'sil', 'tor', 'ul', 'wen', 'yar', 'zem'];
/** Real caption sets have thousands of terms with a long tail: each topic gets 300 rarer words of its own, and 3,000 are shared. */
const TOPIC_TAIL = 300;
const SHARED_TAIL = 3000;

/** The n-th made-up word: syllables spelling n in base 20, so every n gives a distinct word of letters. */
function madeUpWord(n: number): string {
  let word = '';
  let rest = n;
  do {
    word += SYLLABLES[rest % SYLLABLES.length];
    rest = Math.floor(rest / SYLLABLES.length);
  } while (rest > 0);
  return `${word}x`;
}

/** A skewed pick from a long tail (low indices far more often), as word frequencies are. */
function tailIndex(r: number, size: number): number {
  return Math.min(size - 1, Math.floor(size * r * r * r));
}

/** `count` captions, each mostly one topic's words with shared filler; `topics[i]` is caption i's topic. */
export function syntheticCaptions(count: number, seed: number): { texts: string[]; topics: Int32Array } {
  const random = seededRandom(seed);
  const texts: string[] = [];
  const topics = new Int32Array(count);
  const pick = <T>(list: readonly T[]): T => list[random.int(list.length)];
  for (let i = 0; i < count; i++) {
    const topic = random.int(TOPICS.length);
    topics[i] = topic;
    const words: string[] = [];
    const length = 8 + random.int(10);
    for (let w = 0; w < length; w++) {
      const r = random.next();
      // Mostly the topic's words (common ones and its own long tail), filler and a shared long tail,
      // a little of another topic (captions are never pure).
      words.push(
        r < 0.38 ? pick(TOPICS[topic])
          : r < 0.48 ? madeUpWord(topic * TOPIC_TAIL + tailIndex(random.next(), TOPIC_TAIL))
            : r < 0.68 ? pick(FILLER)
              : r < 0.78 ? madeUpWord(TOPICS.length * TOPIC_TAIL + tailIndex(random.next(), SHARED_TAIL))
                : r < 0.93 ? pick(GLUE) : pick(pick(TOPICS)),
      );
    }
    words[0] = words[0][0].toUpperCase() + words[0].slice(1);
    texts.push(`${words.join(' ')}.`);
  }
  return { texts, topics };
}
