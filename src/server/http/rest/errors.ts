import type { FastifyBaseLogger, FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { RtmError, type ErrorReason, type RestErrorBody } from '../../../protocol/index.js';
import { HttpRtmError } from '../errors.js';

/**
 * REST API statuses. Agora's API documents 200, 400, 401, 408 and 500 (429 comes from the rate
 * limit); to stay compatible, every bad input is a 400 here (also MESSAGE_TOO_LARGE, which the
 * media routes answer with 413). The message routes, which Agora's API does not have, add what a
 * request about one stored message can meet: 404 no such message (for this caller), 403 not the
 * caller's message, 409 the message's state forbids it (too old to retract, retracted, not text).
 */
const REST_STATUS: Partial<Record<ErrorReason, number>> = {
  INVALID_ARGUMENT: 400,
  INVALID_FIELD: 400,
  INVALID_USER_ID: 400,
  INVALID_CHANNEL_NAME: 400,
  MESSAGE_EMPTY: 400,
  MESSAGE_TOO_LARGE: 400,
  INVALID_MESSAGE: 400,
  INVALID_APP_ID: 401,
  MISSING_CREDENTIALS: 401,
  INVALID_CREDENTIALS: 401,
  INVALID_TOKEN: 401,
  TOKEN_EXPIRED: 401,
  TOKEN_MISMATCH: 401,
  DELIVERY_TIMEOUT: 408,
  TOO_OFTEN: 429,
  MESSAGE_NOT_FOUND: 404,
  NOT_MESSAGE_SENDER: 403,
  RETRACT_WINDOW_PASSED: 409,
  MESSAGE_RETRACTED: 409,
  MESSAGE_NOT_EDITABLE: 409,
  // Not one emoji, or a 33rd different one: one reason on the wire for both, so one status; a
  // backend fixes the request either way (another emoji), which is what 400 says.
  INVALID_REACTION: 400,
};

/** The HTTP status a REST error is answered with (an HttpRtmError keeps its own). */
export function restStatusOf(error: RtmError): number {
  if (error instanceof HttpRtmError) return error.status;
  return REST_STATUS[error.reason] ?? 500;
}

/** The request id every REST answer carries (set first thing in `onRequest`). */
export function requestIdOf(request: FastifyRequest): string {
  return (request as FastifyRequest & { restRequestId?: string }).restRequestId ?? '';
}

/** Answers `error` as a {@link RestErrorBody} with its REST status. */
export function sendRestError(request: FastifyRequest, reply: FastifyReply, error: RtmError): FastifyReply {
  const body: RestErrorBody = { result: 'failed', request_id: requestIdOf(request), code: error.reason, message: error.message };
  return reply.code(restStatusOf(error)).type('application/json; charset=utf-8').send(body);
}

/** Fastify's own errors (body parsing, body size) in REST terms. */
function fromFastifyError(error: FastifyError): RtmError | undefined {
  switch (error.statusCode) {
    case 413:
      return new RtmError('MESSAGE_TOO_LARGE', `The request body is too large (${error.message}); a payload may be at most 32 KB.`);
    case 415:
      return new RtmError('INVALID_ARGUMENT', 'Send the body as JSON with "Content-Type: application/json;charset=utf-8".');
    case 400:
      return new RtmError('INVALID_ARGUMENT', `The body is not valid JSON: ${error.message}`);
    default:
      return undefined;
  }
}

/** The REST routes' error handler: every failure is a `RestErrorBody`. */
export function restErrorHandler(log: FastifyBaseLogger) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof RtmError) return sendRestError(request, reply, error);
    const mapped = fromFastifyError(error);
    if (mapped) return sendRestError(request, reply, mapped);
    log.error({ err: error, url: request.url }, 'REST request failed');
    return sendRestError(request, reply, new RtmError('INTERNAL_ERROR', 'The server failed to handle this request.'));
  };
}
