/**
 * The script-tag build's default server (vite.config.ts aliases default-server.ts to this file):
 * the rtm-chat server that served the script from its `/dist/`, so code written for Agora's
 * `AgoraRTM.createInstance(appId)` runs unchanged. A copy of the script hosted elsewhere needs
 * `{ server }`.
 */
import { scriptUrl } from './companion.iife.js';

export function defaultServer(): string | undefined {
  return scriptUrl && new URL('../', scriptUrl).href;
}
