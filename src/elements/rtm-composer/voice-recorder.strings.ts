/** The strings of the voice recorder (voice-recorder.ts), kept with it so they load with it. */
export const recorderStrings = {
  recording: 'Recording a voice message',
  cancelRecording: 'Cancel recording',
  unavailable: (reason: string) => `The microphone is not available: ${reason}`,
} as const;
