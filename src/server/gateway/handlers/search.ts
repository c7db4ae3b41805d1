import { conversationOf } from '../../messaging/conversations.js';
import { highlightRanges } from '../../messaging/search-text.js';
import type { FrameHandler } from './types.js';

/**
 * search: the caller's messages (one conversation, or all of theirs) with every word of the query,
 * newest first, each with the ranges of the words in its text. A channel needs no join (as for
 * history); what the caller deleted for themself and retracted messages never match.
 */
export const search: FrameHandler<'search'> = async (ctx, conn, frame) => {
  const ref = frame.peer !== undefined ? { peer: frame.peer } : frame.channel !== undefined ? { channel: frame.channel } : undefined;
  const { query, types, after, before, cursor, limit } = frame;
  const page = await ctx.messages.search(conn.appId, conn.uid, {
    query,
    limit,
    ...(ref && { conv: conversationOf(conn.uid, ref).conv }),
    ...(types && { types }),
    ...(after !== undefined && { after }),
    ...(before !== undefined && { before }),
    ...(cursor !== undefined && { cursor }),
  });
  conn.reply(frame.id, 'search', {
    results: page.hits.map((hit) => ({ ...hit, highlights: highlightRanges(hit.text, query) })),
    hasMore: page.hasMore,
    ...(page.cursor !== undefined && { cursor: page.cursor }),
  });
};
