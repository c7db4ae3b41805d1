/**
 * JSX typings of the widget's elements for React 19, which sets a custom element's known
 * properties as properties and listens to `on<event-name>` props as DOM events. Types only: add
 * `import type {} from 'rtm-chat/react';` once (or list `rtm-chat/react` in tsconfig's `types`),
 * and `<rtm-chat>`, `<rtm-channel>` and `<rtm-attachment>` type-check their attributes,
 * properties and events. docs/frameworks.md shows a whole component.
 */
import type { HTMLAttributes, Key, ReactNode, Ref } from 'react';
import type { RtmAttachmentElement } from './elements/rtm-attachment/rtm-attachment.js';
import type { RtmChannelElement } from './elements/rtm-channel/rtm-channel.js';
import type { RtmChatElement } from './elements/rtm-chat/rtm-chat.js';
import type {
  RtmAttachmentAttributes,
  RtmAttachmentEvents,
  RtmAttachmentProperties,
  RtmChannelAttributes,
  RtmChannelEvents,
  RtmChannelProperties,
  RtmChatAttributes,
  RtmChatEvents,
  RtmChatProperties,
} from './frameworks/element-attributes.js';

/** `on<event-name>` props, as React 19 wires them for custom elements (`onrtm-message`). */
export type ReactEventProps<Events> = {
  [Name in keyof Events & string as `on${Name}`]?: (event: Events[Name]) => void;
};

/** The props of one element in JSX: React's HTML attributes, the element's own, a ref. */
export type ReactElementProps<Element extends HTMLElement, Attributes, Properties, Events> = Omit<
  HTMLAttributes<Element>,
  keyof Attributes | keyof Properties
> &
  Attributes &
  Properties &
  ReactEventProps<Events> & { ref?: Ref<Element>; key?: Key; children?: ReactNode };

export type RtmChatProps = ReactElementProps<RtmChatElement, RtmChatAttributes, RtmChatProperties, RtmChatEvents>;
export type RtmChannelProps = ReactElementProps<RtmChannelElement, RtmChannelAttributes, RtmChannelProperties, RtmChannelEvents>;
export type RtmAttachmentProps = ReactElementProps<RtmAttachmentElement, RtmAttachmentAttributes, RtmAttachmentProperties, RtmAttachmentEvents>;

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- React's JSX types live in this namespace.
  namespace JSX {
    interface IntrinsicElements {
      'rtm-chat': RtmChatProps;
      'rtm-channel': RtmChannelProps;
      'rtm-attachment': RtmAttachmentProps;
    }
  }
}
