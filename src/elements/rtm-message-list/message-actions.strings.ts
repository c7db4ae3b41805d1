/**
 * The user-visible strings of the actions menu (message-actions.ts), kept with it so they load
 * with it; the rest are in internal/strings.ts.
 */
export const actionStrings = {
  reply: 'Reply',
  react: 'React',
  forward: 'Forward',
  forwardTo: 'Forward to',
  edit: 'Edit',
  retract: 'Retract',
  deleteForMe: 'Delete for me',
  copyText: 'Copy text',
  editMessage: 'Edit message',
  save: 'Save',
  chooseReaction: 'Choose a reaction',
  otherEmoji: 'Other emoji',
  readers: 'Read by',
  notReadYet: 'Not read yet',
  replyingTo: (who: string) => `Replying to ${who}`,
  cancelReply: 'Cancel reply',
} as const;
