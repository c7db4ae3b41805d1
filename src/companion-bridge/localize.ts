/**
 * @lit/localize as companion files see it: the bundle's own `msg`, the one the runtime switches to
 * the page's locale, and `str` (see core.ts). Companions use nothing else of it.
 */
import type { msg as Msg } from '@lit/localize';
import { companionCore } from './core.js';

export type * from '@lit/localize';
// Read from the module namespace at each call: `msg` is rebound when the runtime is configured.
// (Applied rather than called, so lit-localize's extractor does not take it for a message.)
export const msg: typeof Msg = ((...args: Parameters<typeof Msg>) => Reflect.apply(companionCore().localize.install.msg, undefined, args)) as typeof Msg;
export const { str } = companionCore().localize;
