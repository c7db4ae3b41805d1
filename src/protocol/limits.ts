/**
 * Every limit the widget and the server enforce, in one place. Both sides import these numbers;
 * nothing else in the project may restate them, so a limit changes in one line.
 */

/** Longest user id or channel name, in characters. */
export const MAX_ID_LENGTH = 64;

/**
 * Largest message, in UTF-8 bytes of its serialized wire form (see `messageByteSize`): text or raw
 * payload plus file name and thumbnail for media messages.
 */
export const MAX_MESSAGE_BYTES = 32 * 1024;

/**
 * Room for the frame around a message (type, request id, peer or channel, client message id,
 * options). The WebSocket max payload is the message cap plus this, so the socket refuses anything
 * that could not be a valid frame before it is parsed.
 */
export const FRAME_ENVELOPE_BYTES = 1024;

/** The WebSocket max payload: just above the message cap. */
export const MAX_FRAME_BYTES = MAX_MESSAGE_BYTES + FRAME_ENVELOPE_BYTES;

/** Longest client message id (characters from the id alphabet `[A-Za-z0-9_-]`). */
export const MAX_CLIENT_MESSAGE_ID_LENGTH = 64;

/** Largest media file, in bytes. */
export const MAX_MEDIA_BYTES = 30 * 1024 * 1024;

/**
 * How long an unfinished resumable upload can be continued after its last byte arrived; then the
 * server deletes what it received. A finished one is a media file like any other (MEDIA_TTL_MS).
 */
export const RESUMABLE_UPLOAD_TTL_MS = 24 * 60 * 60 * 1000;

/** Smallest media file, in bytes: empty files are refused. */
export const MIN_MEDIA_BYTES = 1;

/** Longest file name carried in an image or file message, in characters. */
export const MAX_FILE_NAME_LENGTH = 255;

/**
 * What a generated thumbnail aims for (bytes, before base64). The hard limit is the message cap:
 * text, file name and thumbnail together stay within {@link MAX_MESSAGE_BYTES}.
 */
export const THUMBNAIL_TARGET_BYTES = 5 * 1024;

/**
 * The largest width or height an image message may announce, in pixels (JPEG's own ceiling is
 * 65 535). A file whose header claims more is sent without dimensions.
 */
export const MAX_IMAGE_EDGE_PX = 65_536;

/** The longest edge of a generated thumbnail, in pixels (it shrinks further to meet the target). */
export const THUMBNAIL_MAX_EDGE_PX = 320;

/** How long a signed media download URL stays valid. */
export const MEDIA_URL_TTL_MS = 10 * 60 * 1000;

/** How often the server deletes expired media. */
export const MEDIA_SWEEP_INTERVAL_MS = 60 * 60 * 1000;

/** How long an uploaded media object is kept. */
export const MEDIA_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Start-up cleanup of a media directory that several nodes share: a temp (`.partial`) file, or a
 * committed file without a row, is only deleted once its bytes were last written this long ago.
 * Younger ones may be another live node's upload in progress, or a file whose row is being
 * inserted. An upload writes as bytes arrive, so this is an hour of silence, not an hour of upload
 * (30 MB at 10 KB/s takes 50 minutes and still writes every moment).
 */
export const MEDIA_ORPHAN_GRACE_MS = 60 * 60 * 1000;

/** Uploads plus downloads in flight per client; more wait in a queue. */
export const MAX_CONCURRENT_TRANSFERS = 9;

/** Offline peer messages kept per receiver; the newest replaces the oldest. */
export const MAX_OFFLINE_MESSAGES_PER_RECEIVER = 200;

/** How long an offline peer message is kept for a receiver who stays away. */
export const OFFLINE_MESSAGE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** How long a send waits for the server's ack before it is retried once. */
export const SEND_TIMEOUT_MS = 10_000;

/** How many times a send is transmitted before it fails with SERVER_NOT_REACHABLE. */
export const SEND_ATTEMPTS = 2;

/**
 * How long the server remembers the client message id of a transient send (which is stored
 * nowhere), so a resend after a lost ack is answered with the original ack instead of being
 * delivered twice. A resend comes one send timeout after the first transmission plus a
 * reconnect; later than this, it is delivered again.
 */
export const TRANSIENT_RESEND_WINDOW_MS = 60_000;

/** At most this many transient client message ids are remembered per server (oldest forgotten first). */
export const MAX_TRANSIENT_IDS_REMEMBERED = 10_000;

/** How long a login waits for its reply. */
export const LOGIN_TIMEOUT_MS = 10_000;

