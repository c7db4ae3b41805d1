/** The strings of the conversation's file handling (file-drop.ts), kept with it so they load with it. */
import { msg, str } from '@lit/localize';

export const fileStrings = {
  get dropFiles() {
    return msg('Drop files to send them');
  },
  fileProblem: (name: string, problem: string) => msg(str`${name}: ${problem}`),
} as const;
