/**
 * Log levels for the transport core, in the shape of the Agora SDK's `logFilter`.
 * Logging goes to `console` (available in pages and Workers) and is off below the chosen level.
 */

/** Which levels are logged. */
export interface LogFilter {
  error?: boolean;
  warn?: boolean;
  info?: boolean;
  debug?: boolean;
}

/** Logs nothing. */
export const LOG_FILTER_OFF: LogFilter = Object.freeze({ error: false, warn: false, info: false, debug: false });
/** Logs errors only. */
export const LOG_FILTER_ERROR: LogFilter = Object.freeze({ error: true, warn: false, info: false, debug: false });
/** Logs errors and warnings (the default). */
export const LOG_FILTER_WARNING: LogFilter = Object.freeze({ error: true, warn: true, info: false, debug: false });
/** Logs errors, warnings and connection milestones. */
export const LOG_FILTER_INFO: LogFilter = Object.freeze({ error: true, warn: true, info: true, debug: false });
/** Logs everything, including every frame. */
export const LOG_FILTER_DEBUG: LogFilter = Object.freeze({ error: true, warn: true, info: true, debug: true });

/** The logger the transport modules share. */
export interface Logger {
  error(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  info(...args: unknown[]): void;
  debug(...args: unknown[]): void;
}

const PREFIX = '[rtm-chat]';
const noop = (): void => {};

/** A logger that writes the levels enabled in `filter` to the console. */
export function createLogger(filter: LogFilter = LOG_FILTER_WARNING): Logger {
  return {
    error: filter.error ? (...args) => console.error(PREFIX, ...args) : noop,
    warn: filter.warn ? (...args) => console.warn(PREFIX, ...args) : noop,
    info: filter.info ? (...args) => console.info(PREFIX, ...args) : noop,
    debug: filter.debug ? (...args) => console.debug(PREFIX, ...args) : noop,
  };
}

/** Makes `logger` write the levels of `filter` from now on (Agora's `updateConfig({ logFilter })`). */
export function setLogFilter(logger: Logger, filter: LogFilter): void {
  Object.assign(logger, createLogger(filter));
}
