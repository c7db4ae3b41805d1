/**
 * Fills the companion registry (see core.ts) with the script-tag bundle's own modules. Imported by
 * iife.ts only: the ESM build has no companion files (bundlers split chunks themselves).
 */
import { str } from '@lit/localize';
import * as localizeInstall from '@lit/localize/init/install.js';
import * as litHtml from 'lit/html.js';
import * as mediaMessage from '../client/media/media-message.js';
import * as sessionContext from '../elements/internal/context.js';
import * as locale from '../elements/internal/locale.js';
import * as errors from '../protocol/errors.js';
import { CORE_KEY, type CompanionCore } from './core.js';

const core: CompanionCore = { errors, litHtml, localize: { install: localizeInstall, str }, locale, mediaMessage, sessionContext };
(globalThis as { [CORE_KEY]?: CompanionCore })[CORE_KEY] = core;
