/** The strings of the mention picker (mention-picker.ts), kept with it so they load with it. */
export const mentionStrings = {
  members: 'Members to mention',
  everyone: 'everyone here',
} as const;
