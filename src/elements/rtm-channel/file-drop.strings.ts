/** The strings of the conversation's file handling (file-drop.ts), kept with it so they load with it. */
export const fileStrings = {
  dropFiles: 'Drop files to send them',
  fileProblem: (name: string, problem: string) => `${name}: ${problem}`,
} as const;
