/**
 * The user-visible strings of the attachment view (attachment-view.ts), kept with it so they load with it; the rest are in internal/strings.ts.
 */
export const attachmentStrings = {
  cancelUploadOf: (name: string) => `Cancel upload of ${name}`,
  cancelDownloadOf: (name: string) => `Cancel download of ${name}`,
  downloadFile: (name: string) => `Download ${name}`,
  openImage: (name: string) => `Open image ${name}`,
  close: 'Close',
  retryUpload: (name: string) => `Retry upload of ${name}`,
  retryDownload: (name: string) => `Retry download of ${name}`,
  transferProgress: (name: string) => `Transfer of ${name}`,
  uploadFailed: 'Upload failed',
  downloadFailed: 'Download failed',
  cancelled: 'Cancelled',
  play: (name: string, duration: string) => `${name}, ${duration}`,
} as const;
