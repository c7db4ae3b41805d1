/**
 * Vue 3 template typings of the widget's elements, for vue-tsc and Volar: add
 * `import type {} from 'rtm-chat/vue';` once (or list `rtm-chat/vue` in tsconfig's `types`).
 * Vue's tools read an attribute `app-id` as the prop `appId` and `@rtm-message` as the prop
 * `onRtmMessage`, so the props below are the camelCase forms of the elements' attributes and
 * events. Types only; docs/frameworks.md shows the compiler option that tells Vue these tags are
 * custom elements, and why functions and `false` go through a property binding (`.tokenProvider`).
 */
import type { DefineComponent } from 'vue';
import type { WidgetElements } from './frameworks/element-attributes.js';

type CamelCase<Name extends string> = Name extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : Name;

/** An attribute map with camelCase keys (`app-id` → `appId`), as Vue's template checker sees them. */
export type VueAttributeProps<Attributes> = { [Name in keyof Attributes as CamelCase<Name & string>]: Attributes[Name] };

/** `@rtm-message` handlers as the `onRtmMessage` props Vue's template checker matches them to. */
export type VueEventProps<Events> = {
  [Name in keyof Events & string as `on${Capitalize<CamelCase<Name>>}`]?: (event: Events[Name]) => void;
};

/** The props of one element as Vue's template checker sees them. */
export type VueElementProps<Tag extends keyof WidgetElements> = VueAttributeProps<WidgetElements[Tag]['attributes']> &
  WidgetElements[Tag]['properties'] &
  VueEventProps<WidgetElements[Tag]['events']>;

export type RtmChatVueProps = VueElementProps<'rtm-chat'>;
export type RtmChannelVueProps = VueElementProps<'rtm-channel'>;
export type RtmAttachmentVueProps = VueElementProps<'rtm-attachment'>;

declare module 'vue' {
  interface GlobalComponents {
    'rtm-chat': DefineComponent<RtmChatVueProps>;
    'rtm-channel': DefineComponent<RtmChannelVueProps>;
    'rtm-attachment': DefineComponent<RtmAttachmentVueProps>;
  }
}
