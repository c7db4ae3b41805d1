import { channelJoin, channelLeave, channelMembers, channelSend } from './channel.js';
import { history } from './history.js';
import { peerSend } from './peer.js';
import { login, logout, ping } from './session.js';
import type { FrameHandlers } from './types.js';

/** One handler per client frame type; the mapped type makes a missing one a compile error. */
export const handlers: FrameHandlers = {
  login,
  logout,
  ping,
  'peer.send': peerSend,
  'channel.join': channelJoin,
  'channel.leave': channelLeave,
  'channel.members': channelMembers,
  'channel.send': channelSend,
  history,
};
