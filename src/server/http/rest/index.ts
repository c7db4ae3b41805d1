import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { MAX_REST_BODY_BYTES, REST_BASE_PATH, RtmError } from '../../../protocol/index.js';
import type { AppRegistry } from '../../apps.js';
import type { ChangeContext } from '../../messaging/changes.js';
import { authenticate, type RestAuth } from './auth.js';
import { restErrorHandler } from './errors.js';
import { historyFromRest } from './history.js';
import { deleteForUserFromRest, editFromRest, reactFromRest, retractFromRest } from './message-changes.js';
import { sendChannelMessage, sendPeerMessage } from './messages.js';
import { registerRestRateLimit, type RateLimitStore } from './rate-limit.js';

export interface RestApiOptions {
  apps: AppRegistry;
  /**
   * The storage, router and clock the gateway uses: REST messages and changes take the same path
   * (history, unread counts, live pushes, webhooks).
   */
  context: ChangeContext;
  log: FastifyBaseLogger;
  ackTimeoutMs: number;
  /** Where the per-app request buckets live: this node's memory when absent (see rate-limit.ts). */
  rateLimitStore?: new () => RateLimitStore;
}

const JSON_TYPE = /^application\/json\s*(;|$)/i;

interface RestParams {
  appid: string;
  /** Absent on the message routes, which name a message instead of a user. */
  user_id?: string;
  message_id?: string;
  peer_id?: string;
  channel_name?: string;
}

type RestRequest = FastifyRequest<{ Params: RestParams; Querystring: Record<string, unknown> }> & {
  restRequestId: string;
  restAuth: RestAuth | null;
};

/**
 * Parses a REST body. `__proto__` and `constructor.prototype` keys are refused (as Fastify's own
 * parser does): JSON.parse itself is safe, but such keys are a trap for any code that merges the
 * body into another object later.
 */
function parseRestJson(text: string): unknown {
  const forbidden = (key: string, value: unknown) =>
    key === '__proto__' || (key === 'constructor' && typeof value === 'object' && value !== null && 'prototype' in value);
  try {
    return JSON.parse(text, (key, value: unknown) => {
      if (forbidden(key, value)) throw new RtmError('INVALID_ARGUMENT', `The body has a "${key}" key (a prototype key); remove it.`);
      return value;
    });
  } catch (error) {
    if (error instanceof RtmError) throw error;
    throw new RtmError('INVALID_ARGUMENT', `The body is not valid JSON: ${(error as Error).message}.`);
  }
}

/**
 * Agora RTM's RESTful message API, wire-compatible (docs/rest-api.md), in its own Fastify scope:
 * its own error handler (REST bodies `{ result, request_id, code, message }`) and rate limit.
 *
 * Per request: `onRequest` assigns the request id and authenticates (401), `preParsing` rate-limits
 * by app id (429), the JSON body is parsed (400), the handler validates, stores and delivers.
 * Agora's two send routes live under `users/<user_id>`, the user who acts; the history query does
 * too (whose view of the conversation). Retract, edit, reactions and delete-for-user name a
 * message, which has one id in the app whoever asks, so they live under `messages/<message_id>`
 * (as Agora's own history API sits under `rtm/message/…`); who acts comes from the credentials,
 * or, for a reaction or a deletion, which are one user's, from the body's `user_id`.
 */
