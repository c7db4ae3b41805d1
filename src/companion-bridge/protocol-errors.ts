/** src/protocol/errors.ts as companion files see it: the bundle's own (see core.ts). */
import { companionCore } from './core.js';

export type * from '../protocol/errors.js';
export const { ErrorCodes, CloseCodes, RtmError, reasonOf } = companionCore().errors;
