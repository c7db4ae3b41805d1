/**
 * Type test: our transport core against the published types of the Agora RTM Web SDK it promises
 * to follow (`agora-rtm-sdk`, pinned as a devDependency for its `index.d.ts` only; nothing here
 * runs). `npm run typecheck` checks it through tsconfig.test.json; a mismatch is a compile error.
 *
 * Every member and event of Agora's `RtmClient` and `RtmChannel` is in exactly one of three places:
 * - checked: we implement it, and ours is assignable to Agora's (calls written for Agora compile
 *   against ours, and what ours returns or emits satisfies code written for Agora's);
 * - {@link IMPLEMENTED_DIFFERENTLY}: we implement it, ours is not assignable, and the reason is
 *   given (the rest of the member is still checked in {@link StillCompatible});
 * - {@link LEFT_OUT}: we do not implement it, with the reason.
 * The lists cannot drift: a name that is no Agora member, a left-out member we do have, an
 * Agora member in none of the lists, a "different" member that is in fact compatible, or an entry
 * without its reason, each fails to compile. This file is the source of truth for
 * docs/agora-compat.md.
 *
 * Three normalisations of Agora's side, about TypeScript rather than behaviour (see {@link Plain}):
 * its string enums compare as their string values (our states are the same strings, checked in
 * {@link EnumChecks}); its `RtmClient` / `RtmChannel` in a signature (`createChannel`'s result,
 * the `this` that `on` returns) stand for ours, which this file checks member by member; and a
 * `Promise<void>` result accepts any result (Agora's callers get nothing from it, as TypeScript
 * already allows for a plain `void` result).
 */
import type {
  LocalInvitation as AgoraLocalInvitation,
  RemoteInvitation as AgoraRemoteInvitation,
  RtmChannel as AgoraRtmChannel,
  RtmClient as AgoraRtmClient,
  RtmEvents,
  RtmMessage as AgoraRtmMessage,
  RtmStatusCode,
} from 'agora-rtm-sdk';
import type {
  ConnectionChangeReason,
  ConnectionState,
  LocalInvitation,
  LocalInvitationEvents,
  LocalInvitationFailureReason,
  LocalInvitationState,
  RemoteInvitation,
  RemoteInvitationEvents,
  RemoteInvitationFailureReason,
  RemoteInvitationState,
  RtmChannel,
  RtmChannelEvents,
  RtmClient,
  RtmClientEvents,
} from '../../src/client/index.js';

// ---------------------------------------------------------------------------------------------
// The lists

/** Why a member is left out: waiting for its issue, or a reason it will not come. */
type LeftOutReason = 'not implemented yet (issue 13)' | `not planned: ${string}`;

/** The Agora members and events we do not implement. Shrinks as they get implemented. */
export type LeftOut =
  | 'RtmClient.listeners'
  | 'RtmClient.rawListeners'
  | 'RtmClientEvents.FallbackProxyConnected'
  | 'RtmChannel.listeners'
  | 'RtmChannel.rawListeners';

const NO_LISTENER_LISTS =
  "not planned: Node EventEmitter introspection from Agora's @hidden EventEmitter base, undocumented by Agora; our TypedEmitter offers listenerCount() for teardown checks";

/** Why each {@link LeftOut} member is left out. */
export const LEFT_OUT: { readonly [Name in LeftOut]: LeftOutReason } = {
  'RtmClient.listeners': NO_LISTENER_LISTS,
  'RtmClient.rawListeners': NO_LISTENER_LISTS,
  'RtmClientEvents.FallbackProxyConnected':
    "not planned: Agora's SDK falling back to its own proxy WebSocket on port 443; ours connects to your server's one URL, with no fallback",
  'RtmChannel.listeners': NO_LISTENER_LISTS,
  'RtmChannel.rawListeners': NO_LISTENER_LISTS,
};

/** Why a member differs: a choice we stand by, or a gap we mean to close. */
type DifferenceReason = `deliberate: ${string}` | `to fix: ${string}`;

/** Agora members we implement whose types are not assignable to Agora's. */
export type ImplementedDifferently =
  | 'RtmClient.createMessage'
  | 'RtmClientEvents.MessageFromPeer'
  | 'RtmChannelEvents.ChannelMessage';

