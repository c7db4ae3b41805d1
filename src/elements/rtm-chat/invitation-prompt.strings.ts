/**
 * The user-visible strings of the call invitation prompt (invitation-prompt.ts), kept with it so
 * they load with it.
 */
import { msg, str } from '@lit/localize';

export const invitationStrings = {
  calling: (caller: string) => msg(str`${caller} is inviting you to a call`),
  get accept() {
    return msg('Accept');
  },
  get decline() {
    return msg('Decline');
  },
} as const;
