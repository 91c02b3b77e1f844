import { boundedFetch } from './boundedFetch';
import { ErrorContext, errorFromResponse, redactSecrets } from './httpErrors';
import { ProviderError } from './types';

/** NVIDIA Cloud Functions API base (assets and pexec status); tests point it at a fake server. */
export const DEFAULT_NVCF_BASE_URL = 'https://api.nvcf.nvidia.com';

/** Time allowed to delete an asset; its own limit, so a cancelled request still cleans up. */
const DELETE_TIMEOUT_MS = 10_000;

export interface NvcfAssetClient {
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
  const response = await boundedFetch(client.context.service)(`${trimSlash(client.baseUrl)}/v2/nvcf/assets`, {
    method: 'POST',
    headers: { ...authHeader(client.apiKey), 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ contentType: upload.contentType, description: upload.description }),
    signal: client.signal,
  });
  const body = await response.text();
  if (!response.ok) throw errorFromResponse(response.status, body, response.headers, assetContext(client, 'create'));
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
  const response = await boundedFetch(client.context.service)(uploadUrl, {
    method: 'PUT',
    headers: { 'Content-Type': upload.contentType, 'x-amz-meta-nvcf-asset-description': upload.description },
    body: upload.data,
    signal: client.signal,
  });
  const body = await response.text();
  if (!response.ok) throw errorFromResponse(response.status, body, response.headers, assetContext(client, 'upload'));
}

async function deleteAsset(client: NvcfAssetClient, assetId: string): Promise<void> {
  const response = await boundedFetch(client.context.service)(`${trimSlash(client.baseUrl)}/v2/nvcf/assets/${encodeURIComponent(assetId)}`, {
    method: 'DELETE',
    headers: { ...authHeader(client.apiKey), Accept: 'application/json' },
    signal: AbortSignal.timeout(DELETE_TIMEOUT_MS),
  });
  const body = await response.text();
  if (!response.ok && response.status !== 404) throw errorFromResponse(response.status, body, response.headers, assetContext(client, 'delete'));
}

/** Asset endpoints are not the retired route: a 404 there is not the model's retirement. */
function assetContext(client: NvcfAssetClient, step: string): ErrorContext {
  return { ...client.context, service: `${client.context.service} (NVCF asset ${step})`, retiredNote: undefined };
}

export function authHeader(apiKey: string | undefined): Record<string, string> {
  return apiKey ? { Authorization: `Bearer ${apiKey}` } : {};
}

export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
