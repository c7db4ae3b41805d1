/**
 * @lit/localize's msg installer as the runtime companion (localize-runtime.ts) sees it: the
 * bundle's, so configuring the runtime switches the `msg` every element calls (see core.ts).
 */
import { companionCore } from './core.js';

export const { _installMsgImplementation } = companionCore().localize.install;