const MORE_MESSAGE_TYPES =
  'deliberate: listeners also get our message types (IMAGE, FILE, AUDIO, VIDEO, LOCATION, CUSTOM, RETRACTED), not only TEXT and RAW';

/** Why each {@link ImplementedDifferently} member differs. */
export const IMPLEMENTED_DIFFERENTLY: { readonly [Name in ImplementedDifferently]: DifferenceReason } = {
  'RtmClient.createMessage':
    "deliberate: not generic; Agora's createMessage<T>(Partial<T>): T promises whatever T the caller names, ours takes a whole message (of more types) and returns RtmSendableMessage",
  'RtmClientEvents.MessageFromPeer': MORE_MESSAGE_TYPES,
  'RtmChannelEvents.ChannelMessage': MORE_MESSAGE_TYPES,
};

// ---------------------------------------------------------------------------------------------
// Names

/** Agora's and our sides, by the prefix the lists use. */
interface Agora {
  RtmClient: AgoraRtmClient;
  RtmChannel: AgoraRtmChannel;
  RtmClientEvents: RtmEvents.RtmClientEvents;
  RtmChannelEvents: RtmEvents.RtmChannelEvents;
}
interface Ours {
  RtmClient: RtmClient;
  RtmChannel: RtmChannel;
  RtmClientEvents: RtmClientEvents;
  RtmChannelEvents: RtmChannelEvents;
}
type Side = keyof Agora;
type NamesOf<T> = { [S in Side]: `${S}.${Extract<keyof T[S & keyof T], string>}` }[Side];

/** Every member and event of Agora's client and channel, as `RtmClient.login`, `RtmChannelEvents.MemberJoined`. */
type AgoraName = NamesOf<Agora>;
/** The same of ours (our additions included; they are not compared). */
type OurName = NamesOf<Ours>;
/** Agora's names we implement. */
type Implemented = AgoraName & OurName;
/** Implemented and expected to be assignable to Agora's. */
type Checked = Exclude<Implemented, ImplementedDifferently>;

type EventsOf<S extends 'RtmClient' | 'RtmChannel'> = `${S}Events`;
/** The events of side `S` whose listeners are checked (so `on`, `once`, `off`… are checked for them). */
type CheckedEvent<S extends 'RtmClient' | 'RtmChannel'> = Checked extends infer N
  ? N extends `${EventsOf<S>}.${infer E}`
    ? E
    : never
  : never;

// ---------------------------------------------------------------------------------------------
// Comparing one member

type IsAny<T> = 0 extends 1 & T ? true : false;

/**
 * Agora's type as code written for Agora sees it: string enums as their values, Agora's client
 * and channel as ours, `Promise<void>` as `Promise<unknown>`, and function types as plain
 * (strictly compared) function types.
 */
type Plain<T> =
  IsAny<T> extends true
    ? T
    : T extends AgoraRtmClient
      ? RtmClient
      : T extends AgoraRtmChannel
        ? RtmChannel
        : T extends AgoraLocalInvitation
          ? LocalInvitation
          : T extends AgoraRemoteInvitation
            ? RemoteInvitation
        : T extends string
          ? `${T}`
          : T extends (...args: infer A) => infer R
            ? (...args: { [I in keyof A]: Plain<A[I]> }) => Plain<R>
            : T extends Promise<infer V>
              ? Promise<[V] extends [void] ? unknown : Plain<V>>
              : T extends Uint8Array
                ? T
                : T extends object
                  ? { [K in keyof T]: Plain<T[K]> }
                  : T;

/**
 * Our member as a plain function type: TypeScript compares method parameters both ways
 * (bivariance); a function type is compared strictly.
 */
type Strict<T> = T extends (...args: infer A) => infer R ? (...args: A) => R : T;

type Assignable<From, To> = [From] extends [To] ? true : false;
type AllTrue<T extends boolean> = false extends T ? false : true;

declare const agoraClient: AgoraRtmClient;
declare const agoraChannel: AgoraRtmChannel;
declare const ourClient: RtmClient;
declare const ourChannel: RtmChannel;

