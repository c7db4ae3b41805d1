/**
 * Loads the composer's voice recorder (voice-recorder.ts) on the first press of its microphone
 * button. A dynamic import, so bundlers put it in a chunk of its own; the script-tag build swaps
 * this module for load-voice-recorder.iife.ts.
 */
export type VoiceRecorderModule = typeof import('./voice-recorder.js');

export function importVoiceRecorder(): Promise<VoiceRecorderModule> {
  return import('./voice-recorder.js');
}
