/** The strings of the mention picker (mention-picker.ts), kept with it so they load with it. */
import { msg } from '@lit/localize';

export const mentionStrings = {
  get members() {
    return msg('Members to mention');
  },
  get everyone() {
    return msg('everyone here');
  },
} as const;
