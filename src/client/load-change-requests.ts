/**
 * Loads the message action requests (change-requests.ts) with the first one. A dynamic import, so
 * bundlers put them in a chunk of their own; the script-tag build swaps this module for
 * load-change-requests.iife.ts.
 */
export type ChangeRequestsModule = typeof import('./change-requests.js');

export function importChangeRequests(): Promise<ChangeRequestsModule> {
  return import('./change-requests.js');
}
