import type { ClientFrame, ClientFrameType } from '../../../protocol/index.js';
import type { Connection } from '../connection.js';
import type { GatewayContext } from '../context.js';

/** Handles one parsed frame; replies itself. Throwing an RtmError replies with that error. */
export type FrameHandler<T extends ClientFrameType> = (
  ctx: GatewayContext,
  conn: Connection,
  frame: Extract<ClientFrame, { t: T }>,
) => void | Promise<void>;

export type FrameHandlers = { [T in ClientFrameType]: FrameHandler<T> };
