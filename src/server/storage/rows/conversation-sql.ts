/**
 * SQL both engines use for the conversation list, written once: what counts as one of the
 * caller's conversations and as unread is the same whichever database answers. (Parts that need
 * each dialect's JSON functions, like mentions, stay in the engine's store.)
 */

/** The caller's conversations (`uc`): peer ones with at least one message, channels they are a member of (`cm`). */
export const MY_CONVERSATIONS = `
  FROM user_conversations uc
  LEFT JOIN channel_members cm
    ON uc.kind = 'channel' AND cm.app_id = uc.app_id AND cm.channel = uc.target AND cm.uid = uc.uid`;

/** Unread messages of `uc`: after the caller's read marker, sent by someone else. */
export const UNREAD_COUNT = `(
  SELECT COUNT(*) FROM messages u
  WHERE u.app_id = uc.app_id AND u.conv = uc.conv AND u.seq > uc.read_seq AND u.sender <> uc.uid)`;