/**
 * How long a tab's socket waits for the leader tab (the one holding the shared connection) to
 * answer before it counts as failed and the client retries with backoff.
 */
export const HUB_ANSWER_TIMEOUT_MS = 2_000;

/** A connection that has not logged in within this time is closed by the server. */
export const LOGIN_DEADLINE_MS = 15_000;

/** A sender may retract their own message within this window. */
export const RETRACT_WINDOW_MS = 3 * 60 * 1000;

/** Users one message can mention (`mentions`); `mentionAll` mentions everyone in a channel. */
export const MAX_MENTIONS = 50;

/** Key-value attributes (`extras`) on one message; keys are 1–64 of `[A-Za-z0-9_.-]`. */
export const MAX_EXTRAS = 32;

/** Longest voice or video message, in milliseconds. */
export const MAX_MEDIA_DURATION_MS = 60 * 60 * 1000;

/** Longest search query, in characters. */
export const MAX_SEARCH_QUERY_LENGTH = 256;

/** Characters of the original a reply's quote carries. */
export const QUOTE_EXCERPT_LENGTH = 120;

/** Longest address or place name on a location message, in characters. */
export const MAX_ADDRESS_LENGTH = 512;

/** Distinct emoji reactions one message can carry; one more is refused with INVALID_REACTION. */
export const MAX_REACTIONS_PER_MESSAGE = 32;

/** How many of the users who reacted with one emoji a message lists (the count is always exact). */
export const REACTION_USERS_LISTED = 20;

/** REST API requests per second per app id; beyond it 429 with Retry-After. */
export const REST_REQUESTS_PER_SECOND = 500;

/**
 * REST API burst: how many requests an app that has been quiet may send at once, on top of the
 * steady {@link REST_REQUESTS_PER_SECOND} (a token bucket of this size refilled at that rate; at
 * most 500 + 50 requests in any one second).
 */
export const REST_BURST = 50;

/** How long `wait_for_ack=true` waits for the receiver's client to confirm before answering 408. */
export const REST_ACK_TIMEOUT_MS = 5_000;

/**
 * Largest REST request body, in bytes: a payload at the message cap in which every byte is written
 * as a 6-character JSON escape (`\u00e9`), plus the other fields.
 */
export const MAX_REST_BODY_BYTES = 6 * MAX_MESSAGE_BYTES + FRAME_ENVELOPE_BYTES;

/** The client sends a heartbeat this often while connected. */
export const CLIENT_HEARTBEAT_INTERVAL_MS = 15_000;

/** The client treats the server as gone when a heartbeat is not answered within this time. */
export const CLIENT_HEARTBEAT_TIMEOUT_MS = 10_000;

/**
 * The server closes a connection (PROTOCOL_VIOLATION) after this many bad frames in a row
 * (malformed, invalid, binary, or sent before login). Each one is still answered with an error.
 */
export const MAX_BAD_FRAMES_IN_A_ROW = 20;

/** The server pings each socket this often and drops one that missed the previous ping. */
export const SERVER_HEARTBEAT_INTERVAL_MS = 30_000;

/**
 * Multi-node servers (Redis): each node refreshes its liveness key this often. Short, because a
 * node that was killed keeps its users ONLINE (and its channel members listed) on the other nodes
 * until its key expires.
 */
export const CLUSTER_HEARTBEAT_INTERVAL_MS = 2_000;

/**
 * A node whose liveness key is older than this is taken as dead and its users and channel members
 * are dropped: three missed heartbeats, so one slow event loop turn or Redis hiccup is not a death.
 */
export const CLUSTER_NODE_TTL_MS = 3 * CLUSTER_HEARTBEAT_INTERVAL_MS;

/** RTM_WORKERS: most worker processes one primary forks (node:cluster); more is a typo, not a plan. */
export const MAX_WORKERS = 64;

/**
 * A replacement worker that dies before it listens (database or Redis down, say) is forked again
 * after this long, so the primary does not spin forking workers that cannot start.
 */
export const WORKER_RESPAWN_DELAY_MS = 1_000;

/**
 * On SIGTERM/SIGINT the primary asks its workers to close gracefully (WebSockets closed with
 * SERVER_SHUTDOWN, requests finished); a worker still running after this long is killed.
 */
export const WORKER_STOP_TIMEOUT_MS = 15_000;

/** Reconnect backoff: the first delay cap, doubled per attempt up to the max (full jitter). */
export const RECONNECT_BASE_DELAY_MS = 500;
export const RECONNECT_MAX_DELAY_MS = 30_000;

