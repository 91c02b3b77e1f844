import { ErrorContext, redactSecrets } from './httpErrors';
import { StepTarget, stepAdvice } from './requestSteps';
import { ProviderError } from './types';

/**
 * Failures without an HTTP reply, told apart by what they mean for the next request: a service that
 * cannot be reached at all (DNS, refused, no route, TLS) is `unreachable`; a connection lost on the
 * way (reset, closed mid-reply) is `network`, which a retry may cure. Each message names the host
 * and the step, since a legacy NIM request talks to more than one host.
 */

/** Codes that say no connection could be made: the next request to that host fails the same way. */
const UNREACHABLE_CODES = new Set([
  'ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA',
  'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EHOSTDOWN', 'EADDRNOTAVAIL',
  'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT',
]);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
/** OpenSSL's certificate verdicts as Node names them (the ERR_SSL_* / ERR_TLS_* families are matched by prefix). */
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_REVOKED', 'CERT_UNTRUSTED', 'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE', 'HOSTNAME_MISMATCH', 'EPROTO',
]);

/** The first error code in an error's cause chain (fetch puts it one or two levels down), or undefined. */
export function failureCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    const { code, errors, cause } = current as { code?: unknown; errors?: unknown; cause?: unknown };
    if (typeof code === 'string' && code) return code;
    // Happy eyeballs: every address failed, each with its own error
    if (Array.isArray(errors)) {
      const inner = errors.map(failureCode).find((c) => c !== undefined);
      if (inner) return inner;
    }
    current = cause;
  }
  return undefined;
}

/** True for codes that say the service cannot be reached: DNS, refused, unreachable, connect timeout, TLS. */
export function isUnreachableCode(code: string | undefined): boolean {
  if (!code) return false;
  return UNREACHABLE_CODES.has(code) || isTlsCode(code);
}

function isTlsCode(code: string): boolean {
  return CERTIFICATE_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_');
}

/** What happened, in words, with the code for anyone searching it. */
function whatHappened(code: string | undefined, err: unknown): string {
  if (!code) {
    const e = err as { cause?: { message?: unknown }; message?: unknown } | undefined;
    const detail = e?.cause?.message ?? e?.message ?? String(err);
    return `the connection failed (${String(detail)})`;
  }
  if (DNS_CODES.has(code)) return `the host name does not resolve (${code})`;
  if (code === 'ECONNREFUSED') return `the connection was refused (${code})`;
  if (isTlsCode(code)) return `the secure (TLS) connection failed (${code})`;
  if (UNREACHABLE_CODES.has(code)) return `no connection could be made (${code})`;
  return `the connection was lost (${code})`;
}

/**
 * A ProviderError for a failure without a reply: kind `unreachable` when no connection could be made,
 * `network` otherwise; the message names the step, the host when known, and what to check.
 */
export function connectionError(err: unknown, context: ErrorContext, target: StepTarget | undefined): ProviderError {
  const code = failureCode(err);
  const step = target?.step ?? 'request';
  const where = target ? `the ${step} to ${target.host}` : `the ${step}`;
  const unreachable = isUnreachableCode(code);
  // a connection lost on the way says nothing about the address: no advice to check it
  const message = `${context.service}: ${where} failed: ${whatHappened(code, err)}.${unreachable ? ` ${stepAdvice(step)}.` : ''}`;
  return new ProviderError(unreachable ? 'unreachable' : 'network', redactSecrets(message, context.secrets));
}

/** Maps a failure without a reply (refused, reset, aborted, timed out) to a ProviderError; `target` names where it happened. */
export function errorFromFailure(err: unknown, context: ErrorContext, timedOut: boolean, cancelled: boolean, target?: StepTarget): ProviderError {
  if (err instanceof ProviderError) return err;
  if (cancelled) return new ProviderError('cancelled', `${context.service}: request cancelled`);
  if (timedOut) return new ProviderError('timeout', `${context.service} did not answer in time`);
  return connectionError(err, context, target);
}
