/**
 * What the script-tag bundle lends its companion files. A companion is an ES module built on its
 * own (an IIFE cannot split chunks), so it would carry copies of what it imports — harmless for
 * pure functions, wrong for a class that callers test with `instanceof` (RtmError), state kept in
 * a module (the thumbnails media-message.ts remembers), a context key (a Symbol), a second lit-html or a second @lit/localize (whose copy would
 * never be switched to the page's locale). For those modules the
 * companion build resolves imports to the bridge files next to this one (vite.config.ts), which
 * read the bundle's own modules from this registry; the bundle fills it when it runs (iife.ts).
 */
import type { str } from '@lit/localize';
import type * as localizeInstall from '@lit/localize/init/install.js';
import type * as litHtml from 'lit/html.js';
import type * as mediaMessage from '../client/media/media-message.js';
import type * as sessionContext from '../elements/internal/context.js';
import type * as locale from '../elements/internal/locale.js';
import type * as errors from '../protocol/errors.js';

/** The registry's key on `globalThis`. */
export const CORE_KEY = Symbol.for('rtm-chat.companion-core');

export interface CompanionCore {
  errors: typeof errors;
  litHtml: typeof litHtml;
  /** @lit/localize's `msg` (a live binding, switched when the runtime is configured) and `str`. */
  localize: { install: typeof localizeInstall; str: typeof str };
  locale: typeof locale;
  mediaMessage: typeof mediaMessage;
  sessionContext: typeof sessionContext;
}

/** The bundle's modules; throws when a companion file is loaded without the bundle. */
export function companionCore(): CompanionCore {
  const core = (globalThis as { [CORE_KEY]?: CompanionCore })[CORE_KEY];
  if (!core) throw new Error('rtm-chat: a companion file was loaded without rtm-chat.iife.js.');
  return core;
}
