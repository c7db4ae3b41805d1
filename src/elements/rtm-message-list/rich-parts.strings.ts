/** The strings of the message parts loaded on demand (rich-parts.ts): they load with them. */
import { msg, str } from '@lit/localize';
import { formatCount } from '../internal/format.js';

export const richStrings = {
  get quoteRetracted() {
    return msg('Message retracted');
  },
  get location() {
    return msg('Location');
  },
  reaction: (emoji: string, count: number, uids: readonly string[]) => msg(str`${emoji} ${formatCount(count)}: ${uids.join(', ')}${count > uids.length ? '…' : ''}`),
} as const;
