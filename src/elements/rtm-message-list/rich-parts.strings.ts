/** The strings of the message parts loaded on demand (rich-parts.ts): they load with them. */
export const richStrings = {
  quoteRetracted: 'Message retracted',
  location: 'Location',
  reaction: (emoji: string, count: number, uids: readonly string[]) => `${emoji} ${count}: ${uids.join(', ')}${count > uids.length ? '…' : ''}`,
} as const;
