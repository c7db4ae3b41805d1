// Prints the gzip size of the script-tag bundle and of every companion file it fetches when a page
// first needs one, each against a budget of its own, and fails the build when any is over, so
// growth is seen when it happens. A page that shows a text conversation fetches the bundle alone
// (test/e2e/first-load.test.ts); the companions' budgets keep each feature's cost in view.
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

// 45 KB until the widget spoke other languages; locales added 1.3 KB to it (English strings read
// through @lit/localize's msg, matching the page's lang, re-rendering on a switch) while the
// catalogs, @lit/localize's runtime and the translated errors load only for another language.
// Issue 12 asked for 30 KB; `npm run size:coverage` measures that the bytes a text conversation
// runs (sign-in, history, one text each way, Read) gzip to 27.5 KB on their own, so 30 KB would
// leave 2.5 KB for every error branch, reconnect and token renewal: not without dropping checks.
// Issue 13 (the rest of Agora's 1.x API and what the widget does with it) added 2.9 KB, measured
// piece by piece: MemberCountUpdated counts every join and leave from the moment a channel is
// joined (0.4 KB with the thin getChannelMemberCount, updateConfig…); the names of the twelve
// attribute methods (0.15 KB; their requests and checks are rtm-chat.attributes.js) and
// getUserAttributesByKeys itself (0.27 KB), because every view reads display names with it and a
// text conversation must not fetch a companion; the invitation shell, since createLocalInvitation
// returns synchronously (0.33 KB; the rest is rtm-chat.invitations.js); the display names and
// avatars the views show (0.4 KB for the store's batched fetch, more in the views); the store's
// invitation list (0.26 KB, listening from sign-in) and the prompt's loader (0.1 KB; the prompt is
// rtm-chat.call-prompt.js). The invitation list is the next candidate to load on demand.
const BUDGET_BYTES = 49.5 * 1024;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

function sizes(file) {
  const raw = readFileSync(file);
  return { raw: raw.byteLength, gzip: gzipSync(raw, { level: 9 }).byteLength };
}

const file = 'dist/rtm-chat.iife.js';
const { raw, gzip } = sizes(file);
console.log(`${file}: ${kb(raw)} raw, ${kb(gzip)} gzip = ${gzip} B (budget ${kb(BUDGET_BYTES)} gzip, ${Math.round((gzip / BUDGET_BYTES) * 100)}% used)`);
const companions = {
  'dist/rtm-chat.virtual.js': ['conversations over 150 messages', 11.5],
  'dist/rtm-chat.images.js': ['sending an image', 2.7],
  'dist/rtm-chat.attachment.js': ['showing an image or a file', 3.1],
  'dist/rtm-chat.media.js': ['the first upload or download', 3.3],
  'dist/rtm-chat.actions.js': ['opening a message’s actions menu', 2.6],
  'dist/rtm-chat.popup.js': ['<rtm-chat mode="popup">', 1.6],
  'dist/rtm-chat.call-prompt.js': ['the first incoming call invitation shown', 1.2],
  // The inbox's presence watch moved here from the bundle (only an inbox shows online dots). The
  // New conversation button, its styles and the import of its form added 0.3 KB (issue 13): the
  // form itself is the next file, fetched when the button is pointed at, focused or pressed.
  'dist/rtm-chat.inbox.js': ['the inbox’s conversation list', 4.1],
  'dist/rtm-chat.new-conversation.js': ['the inbox’s New conversation button pointed at, focused or pressed (imported by rtm-chat.inbox.js)', 2.0],
  'dist/rtm-chat.check.js': ['the first reply, mention, location or custom message sent', 1.5],
  'dist/rtm-chat.upload.js': ['the first file a session sends', 1.4],
  'dist/rtm-chat.changes.js': ['the first retract, edit, reaction or delete', 0.3],
  'dist/rtm-chat.attributes.js': ['the first user or channel attribute call (Agora’s setLocalUserAttributes…)', 2.0],
  'dist/rtm-chat.invitations.js': ['the first call invitation sent or received (Agora’s LocalInvitation / RemoteInvitation)', 2.3],
  'dist/rtm-chat.session-actions.js': ['the same, through a chat session', 1.5],
  'dist/rtm-chat.search.js': ['the first search', 1.6],
  'dist/rtm-chat.rich.js': ['the first quote, reaction, location or custom message shown', 1.3],
  'dist/rtm-chat.recorder.js': ['the first press of the microphone button', 2.2],
  'dist/rtm-chat.mentions.js': ['the first "@" typed in a channel', 1.6],
  'dist/rtm-chat.files.js': ['the first file dragged in or picked', 1.2],
  'dist/rtm-chat.attention.js': ['the first unread count or notification of unread-in-title / notifications', 0.6],
  'dist/rtm-chat.locale-zh-CN.js': ['a page in Simplified Chinese', 3.4],
  'dist/rtm-chat.locale-ar.js': ['a page in Arabic', 3.5],
  'dist/rtm-chat.error-texts.js': ['the first locale other than English', 1.4],
  'dist/rtm-chat.localize.js': ['the first locale other than English (the @lit/localize runtime)', 1.7],
};
// Budgets in KB gzip: what each was when last measured, plus a little room.
const over = [];
for (const [companion, [when, budgetKb]] of Object.entries(companions)) {
  const size = sizes(companion);
  console.log(`${companion}: ${kb(size.raw)} raw, ${kb(size.gzip)} gzip, budget ${budgetKb.toFixed(1)} KB (loaded by the script-tag bundle for ${when})`);
  if (size.gzip > budgetKb * 1024) over.push(companion);
}
// Chunks the companion files share (loaded with the first of them that needs one): one budget for all.
const SHARED_BUDGET_BYTES = 12.5 * 1024;
let sharedGzip = 0;
for (const shared of readdirSync('dist').filter((name) => /^rtm-chat\.shared-.*\.js$/.test(name))) {
  const size = sizes(`dist/${shared}`);
  sharedGzip += size.gzip;
  console.log(`dist/${shared}: ${kb(size.raw)} raw, ${kb(size.gzip)} gzip (shared by companion files)`);
}
console.log(`shared chunks together: ${kb(sharedGzip)} gzip (budget ${kb(SHARED_BUDGET_BYTES)})`);
if (sharedGzip > SHARED_BUDGET_BYTES) over.push('the shared chunks together');
if (gzip > BUDGET_BYTES) over.unshift(file);
if (over.length > 0) {
  console.error(`Over the gzip budget: ${over.join(', ')}. Load more on demand, or say in scripts/report-size.mjs why a budget grows.`);
  process.exit(1);
}
