/**
 * The script-tag build: registers the elements and exposes the whole API as `window.RtmChat`
 * (so `RtmChat.createInstance(appId, { server })` works as in the RTM Web SDK).
 */
import './companion-bridge/register.js';
import './define.js';

export * from './index.js';
