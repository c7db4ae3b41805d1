/**
 * Registers the widget's custom elements. The only module with registration side effects: import
 * it (or load dist/rtm-chat.iife.js, which does) once per page; loading it twice is harmless.
 */
import { ContextRoot } from '@lit/context';
import { defineElement } from './elements/internal/define-element.js';
import { RtmAttachmentElement } from './elements/rtm-attachment/rtm-attachment.js';
import { RtmChatElement } from './elements/rtm-chat/rtm-chat.js';
import { RtmChannelElement } from './elements/rtm-channel/rtm-channel.js';
import { RtmComposerElement } from './elements/rtm-composer/rtm-composer.js';
import { RtmConversationListElement } from './elements/rtm-conversation-list/rtm-conversation-list.js';
import { RtmMessageListElement } from './elements/rtm-message-list/rtm-message-list.js';

const contextRootAttached = Symbol.for('rtm-chat.context-root');

if (typeof document !== 'undefined') {
  // Lets an <rtm-channel> upgraded before its <rtm-chat> still find the session once it exists.
  const root = document.documentElement as HTMLElement & { [contextRootAttached]?: true };
  if (!root[contextRootAttached]) {
    new ContextRoot().attach(root);
    root[contextRootAttached] = true;
  }
}

// The session element first, so views upgraded right after it find their provider.
defineElement('rtm-chat', RtmChatElement);
defineElement('rtm-attachment', RtmAttachmentElement);
defineElement('rtm-composer', RtmComposerElement);
defineElement('rtm-conversation-list', RtmConversationListElement);
defineElement('rtm-message-list', RtmMessageListElement);
defineElement('rtm-channel', RtmChannelElement);
