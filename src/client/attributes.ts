import {
  MAX_FRAME_BYTES,
  RtmError,
  checkAttributeWrite,
  checkChannelName,
  checkUserId,
  parseAttributeKeys,
  parseAttributesMap,
  utf8ByteLength,
  type AttributeOwner,
  type AttributeWrite,
  type AttributesMap,
  type ChannelAttributes,
  type ClientFrame,
  type ReplyResults,
} from '../protocol/index.js';
import { attempt } from './attempt.js';
import type { ChannelHost } from './channel.js';

/**
 * The requests behind the client's user and channel attribute methods (Agora RTM 1.x's
 * `setLocalUserAttributes` … `getChannelAttributesByKeys`, documented on the client), loaded with
 * the first of them: in the script-tag build, the companion file dist/rtm-chat.attributes.js.
 * The `AttributesUpdated` push needs none of this (push-router.ts). Each export is named after the
 * client method it serves and takes the client's {@link AttributeHost} first.
 *
 * Everything a request can be refused for without knowing what the owner holds now is checked here
 * first, so a refused call sends nothing: ids, keys, values, count and total size of the attributes
 * given, and the size of the frame (the server's socket closes a connection on a frame over
 * `MAX_FRAME_BYTES`, and JSON escapes — quote marks, backslashes, control characters — make a
 * frame larger than the attributes' byte count). What depends on the stored attributes (the count
 * and total after an update) the server checks in the write's transaction.
 */

export type { AttributesMap, ChannelAttribute, ChannelAttributes } from '../protocol/index.js';

/** Options of the channel attribute writes (Agora's `ChannelAttributeOptions`). */
export interface ChannelAttributeOptions {
  /**
   * Whether every member of the channel (this client included) gets `AttributesUpdated` with the
   * channel's attributes after this write. Default false; it applies to this call only.
   */
  enableNotificationToChannelMembers?: boolean;
}

/**
 * What the attribute requests need of the client: its outbox. A channel write for a channel this
 * client has not joined goes out and the server answers NOT_JOINED: the client cannot know
 * better, since tabs sharing one connection (shareConnection) share its joins.
 */
export interface AttributeHost {
  request: ChannelHost['request'];
}

/** The largest request id a frame can carry, for measuring it before the id is known. */
const WIDEST_ID = Number.MAX_SAFE_INTEGER;

/** Sends a request whose frame is known to fit the socket; the reply's result. */
function send<T extends keyof ReplyResults>(host: AttributeHost, build: (id: number) => ClientFrame & { t: T }): Promise<ReplyResults[T]> {
  const size = utf8ByteLength(JSON.stringify(build(WIDEST_ID)));
  if (size > MAX_FRAME_BYTES) {
    throw new RtmError(
      'ATTRIBUTES_TOO_LARGE',
      `This request would be a ${size}-byte frame; a frame may be at most ${MAX_FRAME_BYTES} bytes (quote marks, backslashes and control characters count 2–6 bytes each in it). Nothing was sent.`,
    );
  }
  return host.request<T>(build);
}

function attributesOf(owner: AttributeOwner, op: 'set' | 'update', attributes: unknown): AttributeWrite {
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) {
    throw new RtmError('INVALID_ARGUMENT', 'attributes must be an object of attribute keys to string values.');
  }
  const write: AttributeWrite = { op, attributes: parseAttributesMap(attributes, 'attributes') };
  checkAttributeWrite(owner, write);
  return write;
}

function keysOf(keys: unknown): string[] {
  if (!Array.isArray(keys) || keys.length === 0) throw new RtmError('INVALID_ARGUMENT', 'attributeKeys must be a non-empty array of attribute keys.');
  return parseAttributeKeys(keys, 'attributeKeys');
}

function requireUserId(userId: unknown): string {
  const invalid = checkUserId(userId);
  if (invalid) throw invalid;
  return userId as string;
}

function requireChannelId(channelId: unknown): string {
  const invalid = checkChannelName(channelId);
  if (invalid) throw invalid;
  return channelId as string;
}

function writeUser(host: AttributeHost, write: () => AttributeWrite): Promise<void> {
  return attempt(() => {
    const change = write();
    return send<'user.attributes.write'>(host, (id) => ({ t: 'user.attributes.write', id, ...change })).then(() => undefined);
  });
}

function writeChannel(host: AttributeHost, channelId: string, write: () => AttributeWrite, options: ChannelAttributeOptions | undefined): Promise<void> {
  return attempt(() => {
    const channel = requireChannelId(channelId);
    const change = write();
    const notify = options?.enableNotificationToChannelMembers === true;
    return send<'channel.attributes.write'>(host, (id) => ({ t: 'channel.attributes.write', id, channel, notify, ...change })).then(() => undefined);
  });
}

export function setLocalUserAttributes(host: AttributeHost, attributes: AttributesMap): Promise<void> {
  return writeUser(host, () => attributesOf('user', 'set', attributes));
}

export function addOrUpdateLocalUserAttributes(host: AttributeHost, attributes: AttributesMap): Promise<void> {
  return writeUser(host, () => attributesOf('user', 'update', attributes));
}

export function deleteLocalUserAttributesByKeys(host: AttributeHost, attributeKeys: string[]): Promise<void> {
  return writeUser(host, () => ({ op: 'delete', keys: keysOf(attributeKeys) }));
}

export function clearLocalUserAttributes(host: AttributeHost): Promise<void> {
  return writeUser(host, () => ({ op: 'clear' }));
}

export function getUserAttributes(host: AttributeHost, userId: string): Promise<AttributesMap> {
  return attempt(() => {
    const uid = requireUserId(userId);
    return send<'user.attributes.get'>(host, (id) => ({ t: 'user.attributes.get', id, uid })).then((result) => result.attributes);
  });
}

export function setChannelAttributes(host: AttributeHost, channelId: string, attributes: AttributesMap, options?: ChannelAttributeOptions): Promise<void> {
  return writeChannel(host, channelId, () => attributesOf('channel', 'set', attributes), options);
}

export function addOrUpdateChannelAttributes(host: AttributeHost, channelId: string, attributes: AttributesMap, options?: ChannelAttributeOptions): Promise<void> {
  return writeChannel(host, channelId, () => attributesOf('channel', 'update', attributes), options);
}

export function deleteChannelAttributesByKeys(host: AttributeHost, channelId: string, attributeKeys: string[], options?: ChannelAttributeOptions): Promise<void> {
  return writeChannel(host, channelId, () => ({ op: 'delete', keys: keysOf(attributeKeys) }), options);
}

export function clearChannelAttributes(host: AttributeHost, channelId: string, options?: ChannelAttributeOptions): Promise<void> {
  return writeChannel(host, channelId, () => ({ op: 'clear' }), options);
}

export function getChannelAttributes(host: AttributeHost, channelId: string): Promise<ChannelAttributes> {
  return attempt(() => {
    const channel = requireChannelId(channelId);
    return send<'channel.attributes.get'>(host, (id) => ({ t: 'channel.attributes.get', id, channel })).then((result) => result.attributes);
  });
}

export function getChannelAttributesByKeys(host: AttributeHost, channelId: string, keys: string[]): Promise<ChannelAttributes> {
  return attempt(() => {
    const channel = requireChannelId(channelId);
    const attributeKeys = keysOf(keys);
    return send<'channel.attributes.get'>(host, (id) => ({ t: 'channel.attributes.get', id, channel, keys: attributeKeys })).then(
      (result) => result.attributes,
    );
  });
}
