// Writes dist/rtm-chat.messages.json: every user-visible message of the widget, id → English text,
// with {0}, {1}… where the text has values. A site translates the values and registers them with
// registerLocale (docs/localization.md); the ids are the ones in xliff/*.xlf.
import { readFileSync, writeFileSync } from 'node:fs';

const xliff = readFileSync('xliff/zh-CN.xlf', 'utf8');
const unescape = (text) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
const catalog = {};
for (const [, id, source] of xliff.matchAll(/<trans-unit id="(\w+)">\s*<source>([\s\S]*?)<\/source>/g)) {
  catalog[id] = unescape(source.replace(/<x id="(\d+)"[^>]*\/>/g, '{$1}'));
}
writeFileSync('dist/rtm-chat.messages.json', `${JSON.stringify(catalog, null, 2)}\n`);
console.log(`dist/rtm-chat.messages.json: ${Object.keys(catalog).length} messages`);
