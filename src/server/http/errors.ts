import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { RtmError, type ErrorReason } from '../../protocol/index.js';

/** HTTP status for each error reason the HTTP side can produce; anything else is a 500. */
const STATUS_BY_REASON: Partial<Record<ErrorReason, number>> = {
  INVALID_ARGUMENT: 400,
  INVALID_FIELD: 400,
  INVALID_USER_ID: 400,
  INVALID_CHANNEL_NAME: 400,
  MALFORMED_FRAME: 400,
  MESSAGE_EMPTY: 400,
  INVALID_MESSAGE: 400,
  INVALID_CLIENT_MESSAGE_ID: 400,
  INVALID_TOKEN: 401,
  TOKEN_EXPIRED: 401,
  TOKEN_MISMATCH: 401,
  ORIGIN_NOT_ALLOWED: 403,
  INVALID_APP_ID: 404,
  NOT_FOUND: 404,
  MESSAGE_TOO_LARGE: 413,
  FRAME_TOO_LARGE: 413,
  TOO_OFTEN: 429,
  MEDIA_EMPTY: 400,
  MEDIA_TOO_LARGE: 413,
  INVALID_MEDIA_ID: 400,
  INVALID_FILE_NAME: 400,
  MEDIA_NOT_FOUND: 404,
  MEDIA_EXPIRED: 404,
};

/** An error answered with another status than its reason's usual one (e.g. INVALID_APP_ID as 401). */
export class HttpRtmError extends RtmError {
  constructor(
    reason: ErrorReason,
    message: string,
    readonly status: number,
  ) {
    super(reason, message);
  }

  /** The same error (reason and message) with `status`. */
  static from(error: RtmError, status: number): HttpRtmError {
    return new HttpRtmError(error.reason, error.message, status);
  }
}

export function statusOf(error: RtmError): number {
  if (error instanceof HttpRtmError) return error.status;
  return STATUS_BY_REASON[error.reason] ?? 500;
}

/** Every HTTP error body is `{ code, reason, message }` with a protocol error code. */
export function sendError(reply: FastifyReply, error: RtmError, status = statusOf(error)): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send(error.toBody());
}

/** Fastify's own errors (bad JSON, body too large, wrong content type) by HTTP status. */
function fromFastifyError(error: FastifyError): RtmError | undefined {
  switch (error.statusCode) {
    case 400:
    case 415:
      return new RtmError('INVALID_ARGUMENT', error.message);
    case 404:
      return new RtmError('NOT_FOUND', error.message);
    case 413:
      return new RtmError('MESSAGE_TOO_LARGE', error.message);
    case 429:
      return new RtmError('TOO_OFTEN', error.message);
    default:
      return undefined;
  }
}

/** Makes every error and every unknown route answer with a JSON error body. */
export function installErrorHandlers(app: FastifyInstance, log: FastifyBaseLogger): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof RtmError) return sendError(reply, error);
    const mapped = fromFastifyError(error);
    if (mapped) return sendError(reply, mapped, error.statusCode);
    log.error({ err: error, url: request.url }, 'request failed');
    return sendError(reply, new RtmError('INTERNAL_ERROR', 'The server failed to handle this request.'), 500);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, new RtmError('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}.`)),
  );
}
