import type { ChatMessage } from '../../store/index.js';

/**
 * Draws the page's attention to new messages, both opt-in on `<rtm-chat>`: the unread count in
 * the document title ("(3) Shop"), and a desktop notification while the page is hidden.
 */
export class PageAttention {
  private baseTitle: string | undefined;

  /** Shows `total` in front of the document title, or restores the title at 0. */
  showUnreadInTitle(total: number): void {
    if (typeof document === 'undefined') return;
    if (this.baseTitle === undefined) this.baseTitle = document.title;
    document.title = total > 0 ? `(${total}) ${this.baseTitle}` : this.baseTitle;
  }

  /** Puts the title back as it was before the widget touched it. */
  restoreTitle(): void {
    if (this.baseTitle !== undefined && typeof document !== 'undefined') document.title = this.baseTitle;
    this.baseTitle = undefined;
  }

  /**
   * A desktop notification for a message from someone else, only while the page is hidden and
   * only if the page already has permission (asking is the page's decision, on a user gesture).
   */
  notify(message: ChatMessage, title: string): void {
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    if (typeof document === 'undefined' || document.visibilityState !== 'hidden') return;
    const body = message.attachment ? message.attachment.fileName : (message.text ?? '');
    // One notification per conversation: a newer one replaces the older (tag).
    new Notification(title, { body, tag: message.conversation });
  }
}
