/**
 * The script-tag build's loader (vite.config.ts aliases load-virtual-core.ts to this file): the
 * virtualizer is the companion file dist/rtm-chat.virtual.js, fetched from next to
 * rtm-chat.iife.js. The script's URL can only be read while the script runs, so it is kept here,
 * once, when the bundle is evaluated (not in a Worker, where there is no document).
 */
import type { VirtualCore } from './load-virtual-core.js';

export type { VirtualCore };

const scriptUrl = (globalThis.document?.currentScript as HTMLScriptElement | null | undefined)?.src;

/** Rejects (an invalid URL) when the script's URL is unknown. */
export async function importVirtualCore(): Promise<VirtualCore> {
  return import(/* @vite-ignore */ new URL('rtm-chat.virtual.js', scriptUrl).href) as Promise<VirtualCore>;
}