export async function registerRestApi(app: FastifyInstance, options: RestApiOptions): Promise<void> {
  await app.register(async (scope) => {
    scope.decorateRequest('restRequestId', '');
    scope.decorateRequest('restAuth', null);
    scope.setErrorHandler(restErrorHandler(options.log));
    // Our own JSON parser, so a refused prototype key is told apart from a syntax error.
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
      try {
        done(null, parseRestJson(body as string));
      } catch (error) {
        done(error as Error, undefined);
      }
    });
    await registerRestRateLimit(scope, (request) => (request as RestRequest).restAuth?.app.id ?? '', options.rateLimitStore);

    const onRequest = async (request: FastifyRequest) => {
      const rest = request as RestRequest;
      rest.restRequestId = randomUUID();
      rest.restAuth = await authenticate(options.apps, rest.params.appid, rest.params.user_id, request, options.context.now());
    };
    // Fastify also parses text/plain; this API's bodies are JSON, so say that instead of "not an object".
    const preValidation = async (request: FastifyRequest) => {
      if (!JSON_TYPE.test(request.headers['content-type'] ?? '')) {
        throw new RtmError('INVALID_ARGUMENT', 'Send the body as JSON with "Content-Type: application/json;charset=utf-8".');
      }
    };
    // A retraction needs no body; one that is sent is held to the same rule.
    const optionalBody = async (request: FastifyRequest) => {
      if (request.body !== undefined) await preValidation(request);
    };
    const { context } = options;
    const deps = { send: context, ackTimeoutMs: options.ackTimeoutMs };
    const routeOptions = { onRequest, preValidation, bodyLimit: MAX_REST_BODY_BYTES };
    const base = `${REST_BASE_PATH}/:appid/rtm/users/:user_id`;
    const messageBase = `${REST_BASE_PATH}/:appid/rtm/messages/:message_id`;
    const changeInput = (request: FastifyRequest) => {
      const rest = request as RestRequest;
      return { appId: rest.restAuth!.app.id, auth: rest.restAuth!, messageId: rest.params.message_id!, requestId: rest.restRequestId, body: request.body };
    };
    const historyInput = (request: FastifyRequest, target: { peer: string } | { channel: string }) => {
      const rest = request as RestRequest;
      return { appId: rest.restAuth!.app.id, userId: rest.params.user_id!, target, query: rest.query, requestId: rest.restRequestId };
    };

    scope.post(`${base}/peer_messages`, routeOptions, async (request, reply) => {
      const rest = request as RestRequest;
      const { status, body } = await sendPeerMessage(deps, {
        appId: rest.restAuth!.app.id,
        userId: rest.params.user_id!,
        requestId: rest.restRequestId,
        body: request.body,
        waitForAck: rest.query.wait_for_ack,
      });
      return reply.code(status).type('application/json; charset=utf-8').send(body);
    });

    scope.post(`${base}/channel_messages`, routeOptions, async (request, reply) => {
      const rest = request as RestRequest;
      const { status, body } = await sendChannelMessage(deps, {
        appId: rest.restAuth!.app.id,
        userId: rest.params.user_id!,
        requestId: rest.restRequestId,
        body: request.body,
      });
      return reply.code(status).type('application/json; charset=utf-8').send(body);
    });

    scope.post(`${messageBase}/retract`, { ...routeOptions, preValidation: optionalBody }, async (request, reply) =>
      reply.type('application/json; charset=utf-8').send(await retractFromRest(context, changeInput(request))),
    );

    scope.post(`${messageBase}/edit`, routeOptions, async (request, reply) =>
      reply.type('application/json; charset=utf-8').send(await editFromRest(context, changeInput(request))),
    );

    // Every change is a POST with a verb, like `/edit` and `/retract`: a DELETE carrying a body
    // (the user and the emoji) is dropped or refused by some HTTP clients and proxies.
    scope.post(`${messageBase}/reactions/add`, routeOptions, async (request, reply) =>
      reply.type('application/json; charset=utf-8').send(await reactFromRest(context, changeInput(request), true)),
    );

    scope.post(`${messageBase}/reactions/remove`, routeOptions, async (request, reply) =>
      reply.type('application/json; charset=utf-8').send(await reactFromRest(context, changeInput(request), false)),
    );

    scope.post(`${messageBase}/delete_for_user`, routeOptions, async (request, reply) =>
      reply.type('application/json; charset=utf-8').send(await deleteForUserFromRest(context, changeInput(request))),
    );

    scope.get(`${base}/peer_messages/:peer_id`, { onRequest }, async (request, reply) => {
      const input = historyInput(request, { peer: (request as RestRequest).params.peer_id! });
      return reply.type('application/json; charset=utf-8').send(await historyFromRest(context.messages, input));
    });

    scope.get(`${base}/channel_messages/:channel_name`, { onRequest }, async (request, reply) => {
      const input = historyInput(request, { channel: (request as RestRequest).params.channel_name! });
      return reply.type('application/json; charset=utf-8').send(await historyFromRest(context.messages, input));
    });
  });
}