/** Agora's generic emitter methods of the client, at one event. */
type AgoraClientEmitter<E extends keyof RtmEvents.RtmClientEvents> = {
  on: typeof agoraClient.on<E>;
  once: typeof agoraClient.once<E, unknown>;
  off: typeof agoraClient.off<E, unknown>;
  removeAllListeners: typeof agoraClient.removeAllListeners<E, unknown>;
  listenerCount: typeof agoraClient.listenerCount<E, unknown>;
};
type OurClientEmitter<E extends keyof RtmClientEvents> = {
  on: typeof ourClient.on<E>;
  once: typeof ourClient.once<E>;
  off: typeof ourClient.off<E>;
  removeAllListeners: RtmClient['removeAllListeners'];
  listenerCount: RtmClient['listenerCount'];
};
type AgoraChannelEmitter<E extends keyof RtmEvents.RtmChannelEvents> = {
  on: typeof agoraChannel.on<E>;
  once: typeof agoraChannel.once<E, unknown>;
  off: typeof agoraChannel.off<E, unknown>;
  removeAllListeners: typeof agoraChannel.removeAllListeners<E, unknown>;
  listenerCount: typeof agoraChannel.listenerCount<E, unknown>;
};
type OurChannelEmitter<E extends keyof RtmChannelEvents> = {
  on: typeof ourChannel.on<E>;
  once: typeof ourChannel.once<E>;
  off: typeof ourChannel.off<E>;
  removeAllListeners: RtmChannel['removeAllListeners'];
  listenerCount: RtmChannel['listenerCount'];
};
type EmitterMember = keyof AgoraClientEmitter<never>;

/** An emitter method, at every checked event: `M` of ours accepts what Agora's accepts. */
type EmitterCompatible<S extends 'RtmClient' | 'RtmChannel', M extends EmitterMember> = AllTrue<
  S extends 'RtmClient'
    ? CheckedEvent<'RtmClient'> extends infer E
      ? E extends keyof RtmEvents.RtmClientEvents & keyof RtmClientEvents
        ? Assignable<Strict<OurClientEmitter<E>[M]>, Plain<AgoraClientEmitter<E>[M]>>
        : never
      : never
    : CheckedEvent<'RtmChannel'> extends infer E
      ? E extends keyof RtmEvents.RtmChannelEvents & keyof RtmChannelEvents
        ? Assignable<Strict<OurChannelEmitter<E>[M]>, Plain<AgoraChannelEmitter<E>[M]>>
        : never
      : never
>;

/**
 * Whether our `S.M` is assignable to Agora's. An event: an Agora-typed listener is a valid
 * listener of ours (what we emit satisfies its parameters). A member: ours, strictly, to Agora's.
 */
type Compatible<Name extends Implemented> = Name extends `${infer S extends Side}.${infer M}`
  ? S extends 'RtmClientEvents' | 'RtmChannelEvents'
    ? M extends keyof Agora[S] & keyof Ours[S]
      ? Assignable<Plain<Agora[S][M]>, Ours[S][M]>
      : never
    : S extends 'RtmClient' | 'RtmChannel'
      ? M extends EmitterMember
        ? EmitterCompatible<S, M>
        : M extends keyof Agora[S] & keyof Ours[S]
          ? Assignable<Strict<Ours[S][M]>, Plain<Agora[S][M]>>
          : never
      : never
  : never;

/** The implemented names whose types are not assignable to Agora's. */
type Incompatible = IncompatibleOf<Implemented>;
type IncompatibleOf<N extends Implemented> = N extends Implemented ? (Compatible<N> extends true ? never : N) : never;

// ---------------------------------------------------------------------------------------------
// The assertions: each `None<X>` fails to compile, naming the offenders, unless X is empty.

type None<T extends never> = T;

export type ListChecks = [
  /** Listed as left out, but not a member or event of Agora's client or channel. */
  None<Exclude<LeftOut, AgoraName>>,
  /** Listed as left out, but we implement it: take it off the list (it is then checked). */
  None<Extract<LeftOut, OurName>>,
  /** An Agora member we neither implement nor list as left out. */
  None<Exclude<AgoraName, OurName | LeftOut>>,
  /** Listed as implemented differently, but not an Agora member we implement. */
  None<Exclude<ImplementedDifferently, Implemented>>,
];

export type TypeChecks = [
  /** Our type is not assignable to Agora's: fix it, or list it in ImplementedDifferently with why. */
  None<Extract<Incompatible, Checked>>,
  /** Listed as implemented differently, but it is assignable now: take it off the list. */
  None<Exclude<ImplementedDifferently, Incompatible>>,
];

