import type { ClientFrame, ClientFrameType } from '../../../protocol/index.js';
import type { Connection } from '../connection.js';
import type { GatewayContext } from '../context.js';

/**
 * The frame type whose `t` can be `T` (unlike `Extract`, this also finds frames whose `t` is a
 * union, like `presence.subscribe` | `presence.unsubscribe`).
 */
export type FrameOf<T extends ClientFrameType> = ClientFrame extends infer F
  ? F extends ClientFrame
    ? T extends F['t']
      ? F
      : never
    : never
  : never;

/** Handles one parsed frame; replies itself. Throwing an RtmError replies with that error. */
export type FrameHandler<T extends ClientFrameType> = (
  ctx: GatewayContext,
  conn: Connection,
  frame: FrameOf<T>,
) => void | Promise<void>;

export type FrameHandlers = { [T in ClientFrameType]: FrameHandler<T> };
