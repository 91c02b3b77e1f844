/**
 * The exchanges one caption request may make: the model's request itself, and for NIM legacy routes
 * the NVCF calls around it, each to its own host. Errors name the step and the host, so a failed
 * status poll is never taken for a wrong base URL.
 */

/** One exchange of a request with a service. */
export type RequestStep = 'request' | 'status poll' | 'asset creation' | 'asset upload' | 'asset delete';

/** Where a step went: the step and the host (`name[:port]`) it talked to. */
export interface StepTarget {
  readonly step: RequestStep;
  readonly host: string;
}

const NVCF_HOST_ADVICE = "Check the model's nvcfBaseUrl (the NVCF host that answers status polls and asset requests)";

/** What the user can check when a step cannot reach its host, or its host does not know the address. */
export function stepAdvice(step: RequestStep): string {
  switch (step) {
    case 'request':
      return 'Check the base URL and that the server is running';
    case 'asset upload':
      return 'The upload address came from the NVCF asset service; check that this machine can reach it';
    default:
      return NVCF_HOST_ADVICE;
  }
}

/** `host[:port]` of a URL as fetch was given it; the text itself when it does not parse. */
export function hostOf(input: string | URL | Request): string {
  const text = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  try {
    return new URL(text).host;
  } catch {
    return text;
  }
}
