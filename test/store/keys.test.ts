// Conversation keys and composite Map keys.
import { expect } from '@open-wc/testing';
import {
  checkChannelName,
  checkClientMessageId,
  checkFileName,
  checkMediaId,
  checkUserId,
  RtmError,
} from '../../src/protocol/index.js';
import {
  checkConversationKey,
  compositeKey,
  conversationKey,
  parseConversationKey,
  targetOf,
  type ConversationKey,
} from '../../src/store/keys.js';

describe('parseConversationKey', () => {
  it('reads the kind and id of peer and channel keys', () => {
    expect(parseConversationKey('peer:bob')).to.deep.equal({ kind: 'peer', id: 'bob' });
    expect(parseConversationKey('channel:lobby')).to.deep.equal({ kind: 'channel', id: 'lobby' });
  });

  it('splits at the first colon only: ids may contain colons', () => {
    expect(parseConversationKey('channel:team:dev:ops')).to.deep.equal({ kind: 'channel', id: 'team:dev:ops' });
    expect(parseConversationKey('peer::bob')).to.deep.equal({ kind: 'peer', id: ':bob' });
  });

  it('rejects other kinds and strings without a kind', () => {
    for (const key of ['group:x', 'Peer:bob', 'peers:bob', 'pee:r', ':bob', 'bob', 'peer', 'peerx', 'channel', '']) {
      expect(parseConversationKey(key), JSON.stringify(key)).to.equal(undefined);
    }
    expect(parseConversationKey(42 as unknown as string)).to.equal(undefined);
    expect(parseConversationKey(undefined as unknown as string)).to.equal(undefined);
  });

  it('reads back what conversationKey made', () => {
    for (const [kind, id] of [
      ['peer', 'bob'],
      ['channel', 'a:b'],
      ['peer', "o'brien (work)"],
    ] as const) {
      expect(parseConversationKey(conversationKey(kind, id))).to.deep.equal({ kind, id });
    }
  });

  it('targetOf names the peer or the channel', () => {
    expect(targetOf('peer:bob:2')).to.deep.equal({ peerId: 'bob:2' });
    expect(targetOf('channel:lobby')).to.deep.equal({ channelId: 'lobby' });
    expect(targetOf('room:x' as ConversationKey)).to.equal(undefined);
  });
});

describe('checkConversationKey', () => {
  it('accepts keys of valid peers and channels', () => {
    expect(checkConversationKey('peer:bob')).to.equal(undefined);
    expect(checkConversationKey('channel:team:dev')).to.equal(undefined);
  });

  it('is INVALID_ARGUMENT for a string that is not a conversation key', () => {
    for (const key of ['bob', 'group:x', '']) {
      const error = checkConversationKey(key as ConversationKey);
      expect(error, key).to.be.instanceOf(RtmError);
      expect(error).to.include({ reason: 'INVALID_ARGUMENT', code: 103 });
      expect(error!.message).to.contain(JSON.stringify(key));
    }
  });

  it('is INVALID_USER_ID for a bad peer id, naming it the peer id', () => {
    for (const key of ['peer:', 'peer: bob', 'peer:bob/2', `peer:${'x'.repeat(65)}`] as const) {
      const error = checkConversationKey(key);
      expect(error, key).to.be.instanceOf(RtmError);
      expect(error, key).to.include({ reason: 'INVALID_USER_ID', code: 403 });
      expect(error!.message, key).to.match(/^Peer id /);
    }
  });

  it('is INVALID_CHANNEL_NAME for a bad channel name', () => {
    for (const key of ['channel:', 'channel:lobby ', 'channel:a"b'] as const) {
      const error = checkConversationKey(key);
      expect(error, key).to.be.instanceOf(RtmError);
      expect(error, key).to.include({ reason: 'INVALID_CHANNEL_NAME', code: 404 });
      expect(error!.message, key).to.match(/^Channel name /);
    }
  });
});

describe('compositeKey', () => {
  it('is the same for the same parts', () => {
    expect(compositeKey('bob', 'c1')).to.equal(compositeKey('bob', 'c1'));
  });

  it('never makes the same key of different parts that contain no NUL', () => {
    const cases: string[][] = [
      ['ab', 'c'],
      ['a', 'bc'],
      ['abc'],
      ['a', 'b', 'c'],
      ['a', ''],
      ['', 'a'],
      ['a'],
      ['', ''],
      [''],
      ['peer:a', 'b'],
      ['peer', 'a:b'],
      ['a b', 'c'],
      ['a', 'b c'],
    ];
    const seen = new Map<string, string[]>();
    for (const parts of cases) {
      const key = compositeKey(...parts);
      expect(seen.get(key), `${JSON.stringify(parts)} vs ${JSON.stringify(seen.get(key))}`).to.equal(undefined);
      seen.set(key, parts);
    }
  });

  it('gets no NUL from its callers: every id and name it joins refuses NUL', () => {
    expect(checkUserId('a\u0000b')?.reason).to.equal('INVALID_USER_ID');
    expect(checkChannelName('a\u0000b')?.reason).to.equal('INVALID_CHANNEL_NAME');
    expect(checkConversationKey('peer:a\u0000b')?.reason).to.equal('INVALID_USER_ID');
    expect(checkConversationKey('channel:a\u0000b')?.reason).to.equal('INVALID_CHANNEL_NAME');
    expect(checkClientMessageId('a\u0000b')?.reason).to.equal('INVALID_CLIENT_MESSAGE_ID');
    expect(checkMediaId(`${'A'.repeat(22)}\u0000`)?.reason).to.equal('INVALID_MEDIA_ID');
    expect(checkFileName('report\u0000.pdf')?.reason).to.equal('INVALID_FILE_NAME');
  });
});
