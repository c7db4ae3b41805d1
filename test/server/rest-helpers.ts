/**
 * Helpers for the REST API tests: requests with Basic or token auth against a real test server,
 * and the seed's example bodies.
 */
import assert from 'node:assert/strict';
import type { RestErrorBody, RestSuccessBody } from '../../src/protocol/index.js';
import { TestClient, type TestServer } from './helpers.js';

export interface RestAnswer<B = RestSuccessBody | RestErrorBody> {
  status: number;
  headers: Headers;
  body: B;
}

/** `Authorization: Basic …` for `key:secret`. */
export const basic = (key: string, secret: string) => `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;

/** The demo app's REST credentials (created by this test server's first start). */
export function demoCredentials(t: TestServer): { restKey: string; restSecret: string } {
  const demo = t.server.createdApps.find((app) => app.id === 'demo');
  assert.ok(demo, 'the test server created the demo app');
  return demo;
}

export const peerPath = (from: string, appId = 'demo', query = '') =>
  `/dev/v2/project/${appId}/rtm/users/${encodeURIComponent(from)}/peer_messages${query}`;
export const channelPath = (from: string, appId = 'demo') => `/dev/v2/project/${appId}/rtm/users/${encodeURIComponent(from)}/channel_messages`;

export const retractPath = (messageId: string, appId = 'demo') => `/dev/v2/project/${appId}/rtm/messages/${encodeURIComponent(messageId)}/retract`;
export const editPath = (messageId: string, appId = 'demo') => `/dev/v2/project/${appId}/rtm/messages/${encodeURIComponent(messageId)}/edit`;
/** `…/reactions/add` (`add`) or `…/reactions/remove`. */
export const reactionPath = (messageId: string, add = true, appId = 'demo') =>
  `/dev/v2/project/${appId}/rtm/messages/${encodeURIComponent(messageId)}/reactions/${add ? 'add' : 'remove'}`;
export const deleteForUserPath = (messageId: string, appId = 'demo') =>
  `/dev/v2/project/${appId}/rtm/messages/${encodeURIComponent(messageId)}/delete_for_user`;
/** The history query of `viewer`'s conversation with a peer or a channel. */
export const historyPath = (viewer: string, target: { peer: string } | { channel: string }, query = '', appId = 'demo') =>
  `/dev/v2/project/${appId}/rtm/users/${encodeURIComponent(viewer)}/` +
  ('peer' in target ? `peer_messages/${encodeURIComponent(target.peer)}` : `channel_messages/${encodeURIComponent(target.channel)}`) +
  query;

export interface PostOptions {
  /** Headers replacing the default Basic auth + JSON content type (pass `{}` for none). */
  headers?: Record<string, string>;
  /** Raw body text instead of JSON.stringify(body). */
  raw?: string;
}

/** POSTs to the test server; by default with the demo app's Basic auth and a JSON body. */
export async function post(t: TestServer, path: string, body?: unknown, options: PostOptions = {}): Promise<RestAnswer> {
  const { restKey, restSecret } = demoCredentials(t);
  const headers = options.headers ?? { authorization: basic(restKey, restSecret), 'content-type': 'application/json;charset=utf-8' };
  const response = await fetch(`${t.url}${path}`, {
    method: 'POST',
    headers,
    body: options.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await response.text();
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/, `JSON answer for ${path}: ${text}`);
  return { status: response.status, headers: response.headers, body: JSON.parse(text) };
}

/** GETs from the test server; by default with the demo app's Basic auth. */
export async function get<B = RestSuccessBody | RestErrorBody>(t: TestServer, path: string, headers?: Record<string, string>): Promise<RestAnswer<B>> {
  const { restKey, restSecret } = demoCredentials(t);
  const response = await fetch(`${t.url}${path}`, { headers: headers ?? { authorization: basic(restKey, restSecret) } });
  const text = await response.text();
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/, `JSON answer for ${path}: ${text}`);
  return { status: response.status, headers: response.headers, body: JSON.parse(text) as B };
}

/** Token-auth headers for `uid` (with a JSON content type, for bodies). */
export async function tokenHeaders(t: TestServer, uid: string): Promise<Record<string, string>> {
  return { 'x-agora-token': await t.token(uid), 'x-agora-uid': uid, 'content-type': 'application/json;charset=utf-8' };
}

/** Asserts a 200 with exactly the seed's three fields and this code; returns the request id. */
export function assertSuccess(answer: RestAnswer, code: RestSuccessBody['code']): string {
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  const body = answer.body as RestSuccessBody;
  assert.deepEqual(Object.keys(body).sort(), ['code', 'request_id', 'result']);
  assert.equal(body.result, 'success');
  assert.equal(body.code, code);
  assert.match(body.request_id, /^[0-9a-f-]{36}$/);
  return body.request_id;
}

/** Asserts a failure with this status and reason; returns the message. */
export function assertFailure(answer: RestAnswer, status: number, reason: RestErrorBody['code']): string {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  const body = answer.body as RestErrorBody;
  assert.deepEqual(Object.keys(body).sort(), ['code', 'message', 'request_id', 'result']);
  assert.equal(body.result, 'failed');
  assert.equal(body.code, reason, body.message);
  assert.match(body.request_id, /^[0-9a-f-]{36}$/);
  assert.ok(body.message.length > 10, 'a message a developer can act on');
  return body.message;
}

/** A logged-in client whose socket does not answer pings (it never confirms what it got). */
export async function connectDeaf(t: TestServer, uid: string): Promise<TestClient> {
  const client = await TestClient.open(t.wsUrl, { autoPong: false });
  await client.requestOk({ t: 'login', appId: 'demo', uid, token: await t.token(uid) });
  return client;
}

/** The seed 004 peer message request body. */
export const seedPeerBody = (destination = 'userB', payload = 'Hello') => ({
  destination,
  enable_offline_messaging: false,
  enable_historical_messaging: false,
  payload,
});
