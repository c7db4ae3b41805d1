/**
 * What the tabs of one user say to each other over their BroadcastChannel. A client in any tab
 * talks to the leader tab's {@link ConnectionHub} through a `TabSocket`, which looks like a
 * WebSocket to it; these messages carry that conversation.
 */

/** From a tab's socket to the hub. `data` is a client frame exactly as it would go on the wire. */
export type ToHub =
  | { op: 'open'; tab: string; url: string }
  | { op: 'send'; tab: string; data: string }
  | { op: 'close'; tab: string };

/**
 * From the hub to the tabs' sockets. `up`: a hub took over (sockets of an earlier hub close).
 * `frame` without `tab` goes to every socket of the hub except `skip`.
 */
export type FromHub =
  | { op: 'up'; hub: string }
  | { op: 'opened'; hub: string; tab: string }
  | { op: 'frame'; hub: string; tab?: string; skip?: string; data: string }
  | { op: 'closed'; hub: string; tab?: string; code: number; reason: string };

/** Close code for tab sockets whose leader tab left (closed, or its chat stopped). */
export const LEADER_LEFT = 1001;
