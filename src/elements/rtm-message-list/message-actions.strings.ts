/**
 * The user-visible strings of the actions menu (message-actions.ts), kept with it so they load
 * with it; the rest are in internal/strings.ts.
 */
import { msg, str } from '@lit/localize';

export const actionStrings = {
  get reply() {
    return msg('Reply');
  },
  get react() {
    return msg('React');
  },
  get forward() {
    return msg('Forward');
  },
  get forwardTo() {
    return msg('Forward to');
  },
  get edit() {
    return msg('Edit');
  },
  get retract() {
    return msg('Retract');
  },
  get deleteForMe() {
    return msg('Delete for me');
  },
  get copyText() {
    return msg('Copy text');
  },
  get editMessage() {
    return msg('Edit message');
  },
  get save() {
    return msg('Save');
  },
  get chooseReaction() {
    return msg('Choose a reaction');
  },
  get otherEmoji() {
    return msg('Other emoji');
  },
  get readers() {
    return msg('Read by');
  },
  get notReadYet() {
    return msg('Not read yet');
  },
  replyingTo: (who: string) => msg(str`Replying to ${who}`),
  get cancelReply() {
    return msg('Cancel reply');
  },
} as const;
