/** The strings of the voice recorder (voice-recorder.ts), kept with it so they load with it. */
import { msg, str } from '@lit/localize';

export const recorderStrings = {
  get recording() {
    return msg('Recording a voice message');
  },
  get cancelRecording() {
    return msg('Cancel recording');
  },
  unavailable: (reason: string) => msg(str`The microphone is not available: ${reason}`),
} as const;
