/**
 * The Content-Security-Policy of every webview app (no `vscode` import, so browser tests load
 * pages under the very policy VS Code serves): scripts only with the per-load nonce, styles from
 * the extension or with the nonce, images also as data:/blob: URLs, nothing remote.
 *
 * The Explore app's plotly.js needs no relaxation: its strict bundle (plotly.js-strict-dist-min)
 * draws scattergl with precompiled regl commands, so no 'unsafe-eval' (the full bundle's regl
 * compiles them with `new Function`); its <style> elements get the nonce from the app
 * (src/webviews/ui/explore/plotStyles.ts), so no 'unsafe-inline'.
 */
export function webviewCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data: blob:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}
