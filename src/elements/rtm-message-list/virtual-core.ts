/**
 * The part of @tanstack/virtual-core the message list uses. It is the entry of the script-tag
 * build's companion file, dist/rtm-chat.virtual.js (see vite.config.ts), so that file carries only
 * these; bundlers importing the package get the same names from `@tanstack/virtual-core` itself.
 */
export { Virtualizer, defaultRangeExtractor, elementScroll, observeElementOffset, observeElementRect } from '@tanstack/virtual-core';
