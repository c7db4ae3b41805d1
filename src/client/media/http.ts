import { RtmError } from '../../protocol/index.js';

/** Where and as whom the media requests go. */
export interface MediaEndpoint {
  /** The server's http(s) base URL (as given to createInstance). */
  readonly server: string;
  readonly appId: string;
  /** The current login token (kept from login and renewToken). */
  token(): string;
}

/** The absolute URL of a media API path under the server's base URL (which may have a path prefix). */
export function mediaUrl(endpoint: MediaEndpoint, path: string): string {
  const url = new URL(endpoint.server);
  const [pathname, search = ''] = path.split('?');
  url.pathname = url.pathname.replace(/\/+$/, '') + pathname;
  url.search = search;
  url.hash = '';
  return url.toString();
}

/** The headers every media request carries. */
export function mediaHeaders(endpoint: MediaEndpoint): Record<string, string> {
  return { authorization: `Bearer ${endpoint.token()}`, 'x-rtm-app-id': endpoint.appId };
}

/** The RtmError of a failed response: the server's `{ code, reason, message }`, else MEDIA_TRANSFER_FAILED. */
export function httpError(status: number, body: string): RtmError {
  try {
    const parsed = JSON.parse(body) as { reason?: unknown; code?: unknown };
    if (parsed && (typeof parsed.reason === 'string' || typeof parsed.code === 'number')) return RtmError.fromBody(parsed);
  } catch {
    // not JSON: a proxy's error page, say
  }
  return transferFailed(`HTTP ${status}`);
}

export function transferFailed(why: string): RtmError {
  return new RtmError('MEDIA_TRANSFER_FAILED', `Media request failed: ${why}.`);
}

/** A small JSON request to the media API (info, signed URL). */
export async function requestJson<T>(endpoint: MediaEndpoint, method: 'GET' | 'POST', path: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(mediaUrl(endpoint, path), { method, headers: mediaHeaders(endpoint) });
  } catch (error) {
    throw transferFailed(String(error));
  }
  const body = await response.text();
  if (!response.ok) throw httpError(response.status, body);
  return JSON.parse(body) as T;
}
