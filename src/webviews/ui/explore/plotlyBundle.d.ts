/**
 * plotly.js's strict bundle (no `new Function`: its scattergl draws with precompiled regl
 * commands, so the webview needs no 'unsafe-eval') has the API, and the types, of plotly.js.
 */
declare module 'plotly.js-strict-dist-min' {
  export * from 'plotly.js';
}
