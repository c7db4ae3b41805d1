/** src/elements/internal/context.ts as companion files see it: the bundle's own context key, so their requests reach `<rtm-chat>` (see core.ts). */
import { companionCore } from './core.js';

export const { sessionContext } = companionCore().sessionContext;
