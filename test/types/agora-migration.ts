/**
 * The migration table of README.md ("Coming from Agora RTM 1.x"): every member, event and
 * namespace export of the Agora RTM 1.x Web SDK (`agora-rtm-sdk` 1.5.1) and what to write with
 * rtm-chat. The record's type names every Agora name, so a member Agora has and this table lacks
 * (or a name Agora does not have) fails to compile; test/protocol/agora-docs.test.ts checks that
 * README.md shows each row as written here, and that docs/agora-compat.md gives the reason of
 * every member test/types/agora-compat.ts lists as left out or different.
 */
import type * as AgoraModule from 'agora-rtm-sdk';
import type { LocalInvitation, RemoteInvitation, RtmChannel, RtmClient, RtmEvents } from 'agora-rtm-sdk';
import { IMPLEMENTED_DIFFERENTLY, LEFT_OUT } from './agora-compat.js';

interface AgoraSides {
  // A CommonJS package under NodeNext: its `export default` is `.default` of the module's default.
  AgoraRTM: typeof AgoraModule.default.default;
  RtmClient: RtmClient;
  RtmClientEvents: RtmEvents.RtmClientEvents;
  RtmChannel: RtmChannel;
  RtmChannelEvents: RtmEvents.RtmChannelEvents;
  LocalInvitation: LocalInvitation;
  LocalInvitationEvents: RtmEvents.LocalInvitationEvents;
  RemoteInvitation: RemoteInvitation;
  RemoteInvitationEvents: RtmEvents.RemoteInvitationEvents;
}

/** Every Agora name, as `RtmClient.login` or `AgoraRTM.createInstance`. */
export type AgoraMember = { [S in keyof AgoraSides]: `${S}.${Extract<keyof AgoraSides[S], string>}` }[keyof AgoraSides];

const SAME = 'the same';
const SAME_EMITTER = 'the same (a typed emitter)';
const NO_LISTENER_LISTS = 'not provided: use `listenerCount(event)`';
const STRINGS_NOT_OBJECT = 'the same values, as string types (`LocalInvitationState` …); not yet as objects on `RtmChat`';

