import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * For an upload refused before its body was read to the end (too large, unauthenticated, a disk
 * error): answer, then close the connection, instead of Node's default of reading and discarding
 * the rest of the body to keep the connection alive — for a 30 MB+ or endless chunked body that
 * would be the very work the refusal is meant to avoid.
 */
export function closeUnreadBody(request: FastifyRequest, reply: FastifyReply): void {
  request.raw.pause();
  reply.header('connection', 'close');
}
