/**
 * The user-visible strings of the new conversation form (new-conversation.ts), kept with it so they
 * load with it. The form's name is the button's ("New conversation", conversation-list-view.strings.ts).
 */
import { msg } from '@lit/localize';

export const newConversationStrings = {
  get kind() {
    return msg('Start a conversation with');
  },
  get person() {
    return msg('A person');
  },
  get channel() {
    return msg('A channel');
  },
  get userId() {
    return msg('User id');
  },
  get channelName() {
    return msg('Channel name');
  },
  get start() {
    return msg('Start');
  },
  get join() {
    return msg('Join');
  },
} as const;
