// Prints the gzip size of the script-tag bundle against the widget's budget, and fails the build
// when the bundle is over it, so growth is seen when it happens. The companion files (fetched by
// the bundle only when a page first needs them) are printed on lines of their own: they are not
// part of what every page downloads, so they have no share of the budget.
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

// 45 KB until the widget spoke other languages; locales added 1.3 KB to it (English strings read
// through @lit/localize's msg, matching the page's lang, re-rendering on a switch) while the
// catalogs, @lit/localize's runtime and the translated errors load only for another language. The
// way down (issue 12: 30 KB for a text conversation) is loading media on demand as well.
const BUDGET_BYTES = 46.5 * 1024;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

function sizes(file) {
  const raw = readFileSync(file);
  return { raw: raw.byteLength, gzip: gzipSync(raw, { level: 9 }).byteLength };
}

const file = 'dist/rtm-chat.iife.js';
const { raw, gzip } = sizes(file);
console.log(`${file}: ${kb(raw)} raw, ${kb(gzip)} gzip = ${gzip} B (budget ${kb(BUDGET_BYTES)} gzip, ${Math.round((gzip / BUDGET_BYTES) * 100)}% used)`);
const companions = {
  'dist/rtm-chat.virtual.js': 'conversations over 150 messages',
  'dist/rtm-chat.images.js': 'sending an image',
  'dist/rtm-chat.attachment.js': 'showing an image or a file',
  'dist/rtm-chat.media.js': 'the first upload or download',
  'dist/rtm-chat.actions.js': 'opening a message’s actions menu',
  'dist/rtm-chat.popup.js': '<rtm-chat mode="popup">',
  'dist/rtm-chat.inbox.js': 'the inbox’s conversation list',
  'dist/rtm-chat.check.js': 'the first reply, mention, location or custom message sent',
  'dist/rtm-chat.upload.js': 'the first file a session sends',
  'dist/rtm-chat.changes.js': 'the first retract, edit, reaction or delete',
  'dist/rtm-chat.session-actions.js': 'the same, through a chat session',
  'dist/rtm-chat.search.js': 'the first search',
  'dist/rtm-chat.rich.js': 'the first quote, reaction, location or custom message shown',
  'dist/rtm-chat.recorder.js': 'the first press of the microphone button',
  'dist/rtm-chat.mentions.js': 'the first "@" typed in a channel',
  'dist/rtm-chat.files.js': 'the first file dragged in or picked',
  'dist/rtm-chat.attention.js': 'the first unread count or notification of unread-in-title / notifications',
  'dist/rtm-chat.locale-zh-CN.js': 'a page in Simplified Chinese',
  'dist/rtm-chat.locale-ar.js': 'a page in Arabic',
  'dist/rtm-chat.error-texts.js': 'the first locale other than English',
  'dist/rtm-chat.localize.js': 'the first locale other than English (the @lit/localize runtime)',
};
for (const [companion, when] of Object.entries(companions)) {
  const size = sizes(companion);
  console.log(`${companion}: ${kb(size.raw)} raw, ${kb(size.gzip)} gzip (loaded by the script-tag bundle for ${when})`);
}
// Chunks the companion files share (loaded with the first of them that needs one).
for (const shared of readdirSync('dist').filter((name) => /^rtm-chat\.shared-.*\.js$/.test(name))) {
  const size = sizes(`dist/${shared}`);
  console.log(`dist/${shared}: ${kb(size.raw)} raw, ${kb(size.gzip)} gzip (shared by companion files)`);
}
if (gzip > BUDGET_BYTES) {
  console.error(`${file} is over its gzip budget.`);
  process.exit(1);
}