/** The client gives up reconnecting (state DISCONNECTED) after this long without a connection. */
export const RECONNECT_GIVE_UP_MS = 5 * 60 * 1000;

/** A reconnecting client further behind than this many messages in a conversation gets `reset`. */
export const MAX_SYNC_GAP = 1000;

/**
 * User and channel attributes (Agora RTM 1.x's limits): a key is 1–32 bytes of visible ASCII, a
 * value 1 byte – 8 KB of UTF-8; a user holds at most 32 attributes of 16 KB together (keys and
 * values), a channel at most 32 of 32 KB together.
 */
export const MAX_ATTRIBUTE_KEY_BYTES = 32;
export const MAX_ATTRIBUTE_VALUE_BYTES = 8 * 1024;
export const MAX_USER_ATTRIBUTES = 32;
export const MAX_USER_ATTRIBUTES_BYTES = 16 * 1024;
export const MAX_CHANNEL_ATTRIBUTES = 32;
export const MAX_CHANNEL_ATTRIBUTES_BYTES = 32 * 1024;

/** Characters of a display name the widget shows (a longer one is cut, with an ellipsis). */
export const MAX_DISPLAY_NAME_LENGTH = 64;

/**
 * Call invitations (Agora RTM 1.x's): the caller's `content` and the callee's `response` are at
 * most 8 KB of UTF-8 each, as Agora limits them.
 */
export const MAX_INVITATION_CONTENT_BYTES = 8 * 1024;

/**
 * An invitation no connection of the callee has received this long after it was sent fails for
 * the caller with PEER_OFFLINE; until then the server sends it again to a callee who comes online
 * (Agora: "keeps resending … returns this error if the callee is still offline 30 seconds since
 * the call invitation is sent").
 */
export const INVITATION_OFFLINE_TIMEOUT_MS = 30_000;

/**
 * A received invitation neither side has accepted, refused or canceled this long after it was
 * sent fails for both with INVITATION_EXPIRE (Agora: "expires 60 seconds since it is sent").
 */
export const INVITATION_EXPIRE_MS = 60_000;

/**
 * How often the server retries an undelivered invitation and checks deadlines and whether the
 * callee is still online.
 */
export const INVITATION_CHECK_INTERVAL_MS = 1_000;

/**
 * A callee whose accept was relayed to a caller on another server node and not confirmed this
 * long after fails it with ACCEPT_FAILURE (Agora: the caller's ACK missing 5 s after accepting).
 */
export const INVITATION_ACCEPT_TIMEOUT_MS = 5_000;

/** Most channels one member count query names (Agora's getChannelMemberCount limit). */
export const MAX_MEMBER_COUNT_QUERY = 32;

/**
 * How often a channel's member count may be announced (Agora's MemberCountUpdated): once a
 * second, or every 3 s above LARGE_CHANNEL_MEMBERS members.
 */
export const MEMBER_COUNT_INTERVAL_MS = 1_000;
export const LARGE_CHANNEL_MEMBER_COUNT_INTERVAL_MS = 3_000;
export const LARGE_CHANNEL_MEMBERS = 512;

/** Most users one presence query or subscription names. */
export const MAX_PRESENCE_QUERY = 256;

/** A typing notice shows this long unless renewed. */
export const TYPING_TTL_MS = 5_000;

/** A connection may send one typing notice per conversation this often; more get TOO_OFTEN. */
export const TYPING_MIN_INTERVAL_MS = 1_000;

/** Most messages one history page returns. */
export const MAX_HISTORY_PAGE = 100;

/**
 * The server tells a connection this long before its token expires (`token.will_expire`; the
 * client's `TokenPrivilegeWillExpire`, as in Agora RTM), so the page can renew it in time.
 */
export const TOKEN_WILL_EXPIRE_MS = 30_000;

/**
 * The widget asks its tokenProvider for a renewal at most this often while the token is still
 * valid: a token shorter than TOKEN_WILL_EXPIRE_MS is warned about right after every renewal, and
 * must not turn into a request loop against the page's backend.
 */
export const TOKEN_RENEW_MIN_INTERVAL_MS = 5_000;

/** Dev tokens (and the CLI's default) expire after this long. */
export const DEFAULT_TOKEN_TTL_SECONDS = 24 * 60 * 60;

/**
 * Webhooks (docs/configuration.md "Webhooks"): attempts per event, the first included, before it is
 * marked failed. With the delays below the last attempt comes about 20 hours after the first.
 */
