import { createContext } from '@lit/context';
import type { ChatSession } from '../../store/index.js';

/**
 * The session `<rtm-chat>` provides to its subtree: one store (and, inside it, one client) per
 * signed-in user. Keyed by a symbol so two copies of the widget on a page never answer each other.
 */
export const sessionContext = createContext<ChatSession | undefined>(Symbol('rtm-chat-session'));
