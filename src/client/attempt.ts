/**
 * Runs `start`, turning a synchronous throw (argument checks) into a rejection, so a method that
 * returns a promise reports a bad argument the same way as a refusal by the server.
 */
export function attempt<T>(start: () => Promise<T>): Promise<T> {
  try {
    return start();
  } catch (error) {
    return Promise.reject(error);
  }
}
