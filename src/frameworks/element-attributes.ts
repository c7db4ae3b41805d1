/**
 * What a template may set on the widget's public elements, for the framework typings (react.ts,
 * vue.ts): the HTML attributes (the names a page writes in markup), the properties that only a
 * property binding can set (functions and objects), and the events each element lets bubble out.
 * Types only; the element classes stay the source of each type.
 */
import type { ChatMessage, ChatSession } from '../store/index.js';
import type { RtmConnectionChangeEvent, RtmErrorEvent, RtmInvitationEvent, RtmMessageEvent, RtmUnreadChangeEvent } from '../elements/events.js';
import type { RtmChatElement, TokenProvider } from '../elements/rtm-chat/rtm-chat.js';
import type { RtmAttachmentElement } from '../elements/rtm-attachment/rtm-attachment.js';
import type { RtmChannelElement } from '../elements/rtm-channel/rtm-channel.js';

/** `<rtm-chat>`'s attributes. */
export interface RtmChatAttributes {
  server?: string;
  'app-id'?: string;
  'user-id'?: string;
  token?: string;
  'display-name'?: string;
  avatar?: string;
  peer?: string;
  channel?: string;
  mode?: RtmChatElement['mode'];
  'unread-in-title'?: boolean;
  notifications?: boolean;
  'no-new-conversation'?: boolean;
  'no-invitation-prompt'?: boolean;
  open?: boolean;
  locale?: string;
}

/** `<rtm-chat>`'s properties that have no attribute. */
export interface RtmChatProperties {
  tokenProvider?: TokenProvider;
}

/** The events `<rtm-chat>` fires (and that bubble to it from its views). */
export interface RtmChatEvents {
  'rtm-connection-change': RtmConnectionChangeEvent;
  'rtm-message': RtmMessageEvent;
  'rtm-error': RtmErrorEvent;
  'rtm-unread-change': RtmUnreadChangeEvent;
  'rtm-invitation': RtmInvitationEvent;
}

/** `<rtm-channel>`'s attributes. */
export interface RtmChannelAttributes {
  peer?: string;
  channel?: string;
  'no-header'?: boolean;
}

export interface RtmChannelProperties {
  session?: ChatSession;
}

/** The events an `<rtm-channel>` lets bubble out (a failed send, for one). */
export interface RtmChannelEvents {
  'rtm-error': RtmErrorEvent;
}

/** `<rtm-attachment>`'s attributes (a remote attachment described by them). */
export interface RtmAttachmentAttributes {
  kind?: RtmAttachmentElement['kind'];
  'media-id'?: string;
  'file-name'?: string;
  size?: number;
  width?: number;
  height?: number;
  thumbnail?: string;
}

export interface RtmAttachmentProperties {
  message?: ChatMessage;
  session?: ChatSession;
}

export interface RtmAttachmentEvents {
  'rtm-error': RtmErrorEvent;
}

/** What one element takes in a template. */
export interface ElementTemplateTypes<Element extends HTMLElement, Attributes, Properties, Events> {
  element: Element;
  attributes: Attributes;
  properties: Properties;
  events: Events;
}

/** The public elements by tag, for the framework typings. */
export interface WidgetElements {
  'rtm-chat': ElementTemplateTypes<RtmChatElement, RtmChatAttributes, RtmChatProperties, RtmChatEvents>;
  'rtm-channel': ElementTemplateTypes<RtmChannelElement, RtmChannelAttributes, RtmChannelProperties, RtmChannelEvents>;
  'rtm-attachment': ElementTemplateTypes<RtmAttachmentElement, RtmAttachmentAttributes, RtmAttachmentProperties, RtmAttachmentEvents>;
}
