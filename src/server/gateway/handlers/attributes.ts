import { RtmError, type AttributesMap, type ChannelAttributes } from '../../../protocol/index.js';
import type { StoredAttribute } from '../../storage/types.js';
import type { FrameHandler } from './types.js';

function toAttributesMap(stored: readonly StoredAttribute[]): AttributesMap {
  // fromEntries defines own properties, so a key like "__proto__" arrives as a key.
  return Object.fromEntries(stored.map((a) => [a.key, a.value]));
}

function toChannelAttributes(stored: readonly StoredAttribute[]): ChannelAttributes {
  return Object.fromEntries(stored.map((a) => [a.key, { value: a.value, lastUpdateUserId: a.updatedBy, lastUpdateTs: a.updatedAt }]));
}

/** user.attributes.write: the caller changes its own attributes (checked against the stored ones). */
export const userAttributesWrite: FrameHandler<'user.attributes.write'> = async (ctx, conn, frame) => {
  await ctx.attributes.write(conn.appId, { kind: 'user', id: conn.uid }, frame, conn.uid, ctx.now());
  conn.reply(frame.id, 'user.attributes.write', {});
};

/** user.attributes.get: anyone in the app may read a user's attributes (as in Agora). */
export const userAttributesGet: FrameHandler<'user.attributes.get'> = async (ctx, conn, frame) => {
  const stored = await ctx.attributes.read(conn.appId, { kind: 'user', id: frame.uid }, frame.keys);
  conn.reply(frame.id, 'user.attributes.get', { attributes: toAttributesMap(stored) });
};

/**
 * channel.attributes.write: only from a connection that joined the channel (a channel's
 * attributes are its members' to keep). With `notify`, every joined connection, the writer's
 * included, gets the channel's attributes after the write, in the order the writes committed.
 */
export const channelAttributesWrite: FrameHandler<'channel.attributes.write'> = async (ctx, conn, frame) => {
  const { channel } = frame;
  if (!ctx.presence.isJoined(conn, channel)) {
    throw new RtmError('NOT_JOINED', `Join channel "${channel}" before changing its attributes.`);
  }
  const after = await ctx.attributes.write(conn.appId, { kind: 'channel', id: channel }, frame, conn.uid, ctx.now());
  conn.reply(frame.id, 'channel.attributes.write', {});
  if (frame.notify) {
    ctx.presence.sendToChannel(conn.appId, channel, { t: 'channel.attributes', channel, attributes: toChannelAttributes(after) });
  }
};

/** channel.attributes.get: readable without joining (as in Agora). */
export const channelAttributesGet: FrameHandler<'channel.attributes.get'> = async (ctx, conn, frame) => {
  const stored = await ctx.attributes.read(conn.appId, { kind: 'channel', id: frame.channel }, frame.keys);
  conn.reply(frame.id, 'channel.attributes.get', { attributes: toChannelAttributes(stored) });
};
