/** Renders the marketplace icon (128×128 PNG) from the project's SVG with sharp. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';

/** Side of the marketplace icon in pixels (the marketplace asks for at least 128). */
export const ICON_SIZE = 128;

/** Writes `svgFile` rendered as a `ICON_SIZE`-square PNG to `pngFile`. */
export async function makeIcon(svgFile: string, pngFile: string): Promise<void> {
  await fs.mkdir(path.dirname(pngFile), { recursive: true });
  // The 256-unit SVG is rendered at 512 px (density 144) and scaled down, so its edges are antialiased.
  await sharp(await fs.readFile(svgFile), { density: 144 }).resize(ICON_SIZE, ICON_SIZE).png({ compressionLevel: 9 }).toFile(pngFile);
}

if (require.main === module) {
  const [svg, png] = process.argv.slice(2);
  if (!svg || !png) {
    console.error('usage: node out/scripts/packaging/makeIcon.js <icon.svg> <icon.png>');
    process.exit(2);
  }
  makeIcon(svg, png).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
