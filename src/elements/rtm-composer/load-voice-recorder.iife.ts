/**
 * The script-tag build's loader of the voice recorder (vite.config.ts aliases
 * load-voice-recorder.ts to this file): the companion file dist/rtm-chat.recorder.js.
 */
import { importCompanion } from '../../client/companion.iife.js';
import type { VoiceRecorderModule } from './load-voice-recorder.js';

export type { VoiceRecorderModule };

export function importVoiceRecorder(): Promise<VoiceRecorderModule> {
  return importCompanion<VoiceRecorderModule>('rtm-chat.recorder.js');
}
