// docs/rest-api.md promises that its curl examples work as written: this runs each one verbatim
// (only the documented shell variables are set) against a real server and compares the answer with
// the one documented below it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { manualClock, startTestServer, text, type TestClient, type TestServer } from './helpers.js';
import { demoCredentials } from './rest-helpers.js';

const run = promisify(execFile);
const doc = readFileSync(new URL('../../docs/rest-api.md', import.meta.url), 'utf8');

interface Block {
  lang: string;
  body: string;
}

const blocks: Block[] = [...doc.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, body: m[2]! }));

/** The variables the doc's "| variable |" table documents: rows like "| `REST_KEY`, `REST_SECRET` | …". */
const variableTable = /^\| variable \|.*\n((?:\|.*\n)+)/m.exec(doc)?.[1] ?? '';
const documentedVariables = new Set(
  [...variableTable.matchAll(/^\| (`[A-Z_]+`(?:, `[A-Z_]+`)*) \|/gm)].flatMap((m) => [...m[1]!.matchAll(/`([A-Z_]+)`/g)].map((v) => v[1]!)),
);

interface Expected {
  statusLine: string;
  headers: [string, string][];
  body: unknown;
}

function parseHttp(text: string): Expected {
  const [head, ...rest] = text.split('\n\n');
  const [statusLine, ...headerLines] = head!.split('\n');
  return {
    statusLine: statusLine!,
    headers: headerLines.map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
    }),
    body: JSON.parse(rest.join('\n\n')),
  };
}