/** Agora's name → what to use with rtm-chat (Markdown). */
export const MIGRATION: { readonly [Name in AgoraMember]: string } = {
  'AgoraRTM.createInstance':
    '`RtmChat.createInstance(appId)` with the script tag loaded from your rtm-chat server (`/dist/rtm-chat.iife.js`); `createInstance(appId, { server })` otherwise',
  'AgoraRTM.setArea': "not provided: there are no Agora regions, the client connects to your server's URL",
  'AgoraRTM.LOG_FILTER_OFF': SAME,
  'AgoraRTM.LOG_FILTER_ERROR': SAME,
  'AgoraRTM.LOG_FILTER_INFO': SAME,
  'AgoraRTM.LOG_FILTER_WARNING': SAME,
  'AgoraRTM.VERSION': 'not provided: the version is that of the `rtm-chat` package',
  'AgoraRTM.BUILD': 'not provided',
  'AgoraRTM.END_CALL_PREFIX': 'not provided: it belongs to Agora\'s RTC call bridging',
  'AgoraRTM.ConnectionChangeReason': SAME,
  'AgoraRTM.ConnectionState': SAME,
  'AgoraRTM.LocalInvitationFailureReason': STRINGS_NOT_OBJECT,
  'AgoraRTM.LocalInvitationState': STRINGS_NOT_OBJECT,
  'AgoraRTM.RemoteInvitationState': STRINGS_NOT_OBJECT,
  'AgoraRTM.RemoteInvitationFailureReason': STRINGS_NOT_OBJECT,
  'AgoraRTM.MessageType': "the strings `'TEXT'` and `'RAW'` (and our other types)",
  'AgoraRTM.PeerOnlineState': "the strings `'ONLINE'` and `'OFFLINE'` (there is no `UNREACHABLE`)",
  'AgoraRTM.PeerSubscriptionOption': "the string `'ONLINE_STATUS'`",
  'AgoraRTM.AreaCode': 'not provided (see `setArea`)',

  'RtmClient.login': SAME,
  'RtmClient.logout': SAME,
  'RtmClient.renewToken': SAME,
  'RtmClient.sendMessageToPeer': 'the same; the result also has `messageId`, `seq` and `serverReceivedTs`',
  'RtmClient.createChannel': SAME,
  'RtmClient.createMessage': 'the same for TEXT and RAW; not generic, and it takes our other types too',
  'RtmClient.createLocalInvitation': SAME,
  'RtmClient.setLocalUserAttributes': 'the same; kept across logins',
  'RtmClient.addOrUpdateLocalUserAttributes': SAME,
  'RtmClient.deleteLocalUserAttributesByKeys': SAME,
  'RtmClient.clearLocalUserAttributes': SAME,
  'RtmClient.getUserAttributes': SAME,
  'RtmClient.getUserAttributesByKeys': SAME,
  'RtmClient.setChannelAttributes': 'the same; the channel must have been joined',
  'RtmClient.addOrUpdateChannelAttributes': 'the same; the channel must have been joined',
  'RtmClient.deleteChannelAttributesByKeys': 'the same; the channel must have been joined',
  'RtmClient.clearChannelAttributes': 'the same; the channel must have been joined',
  'RtmClient.getChannelAttributes': SAME,
  'RtmClient.getChannelAttributesByKeys': SAME,
  'RtmClient.getChannelMemberCount': SAME,
  'RtmClient.queryPeersOnlineStatus': 'the same (`{ [peerId]: boolean }`)',
  'RtmClient.subscribePeersOnlineStatus': SAME,
  'RtmClient.unsubscribePeersOnlineStatus': SAME,
  'RtmClient.queryPeersBySubscriptionOption': SAME,
  'RtmClient.updateConfig': '`logFilter` applies at once; `enableLogUpload` and `enableCloudProxy` are accepted and ignored',
  'RtmClient.setParameters': 'the same as `updateConfig`',
  'RtmClient.on': SAME_EMITTER,
  'RtmClient.once': SAME_EMITTER,
  'RtmClient.off': SAME_EMITTER,
  'RtmClient.removeAllListeners': SAME_EMITTER,
  'RtmClient.listenerCount': SAME_EMITTER,
  'RtmClient.listeners': NO_LISTENER_LISTS,
  'RtmClient.rawListeners': NO_LISTENER_LISTS,
  'RtmClientEvents.MessageFromPeer': 'the same; the message may also be one of our types (IMAGE, FILE, …)',
  'RtmClientEvents.ConnectionStateChanged': SAME,
  'RtmClientEvents.RemoteInvitationReceived': SAME,
  'RtmClientEvents.TokenExpired': SAME,
  'RtmClientEvents.TokenPrivilegeWillExpire': SAME,
  'RtmClientEvents.PeersOnlineStatusChanged': SAME,
  'RtmClientEvents.FallbackProxyConnected': 'never emitted: there is no fallback proxy',

  'RtmChannel.channelId': SAME,
  'RtmChannel.join': SAME,
  'RtmChannel.leave': SAME,
  'RtmChannel.sendMessage': 'the same; the result also has `messageId`, `seq` and `serverReceivedTs`',
  'RtmChannel.getMembers': SAME,
  'RtmChannel.on': SAME_EMITTER,
  'RtmChannel.once': SAME_EMITTER,
  'RtmChannel.off': SAME_EMITTER,
  'RtmChannel.removeAllListeners': SAME_EMITTER,
  'RtmChannel.listenerCount': SAME_EMITTER,
  'RtmChannel.listeners': NO_LISTENER_LISTS,
  'RtmChannel.rawListeners': NO_LISTENER_LISTS,
  'RtmChannelEvents.ChannelMessage': 'the same; the message may also be one of our types',
  'RtmChannelEvents.MemberJoined': SAME,
  'RtmChannelEvents.MemberLeft': SAME,
  'RtmChannelEvents.AttributesUpdated': SAME,
  'RtmChannelEvents.MemberCountUpdated': SAME,

  'LocalInvitation.calleeId': SAME,
  'LocalInvitation.channelId': SAME,
  'LocalInvitation.content': SAME,
  'LocalInvitation.response': SAME,
  'LocalInvitation.state': SAME,
  'LocalInvitation.send': SAME,
  'LocalInvitation.cancel': SAME,
  'LocalInvitation.on': SAME_EMITTER,
  'LocalInvitation.once': SAME_EMITTER,
  'LocalInvitation.off': SAME_EMITTER,
  'LocalInvitation.removeAllListeners': SAME_EMITTER,
  'LocalInvitation.listenerCount': SAME_EMITTER,
  'LocalInvitation.listeners': NO_LISTENER_LISTS,
  'LocalInvitation.rawListeners': NO_LISTENER_LISTS,
  'LocalInvitationEvents.LocalInvitationAccepted': SAME,
  'LocalInvitationEvents.LocalInvitationRefused': SAME,
  'LocalInvitationEvents.LocalInvitationReceivedByPeer': SAME,
  'LocalInvitationEvents.LocalInvitationCanceled': SAME,
  'LocalInvitationEvents.LocalInvitationFailure': SAME,
  'RemoteInvitation.callerId': SAME,
  'RemoteInvitation.channelId': SAME,
  'RemoteInvitation.content': SAME,
  'RemoteInvitation.response': SAME,
  'RemoteInvitation.state': SAME,
  'RemoteInvitation.accept': 'the same; the first answer from any of your tabs or devices wins',
  'RemoteInvitation.refuse': 'the same; the first answer from any of your tabs or devices wins',
  'RemoteInvitation.on': SAME_EMITTER,
  'RemoteInvitation.once': SAME_EMITTER,
  'RemoteInvitation.off': SAME_EMITTER,
  'RemoteInvitation.removeAllListeners': SAME_EMITTER,
  'RemoteInvitation.listenerCount': SAME_EMITTER,
  'RemoteInvitation.listeners': NO_LISTENER_LISTS,
  'RemoteInvitation.rawListeners': NO_LISTENER_LISTS,
  'RemoteInvitationEvents.RemoteInvitationAccepted': SAME,
  'RemoteInvitationEvents.RemoteInvitationRefused': SAME,
  'RemoteInvitationEvents.RemoteInvitationCanceled': SAME,
  'RemoteInvitationEvents.RemoteInvitationFailure': SAME,
};

/** The README table: one row per Agora name, in the order above. */
export function migrationTable(): string {
  const rows = Object.entries(MIGRATION).map(([name, ours]) => `| \`${name}\` | ${ours} |`);
  return ['| Agora RTM 1.x | rtm-chat |', '|---|---|', ...rows].join('\n');
}

/** docs/agora-compat.md's table: the members agora-compat.ts lists as left out or different, with why. */
export function differencesTable(): string {
  const rows = [
    ...Object.entries(LEFT_OUT).map(([name, why]) => `| \`${name}\` | left out | ${why} |`),
    ...Object.entries(IMPLEMENTED_DIFFERENTLY).map(([name, why]) => `| \`${name}\` | implemented differently | ${why} |`),
  ];
  return ['| Agora member | status | why |', '|---|---|---|', ...rows].join('\n');
}