/** The rest of each {@link ImplementedDifferently} member: what is still compatible. */
type Satisfies<T, U extends T> = U;

type TextOrRaw<M> = Extract<M, { messageType: 'TEXT' | 'RAW' }>;

type OurPeerMessage = Parameters<RtmClientEvents['MessageFromPeer']>;
type OurChannelMessage = Parameters<RtmChannelEvents['ChannelMessage']>;

export type StillCompatible = Satisfies<
  { [Name in ImplementedDifferently]: true },
  {
    /** It takes Agora's messages, and its TEXT and RAW results are Agora's messages. */
    'RtmClient.createMessage': AllTrue<
      | Assignable<AgoraRtmMessage, Parameters<RtmClient['createMessage']>[0]>
      | Assignable<TextOrRaw<ReturnType<RtmClient['createMessage']>>, AgoraRtmMessage>
    >;
    /** A TEXT or RAW message comes with arguments that satisfy an Agora-typed listener. */
    'RtmClientEvents.MessageFromPeer': Assignable<
      [TextOrRaw<OurPeerMessage[0]>, OurPeerMessage[1], OurPeerMessage[2]],
      Parameters<RtmEvents.RtmClientEvents['MessageFromPeer']>
    >;
    'RtmChannelEvents.ChannelMessage': Assignable<
      [TextOrRaw<OurChannelMessage[0]>, OurChannelMessage[1], OurChannelMessage[2]],
      Parameters<RtmEvents.RtmChannelEvents['ChannelMessage']>
    >;
  }
>;

/** Exactly the same set of strings. */
type SameValues<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** Our state and reason values are Agora's enum values, which is what lets {@link Plain} compare enums by value. */
export type EnumChecks = Satisfies<
  [true, true, true, true, true, true],
  [
    SameValues<ConnectionState, `${RtmStatusCode.ConnectionState}`>,
    SameValues<ConnectionChangeReason, `${RtmStatusCode.ConnectionChangeReason}`>,
    SameValues<LocalInvitationState, `${RtmStatusCode.LocalInvitationState}`>,
    SameValues<RemoteInvitationState, `${RtmStatusCode.RemoteInvitationState}`>,
    SameValues<LocalInvitationFailureReason, `${RtmStatusCode.LocalInvitationFailureReason}`>,
    SameValues<RemoteInvitationFailureReason, `${RtmStatusCode.RemoteInvitationFailureReason}`>,
  ]
>;

/**
 * {@link Plain} takes Agora's invitations (`createLocalInvitation`'s result, the argument of
 * `RemoteInvitationReceived`) for ours; this checks ours against Agora's member by member: every
 * property and method but the emitter's (Agora's are Node EventEmitter's; ours are the TypedEmitter
 * checked for the client), and an Agora-typed listener of each of Agora's events is a valid one of ours.
 */
type InvitationMembers<T> = Exclude<keyof T, 'on' | 'once' | 'off' | 'removeAllListeners' | 'listenerCount' | 'emit' | 'listeners' | 'rawListeners' | 'addListener' | 'removeListener' | 'prependListener' | 'prependOnceListener' | 'eventNames' | 'getMaxListeners' | 'setMaxListeners'>;
type MembersCompatible<Ours, Theirs> = AllTrue<
  InvitationMembers<Theirs> extends infer M ? (M extends keyof Theirs & keyof Ours ? Assignable<Strict<Ours[M]>, Plain<Theirs[M]>> : false) : never
>;
type ListenersCompatible<OurEvents, TheirEvents> = AllTrue<
  keyof TheirEvents extends infer E ? (E extends keyof TheirEvents & keyof OurEvents ? Assignable<Plain<TheirEvents[E]>, OurEvents[E]> : false) : never
>;

export type InvitationChecks = Satisfies<
  [true, true, true, true],
  [
    MembersCompatible<LocalInvitation, AgoraLocalInvitation>,
    MembersCompatible<RemoteInvitation, AgoraRemoteInvitation>,
    ListenersCompatible<LocalInvitationEvents, RtmEvents.LocalInvitationEvents>,
    ListenersCompatible<RemoteInvitationEvents, RtmEvents.RemoteInvitationEvents>,
  ]
>;
