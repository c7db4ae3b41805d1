import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WebSocket } from 'ws';
import { CloseCodes, MAX_SEND_BUFFER_BYTES } from '../../src/protocol/index.js';
import { Connection } from '../../src/server/gateway/connection.js';

/**
 * A socket whose unread bytes the test sets by hand (a fake at the boundary the slow-consumer
 * check reads: ws `bufferedAmount`). Write callbacks fire when the test says the network took them.
 */
function fakeSocket() {
  const pending: (() => void)[] = [];
  const socket = {
    OPEN: 1,
    CONNECTING: 0,
    readyState: 1,
    bufferedAmount: 0,
    sent: [] as string[],
    closedWith: undefined as number | undefined,
    terminated: false,
    send(text: string | Buffer, _options: { binary: boolean }, done?: (error?: Error) => void) {
      this.sent.push(String(text));
      this.bufferedAmount += Buffer.byteLength(text);
      pending.push(() => done?.());
    },
    close(code: number) {
      this.closedWith = code;
      this.readyState = 2;
    },
    terminate() {
      this.terminated = true;
      this.readyState = 3;
    },
    once() {},
    /** The network took every frame written so far. */
    drain() {
      this.bufferedAmount = 0;
      for (const done of pending.splice(0)) done();
    },
  };
  return socket;
}

const frame = (bytes: number) => 'x'.repeat(bytes);

describe('slow-consumer check (Connection.sendText)', () => {
  it(`closes with SLOW_CONSUMER once more than ${MAX_SEND_BUFFER_BYTES} bytes wait, and writes nothing more`, async () => {
    const socket = fakeSocket();
    const conn = new Connection(socket as unknown as WebSocket, undefined, undefined);
    const closing: number[] = [];
    conn.onClosing = (code) => closing.push(code);
    const small = frame(64 * 1024);
    let written = 0;
    while (socket.bufferedAmount <= MAX_SEND_BUFFER_BYTES) {
      conn.sendText(small);
      written++;
    }
    assert.equal(socket.closedWith, undefined, 'the write that crossed the limit still went out');
    let error: Error | undefined;
    conn.sendText(small, (e) => (error = e));
    assert.equal(socket.closedWith, CloseCodes.SLOW_CONSUMER);
    assert.match(String(error), /slow consumer/);
    assert.equal(socket.sent.length, written, 'nothing more is written');
    assert.equal(conn.state, 'closing');
    await Promise.resolve();
    assert.deepEqual(closing, [CloseCodes.SLOW_CONSUMER], 'onClosing runs once, after the current fan-out');
    conn.sendText(small);
    assert.equal(socket.sent.length, written);
  });

  it('does not count one reply larger than the limit by itself while it is in flight', () => {
    const socket = fakeSocket();
    const conn = new Connection(socket as unknown as WebSocket, undefined, undefined);
    conn.sendText(frame(3 * MAX_SEND_BUFFER_BYTES)); // a history page of large messages
    for (let i = 0; i < 10; i++) conn.sendText(frame(1024)); // pushes behind it
    assert.equal(socket.closedWith, undefined);
    assert.equal(socket.sent.length, 11);
    // Once it went out, the ordinary rule applies again.
    socket.drain();
    conn.sendText(frame(1024));
    assert.equal(socket.closedWith, undefined);
  });

  it('counts a backlog piling up behind that reply, and a second over-size reply', () => {
    const socket = fakeSocket();
    const conn = new Connection(socket as unknown as WebSocket, undefined, undefined);
    conn.sendText(frame(2 * MAX_SEND_BUFFER_BYTES));
    while (socket.closedWith === undefined && socket.sent.length < 1000) conn.sendText(frame(64 * 1024));
    assert.equal(socket.closedWith, CloseCodes.SLOW_CONSUMER, 'small frames behind it still count');

    const second = fakeSocket();
    const conn2 = new Connection(second as unknown as WebSocket, undefined, undefined);
    conn2.sendText(frame(2 * MAX_SEND_BUFFER_BYTES));
    conn2.sendText(frame(2 * MAX_SEND_BUFFER_BYTES)); // allowed through: the check runs before a write
    assert.equal(second.closedWith, undefined);
    conn2.sendText(frame(10));
    assert.equal(second.closedWith, CloseCodes.SLOW_CONSUMER, 'two over-size replies in flight count in full');
  });
});
