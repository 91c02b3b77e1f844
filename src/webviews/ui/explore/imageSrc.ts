/** The webview URI of an item's image. DOM-free (unit-tested). */

/** `imageBase` + '/' + the relative path with each '/'-separated part percent-encoded (a '#' or '%' in a name stays a name). */
export function imageSrc(imageBase: string, relPath: string): string {
  return `${imageBase}/${relPath.split('/').map(encodeURIComponent).join('/')}`;
}
