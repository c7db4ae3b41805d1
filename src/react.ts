/**
 * JSX typings of the widget's elements for React 19, which sets a custom element's known
 * properties as properties and listens to `on<event-name>` props as DOM events. Types only: add
 * `import type {} from 'rtm-chat/react';` once (or list `rtm-chat/react` in tsconfig's `types`),
 * and `<rtm-chat>`, `<rtm-channel>` and `<rtm-attachment>` type-check their attributes,
 * properties and events. docs/frameworks.md shows a whole component.
 */
import type { HTMLAttributes, Key, ReactNode, Ref } from 'react';
import type { WidgetElements } from './frameworks/element-attributes.js';

/** `on<event-name>` props, as React 19 wires them for custom elements (`onrtm-message`). */
export type ReactEventProps<Events> = {
  [Name in keyof Events & string as `on${Name}`]?: (event: Events[Name]) => void;
};

/** The props of one element in JSX: React's HTML attributes, the element's own, a ref. */
export type ReactElementProps<Tag extends keyof WidgetElements> = Omit<
  HTMLAttributes<WidgetElements[Tag]['element']>,
  keyof WidgetElements[Tag]['attributes'] | keyof WidgetElements[Tag]['properties']
> &
  WidgetElements[Tag]['attributes'] &
  WidgetElements[Tag]['properties'] &
  ReactEventProps<WidgetElements[Tag]['events']> & { ref?: Ref<WidgetElements[Tag]['element']>; key?: Key; children?: ReactNode };

export type RtmChatProps = ReactElementProps<'rtm-chat'>;
export type RtmChannelProps = ReactElementProps<'rtm-channel'>;
export type RtmAttachmentProps = ReactElementProps<'rtm-attachment'>;

declare module 'react' {
  // React's JSX types live in this namespace.
  namespace JSX {
    interface IntrinsicElements {
      'rtm-chat': RtmChatProps;
      'rtm-channel': RtmChannelProps;
      'rtm-attachment': RtmAttachmentProps;
    }
  }
}
