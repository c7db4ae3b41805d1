/**
 * The user-visible strings of the attachment view (attachment-view.ts), kept with it so they load with it; the rest are in internal/strings.ts.
 */
import { msg, str } from '@lit/localize';

export const attachmentStrings = {
  cancelUploadOf: (name: string) => msg(str`Cancel upload of ${name}`),
  cancelDownloadOf: (name: string) => msg(str`Cancel download of ${name}`),
  downloadFile: (name: string) => msg(str`Download ${name}`),
  openImage: (name: string) => msg(str`Open image ${name}`),
  get close() {
    return msg('Close');
  },
  retryUpload: (name: string) => msg(str`Retry upload of ${name}`),
  retryDownload: (name: string) => msg(str`Retry download of ${name}`),
  transferProgress: (name: string) => msg(str`Transfer of ${name}`),
  get uploadFailed() {
    return msg('Upload failed');
  },
  get downloadFailed() {
    return msg('Download failed');
  },
  get cancelled() {
    return msg('Cancelled');
  },
  play: (name: string, duration: string) => msg(str`${name}, ${duration}`),
} as const;
