import type { AppRegistry } from '../../apps.js';
import type { MediaObjects, MediaStore } from '../../storage/types.js';

/** What the media routes work with. */
export interface MediaRouteDeps {
  apps: AppRegistry;
  /** Records (metadata). */
  store: MediaStore;
  /** Bytes. */
  objects: MediaObjects;
  /** The server clock: expiry, token and signed-URL checks. */
  now: () => number;
}
