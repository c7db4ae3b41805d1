// What a scenario needs from one connected user, whatever the target speaks. Every target gets the
// same payload (`message` below), so the bytes a message carries are the same for all of them.
export type TargetKind = 'rtm-chat' | 'rtm-chat-pg' | 'rtm-chat-2-nodes' | 'ws-router' | 'socketio';

export interface WireMessage {
  type: 'TEXT';
  text: string;
}

/** A message pushed to this client: who sent it, its cmid and its payload. */
export interface Delivery {
  from: string;
  cmid: string;
  message: WireMessage;
}

export interface BenchClient {
  readonly uid: string;
  /** Resolves when the target acks (rtm-chat: committed); rejects on a refused send. */
  sendPeer(to: string, cmid: string, message: WireMessage): Promise<void>;
  join(channel: string): Promise<void>;
  sendChannel(channel: string, cmid: string, message: WireMessage): Promise<void>;
  /** Set by the scenario before it sends. */
  onDelivery: (delivery: Delivery) => void;
  close(): void;
}
