/**
 * Lets Plotly's own <style> elements pass the webview's strict CSP (`style-src 'nonce-…'`, no
 * 'unsafe-inline'). Plotly creates them from script: one at load (maplibre's CSS, bundled), then
 * per plot `plotly.js-style-global` and `plotly.js-style-<uid>` whose rules it adds through
 * CSSOM `insertRule` (which CSP allows). Without a nonce the browser blocks the elements, their
 * `sheet` stays null and the modebar, cursors and drag layers lose their styling, with a CSP
 * violation each time. So style elements that script creates get the page's nonce; styles from
 * markup (innerHTML of dataset text, should any slip through) still need it and are still refused.
 *
 * Import this module before `plotly.js-strict-dist-min`: the bundle injects its first style while
 * it loads.
 */

/** The nonce the page's scripts were loaded with (browsers hide the attribute; the property keeps it). */
export function pageNonce(doc: Document = document): string | undefined {
  const script = (doc.currentScript as HTMLScriptElement | null) ?? doc.querySelector<HTMLScriptElement>('script[nonce]');
  return script?.nonce || undefined;
}

let stamped = false;

/** From now on, `<style>` elements created by script carry the page's nonce (once per page). */
export function stampScriptStyles(doc: Document = document): void {
  const nonce = pageNonce(doc);
  if (stamped || nonce === undefined) return;
  stamped = true;
  const create = doc.createElement;
  doc.createElement = function createElement(this: Document, tagName: string, options?: ElementCreationOptions): HTMLElement {
    const element = create.call(this, tagName, options);
    if (element instanceof HTMLStyleElement) element.nonce = nonce;
    return element;
  } as Document['createElement'];
}

stampScriptStyles();
