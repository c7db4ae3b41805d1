/** Calls a caller's callback; its exceptions surface without breaking the transfer. */
export function notify<A>(callback: ((arg: A) => void) | undefined, arg: A): void {
  try {
    callback?.(arg);
  } catch (error) {
    setTimeout(() => {
      throw error;
    });
  }
}