export const WEBHOOK_MAX_ATTEMPTS = 12;

/**
 * Webhook retry backoff: the delay after attempt n is WEBHOOK_RETRY_BASE_DELAY_MS · 2^(n−1), at most
 * WEBHOOK_RETRY_MAX_DELAY_MS, then moved by up to ±WEBHOOK_RETRY_JITTER of itself at random (so a
 * receiver that comes back is not hit by every app's backlog at the same instant).
 */
export const WEBHOOK_RETRY_BASE_DELAY_MS = 60_000;
export const WEBHOOK_RETRY_MAX_DELAY_MS = 6 * 60 * 60 * 1000;
export const WEBHOOK_RETRY_JITTER = 0.2;

/** A webhook request (connect, send, response headers) taking longer than this counts as failed and is retried. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** Webhook requests in flight per app at most; more events wait in the outbox. */
export const WEBHOOK_CONCURRENCY_PER_APP = 4;

/** How old a webhook signature's timestamp may be before receivers should refuse it (replays). */
export const WEBHOOK_SIGNATURE_TOLERANCE_SECONDS = 300;

/** Delivered and failed webhook events (and their delivery log) are kept this long, then deleted. */
export const WEBHOOK_LOG_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * How long a node's hold on dispatching one app's webhooks lasts unless renewed (several nodes on
 * one database: one dispatches an app at a time, so each event is sent once and in the order of
 * one node). The holder renews it every third of this; a node that dies without releasing it
 * leaves the app's events waiting this long before another node takes over and resends the one
 * in flight. Longer than a request's timeout is not needed: renewal does not wait for requests.
 */
export const WEBHOOK_DISPATCH_LEASE_MS = 30_000;

/**
 * Per-connection send limit: `peer.send` and `channel.send` together, a token bucket of
 * {@link SEND_BURST} refilled at this rate. The numbers are Agora RTM 1.x's ("180 calls every three
 * seconds, channel and peer messages taken together"), so code written for that SDK stays within
 * them. A person types far less than 1 message a second; the burst is for a page that comes back
 * from a reconnect with its outbox full. Beyond it a send is refused with TOO_OFTEN and not stored.
 */
export const SENDS_PER_SECOND = 60;

/** How many sends a connection that has been quiet may make at once (3 s worth of {@link SENDS_PER_SECOND}). */
export const SEND_BURST = 180;

/**
 * Per-connection limit on every frame (sends included): looser, for what a page does besides
 * sending — joining its channels, syncing and paging history after a reconnect, read markers,
 * typing notices, presence. Beyond it any frame is refused with TOO_OFTEN.
 */
export const FRAMES_PER_SECOND = 200;

/** The frame bucket's size (3 s worth of {@link FRAMES_PER_SECOND}). */
export const FRAME_BURST = 600;

/**
 * Sustained abuse: a connection refused at least one second's worth of its limit in each of this
 * many consecutive seconds (it keeps sending at twice the limit or more) is closed with
 * RATE_LIMITED. A one-off burst far over the limit only gets its extra requests refused.
 */
export const RATE_LIMIT_ABUSE_SECONDS = 5;

/**
 * Slow consumer: a connection with more than this many bytes written to it and not yet taken by
 * the network (ws `bufferedAmount`) when the server writes the next frame is closed with
 * SLOW_CONSUMER, so it cannot hold server memory or delay anyone. One reply larger than this by
 * itself (a history page of large messages) is not counted while it is the only one in flight.
 */
export const MAX_SEND_BUFFER_BYTES = 1024 * 1024;

/**
 * How long a slow consumer gets to take its backlog and the close frame before its socket is cut
 * (a client that stopped reading would otherwise hold the buffer for ws's 30 s close timeout).
 */
export const SLOW_CONSUMER_CLOSE_GRACE_MS = 5_000;

/** Longest voice message the composer records; recording stops (and the message is sent) there. */
export const MAX_VOICE_RECORDING_MS = 5 * 60 * 1000;

/** How many members the composer's mention picker lists at once (typing narrows them). */
export const MAX_MENTION_SUGGESTIONS = 8;

/**
 * Most message writes the server commits in one SQLite transaction (group commit: one fsync for
 * the batch). Bounded so a flood cannot make one transaction — its WAL growth (up to this many
 * messages of MAX_MESSAGE_BYTES, 8 MiB) and the time it holds the event loop — unbounded; the
 * rest go in the next batch. Server only.
 */
export const MAX_GROUP_COMMIT_MESSAGES = 256;
