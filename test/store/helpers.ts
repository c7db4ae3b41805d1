// Store tests: sessions against the real server, stores kept mounted for a test, and one cleanup
// that unmounts, stops and logs out everything a test started.
import { allTasks, cleanStores, keepMount, type ReadableAtom } from 'nanostores';
import { createChatSession, type ChatSession, type ChatSessionOptions, type ChatStoreEvent } from '../../src/store/index.js';
import { appId, devToken, logoutAll, serverUrl } from '../client/helpers.js';

/** Per test file: the sessions and mounted stores its tests make, and the cleanup for afterEach. */
export function sessionKit() {
  /** Sessions to stop after each test (tests that build their own add them here). */
  const sessions = new Set<ChatSession>();
  /** Stores to unmount after each test. */
  const mountedStores: ReadableAtom<unknown>[] = [];

  /** A session for `userId` with a dev token, not yet started. */
  async function newSession(userId: string, extra: Partial<ChatSessionOptions> = {}): Promise<ChatSession> {
    const session = createChatSession({ server: serverUrl(), appId: appId(), userId, token: await devToken(userId), ...extra });
    sessions.add(session);
    return session;
  }

  /** The same, started (signed in). */
  async function startedSession(userId: string, extra: Partial<ChatSessionOptions> = {}): Promise<ChatSession> {
    const session = await newSession(userId, extra);
    await session.start();
    return session;
  }

  /** Mounts a store for the test (its onMount I/O starts); unmounted by cleanup(). */
  function mount<T>($store: ReadableAtom<T>): ReadableAtom<T> {
    keepMount($store);
    mountedStores.push($store);
    return $store;
  }

  /** For afterEach: unmount the stores, stop the sessions, close every socket the test opened. */
  async function cleanup(): Promise<void> {
    cleanStores(...mountedStores);
    mountedStores.length = 0;
    for (const session of sessions) await session.stop();
    sessions.clear();
    await allTasks();
    await logoutAll();
  }

  return { sessions, mountedStores, newSession, startedSession, mount, cleanup };
}

/** Every store event a session emits from now on. */
export function collectEvents(session: ChatSession): ChatStoreEvent[] {
  const events: ChatStoreEvent[] = [];
  session.subscribe((event) => events.push(event));
  return events;
}
