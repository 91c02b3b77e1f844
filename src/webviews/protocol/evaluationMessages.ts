/**
 * Messages between the evaluation report panel and its host: one union per direction. The webview
 * shows one report at a time; later messages name an image by its dataset-relative path and a
 * model by its id, as the report does.
 */
import type { EvaluationReport, ReportTextExport } from '../../core/evaluation/evaluationReport';

export type { EvaluationReport };

/** What the webview keeps across reloads (getState/setState); the serializer hands it back to the host. */
export interface EvaluationViewState {
  /** The report file shown (absolute path), read again when VS Code restores the panel. */
  readonly reportFile?: string;
  readonly sort?: ImageSort;
  readonly page?: number;
}

/** The metrics the per-image view sorts by. */
export type ImageMetric = 'bleu4' | 'ciderD' | 'clip';

/** How the per-image view is ordered. */
export type ImageSort =
  | { readonly kind: 'path'; readonly descending: boolean }
  | { readonly kind: 'metric'; readonly modelId: string; readonly metric: ImageMetric; readonly descending: boolean }
  /** The spread of the models' CIDEr-D on the image: where they agree least. */
  | { readonly kind: 'disagreement'; readonly descending: boolean };

/** The exports the panel offers (the report's text exports). */
export type ReportExport = ReportTextExport;

export type ToEvaluationWebview =
  | {
      readonly type: 'report';
      readonly report: EvaluationReport;
      readonly reportFile: string;
      /** Webview URI of the report's dataset folder (imageSrc joins a path to it). */
      readonly imageBase: string;
      /** Why "Use this caption" cannot write here (the report's dataset is not the one open); absent when it can. */
      readonly readOnly?: string;
    }
  /** A model's caption became the image's caption file. */
  | { readonly type: 'captionUsed'; readonly path: string; readonly modelId: string }
  | { readonly type: 'captionUseFailed'; readonly path: string; readonly modelId: string; readonly error: string }
  /** Something the user asked for is done (an export written): shown in the status line. */
  | { readonly type: 'status'; readonly message: string }
  | { readonly type: 'error'; readonly message: string };

export type FromEvaluationWebview =
  | { readonly type: 'ready' }
  /** Write this model's caption of this image to the image's caption file (the caption editor's rules). */
  | { readonly type: 'useCaption'; readonly path: string; readonly modelId: string }
  /** Open the image in the caption editor. */
  | { readonly type: 'openImage'; readonly path: string }
  | { readonly type: 'export'; readonly what: ReportExport }
  /** The chart as PNG bytes (Plotly.toImage in the webview), to be saved where the user says. */
  | { readonly type: 'exportChart'; readonly png: Uint8Array };
