import { serviceFetch } from './boundedFetch';
import { ErrorContext, errorFromResponse, redactSecrets } from './httpErrors';
import { RequestStep, hostOf } from './requestSteps';
import { ProviderError } from './types';

/** NVIDIA Cloud Functions API base (assets and pexec status): a NIM legacy entry's nvcfBaseUrl unless it names another. */
export const DEFAULT_NVCF_BASE_URL = 'https://api.nvcf.nvidia.com';

/** Time allowed to delete an asset; its own limit, so a cancelled request still cleans up. */
const DELETE_TIMEOUT_MS = 10_000;

export interface NvcfAssetClient {
  /** The NVCF API base (the model's nvcfBaseUrl). */
  readonly baseUrl: string;
  readonly apiKey?: string;
  /** Cancels creation and upload (deletion has its own limit and always runs). */
  readonly signal: AbortSignal;
  /** For error messages; its secrets are redacted from them. */
  readonly context: ErrorContext;
  /** Told when an asset could not be deleted (it expires on NVIDIA's side, but the user should know). */
  readonly onWarning: (message: string) => void;
}

export interface AssetUpload {
  readonly data: Buffer;
  readonly contentType: string;
  readonly description: string;
}

/** Creates an asset, uploads the bytes, runs `use` with its id, and deletes it afterwards whatever happened. */
export async function withNvcfAsset<T>(client: NvcfAssetClient, upload: AssetUpload, use: (assetId: string) => Promise<T>): Promise<T> {
  const { assetId, uploadUrl } = await createAsset(client, upload);
  try {
    await putAssetBytes(client, uploadUrl, upload);
    return await use(assetId);
  } finally {
    await deleteAsset(client, assetId).catch((err: unknown) =>
      client.onWarning(redactSecrets(`NVCF asset ${assetId} could not be deleted: ${(err as Error)?.message ?? String(err)}`, client.context.secrets)),
    );
  }
}

async function createAsset(client: NvcfAssetClient, upload: AssetUpload): Promise<{ assetId: string; uploadUrl: string }> {
  const url = `${trimSlash(client.baseUrl)}/v2/nvcf/assets`;
  const context = stepContext(client.context, 'asset creation', url);
  const response = await serviceFetch(context, 'asset creation')(url, {
    method: 'POST',
    headers: { ...authHeader(client.apiKey), 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ contentType: upload.contentType, description: upload.description }),
    signal: client.signal,
  });
  const body = await response.text();
  if (!response.ok) throw errorFromResponse(response.status, body, response.headers, context);
  let parsed: { assetId?: unknown; uploadUrl?: unknown } = {};
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    // reported below with the other malformed shapes
  }
  if (typeof parsed.assetId !== 'string' || !parsed.assetId || typeof parsed.uploadUrl !== 'string' || !parsed.uploadUrl) {
    throw new ProviderError('bad-response', `${client.context.service}: NVCF asset creation returned no assetId/uploadUrl`, { status: response.status });
  }
  return { assetId: parsed.assetId, uploadUrl: parsed.uploadUrl };
}

/** The upload URL is pre-signed storage: it gets no Authorization header, so the key never leaves NVIDIA's API. */
async function putAssetBytes(client: NvcfAssetClient, uploadUrl: string, upload: AssetUpload): Promise<void> {
  const context = stepContext(client.context, 'asset upload', uploadUrl);
  const response = await serviceFetch(context, 'asset upload')(uploadUrl, {
    method: 'PUT',
    headers: { 'Content-Type': upload.contentType, 'x-amz-meta-nvcf-asset-description': upload.description },
    body: upload.data,
    signal: client.signal,
  });
  const body = await response.text();
  if (!response.ok) throw errorFromResponse(response.status, body, response.headers, context);
}

async function deleteAsset(client: NvcfAssetClient, assetId: string): Promise<void> {
  const url = `${trimSlash(client.baseUrl)}/v2/nvcf/assets/${encodeURIComponent(assetId)}`;
  const context = stepContext(client.context, 'asset delete', url);
  const response = await serviceFetch(context, 'asset delete')(url, {
    method: 'DELETE',
    headers: { ...authHeader(client.apiKey), Accept: 'application/json' },
    signal: AbortSignal.timeout(DELETE_TIMEOUT_MS),
  });
  const body = await response.text();
  if (!response.ok && response.status !== 404) throw errorFromResponse(response.status, body, response.headers, context);
}

/** How errors of an NVCF step read: its step and host named; not the retired route, so a 404 there is no retirement. */
export function stepContext(context: ErrorContext, step: RequestStep, url: string): ErrorContext {
  return { ...context, retiredNote: undefined, target: { step, host: hostOf(url) } };
}

export function authHeader(apiKey: string | undefined): Record<string, string> {
  return apiKey ? { Authorization: `Bearer ${apiKey}` } : {};
}

export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