/** Documented strings may elide with "…" (request ids, parts of messages). */
function matches(actual: unknown, documented: unknown, path = 'body'): void {
  if (typeof documented === 'string' && documented.includes('…')) {
    assert.equal(typeof actual, 'string', `${path} is a string`);
    const pattern = new RegExp(`^${documented.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*')}$`);
    assert.match(actual as string, pattern, path);
    return;
  }
  if (typeof documented === 'object' && documented !== null) {
    assert.equal(typeof actual, 'object', `${path} is an object`);
    assert.deepEqual(Object.keys(actual as object).sort(), Object.keys(documented).sort(), `${path} has the documented fields`);
    for (const [key, value] of Object.entries(documented)) matches((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
    return;
  }
  assert.deepEqual(actual, documented, path);
}

const examples = blocks.flatMap((block, i) => {
  if (block.lang !== 'sh' || !block.body.includes('curl ')) return [];
  const answer = blocks[i + 1];
  assert.equal(answer?.lang, 'http', `the curl example "${block.body.split('\n')[0]}" is followed by its answer`);
  return [{ command: block.body, expected: parseHttp(answer!.body) }];
});

/** The doc's story: "userA sent userD 'Lunch at 12?' at 09:00:00 UTC on 1 January 2026". */
const LUNCH_TS = Date.UTC(2026, 0, 1, 9, 0, 0);

describe('docs/rest-api.md curl examples', () => {
  // The doc shows message times, so the server's clock is the doc's.
  const clock = manualClock(LUNCH_TS);
  let t: TestServer;
  let env: Record<string, string>;
  let userB: TestClient;
  let userD: TestClient;
  /** userA's widget, open while the examples run: it hears of the deletion made for userA. */
  let userAWidget: TestClient;
  let lunchId: string;
  before(async () => {
    t = await startTestServer({ now: clock.now });
    const { restKey, restSecret } = demoCredentials(t);
    userB = await t.connect('userB'); // "userB is online (logged in from the widget) and userC is not"
    // "userA sent userD 'Lunch at 12?' … userD reacted with 👍 and answered 'Sounds good' 20 s later,
    // and the examples run a minute after the first message."
    const userA = await t.connect('userA');
    userD = await t.connect('userD');
    lunchId = (await userA.requestOk({ t: 'peer.send', to: 'userD', cmid: 'lunch-1', message: text('Lunch at 12?'), offline: true })).messageId;
    await userD.requestOk({ t: 'reaction.add', messageId: lunchId, emoji: '👍' });
    clock.advance(20_000);
    await userD.requestOk({ t: 'peer.send', to: 'userA', cmid: 'reply-1', message: text('Sounds good'), offline: true });
    clock.advance(40_000);
    userA.close();
    userAWidget = await t.connect('userA');
    env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      RTM_URL: t.url,
      APP_ID: 'demo',
      REST_KEY: restKey,
      REST_SECRET: restSecret,
      RTM_TOKEN: await t.token('userA'),
      MESSAGE_ID: lunchId,
    };
  });
  after(() => t.close());

  it('documents the shell variables the examples use, and nothing else is needed', () => {
    assert.deepEqual([...documentedVariables].sort(), ['APP_ID', 'MESSAGE_ID', 'REST_KEY', 'REST_SECRET', 'RTM_TOKEN', 'RTM_URL']);
    for (const { command } of examples) {
      for (const [, name] of command.matchAll(/\$([A-Z_]+)/g)) assert.ok(documentedVariables.has(name!), `$${name} is documented`);
    }
  });

  it('has examples for every success code, both auth modes and the error statuses', () => {
    const codes = new Set(examples.map((e) => (e.expected.body as { code: string }).code));
    const expected = ['message_sent', 'message_delivered', 'message_offline', 'message_edited', 'message_retracted', 'ok'];
    expected.push('reaction_added', 'reaction_removed', 'message_deleted', 'INVALID_REACTION');
    expected.push('INVALID_CREDENTIALS', 'MISSING_CREDENTIALS', 'TOKEN_MISMATCH', 'INVALID_FIELD', 'INVALID_USER_ID', 'MESSAGE_EMPTY', 'INVALID_ARGUMENT');
    expected.push('MESSAGE_NOT_FOUND', 'MESSAGE_RETRACTED');
    for (const code of expected) {
      assert.ok(codes.has(code), `an example answers ${code}`);
    }
    assert.ok(examples.some((e) => e.command.includes('x-agora-token')) && examples.some((e) => e.command.includes('-u "$REST_KEY')));
  });

  for (const [i, example] of examples.entries()) {
    const title = `${i + 1}: ${example.expected.statusLine} ${(example.expected.body as { code: string }).code}`;
    it(`example ${title}`, async () => {
      const { stdout } = await run('bash', ['-c', example.command], { env, timeout: 15_000 });
      const text = stdout.replaceAll('\r\n', '\n');
      const [head, ...rest] = text.split('\n\n');
      const [statusLine, ...headerLines] = head!.split('\n');
      assert.equal(statusLine, example.expected.statusLine);
      for (const [name, value] of example.expected.headers) {
        assert.ok(headerLines.some((line) => line.toLowerCase() === `${name}: ${value.toLowerCase()}`), `header ${name}: ${value}`);
      }
      matches(JSON.parse(rest.join('\n\n')), example.expected.body);
    });
  }

  it('the examples had their effect: userB got the delivered message live, userC’s offline one is kept', async () => {
    const pushed = await userB.next('peer.message', { where: (f) => f.message.from === 'userA' });
    assert.deepEqual(pushed.message.message, { type: 'TEXT', text: 'Hello' });
    const userC = await t.connect('userC');
    const batch = await userC.next('peer.offline_batch');
    assert.deepEqual(batch.messages.map((m) => (m.message as { text: string }).text), ['Call me when you are back']);
  });

  it('the reactions reached userD live; the deletion for userA reached userA only, and userD keeps the message', async () => {
    const added = await userD.next('message.changed', { where: (f) => f.change.kind === 'reaction' && f.change.added });
    assert.deepEqual(added.change, { kind: 'reaction', emoji: '🎉', uid: 'userA', added: true });
    const removed = await userD.next('message.changed', { where: (f) => f.change.kind === 'reaction' && !f.change.added });
    assert.deepEqual(removed.change, { kind: 'reaction', emoji: '👍', uid: 'userD', added: false });
    const deleted = await userAWidget.next('message.deleted');
    assert.deepEqual([deleted.messageId, deleted.peer], [lunchId, 'userD']);
    await userD.expectNone('message.deleted', 50);
    const ids = async (client: TestClient, peer: string) => (await client.requestOk({ t: 'history', peer, limit: 100 })).messages.map((m) => m.id);
    assert.ok(!(await ids(userAWidget, 'userD')).includes(lunchId), 'gone from userA’s history');
    assert.ok((await ids(userD, 'userA')).includes(lunchId), 'still in userD’s');
  });

  it('the edit and the retraction reached userD live, and the edit that came too late changed nothing', async () => {
    const edited = await userD.next('message.changed', { where: (f) => f.change.kind === 'edited' });
    assert.deepEqual([edited.message.id, edited.message.message], [lunchId, text('Lunch at 12:30?')]);
    const retracted = await userD.next('message.changed', { where: (f) => f.change.kind === 'retracted' });
    assert.deepEqual([retracted.message.id, retracted.message.message], [lunchId, { type: 'RETRACTED' }]);
    await userD.expectNone('message.changed', 50);
  });

  it('every other answer block in the doc is well-formed (the 429 example)', () => {
    const answers = blocks.filter((b) => b.lang === 'http').map((b) => parseHttp(b.body));
    const limited = answers.find((a) => a.statusLine.startsWith('HTTP/1.1 429'));
    assert.ok(limited, 'the 429 answer is documented');
    assert.ok(limited.headers.some(([name]) => name === 'retry-after'));
  });
});
