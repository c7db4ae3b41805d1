/**
 * The script-tag build's loader of the virtualizer (vite.config.ts aliases load-virtual-core.ts
 * to this file): the companion file dist/rtm-chat.virtual.js, next to rtm-chat.iife.js.
 */
import { importCompanion } from '../../client/companion.iife.js';
import type { VirtualCore } from './load-virtual-core.js';

export type { VirtualCore };

export function importVirtualCore(): Promise<VirtualCore> {
  return importCompanion<VirtualCore>('rtm-chat.virtual.js');
}
