import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type ErrorCode, errorBody, HttpError } from './errors.ts';

/** Fastify's own error codes that are the client's fault, mapped to ours. */
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_VALIDATION: 'invalid_request',
};

/** One error handler, one envelope. 5xx answers never echo internals. */
export const errorHandlerPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof HttpError) {
        if (error.statusCode >= 500) request.log.warn({ err: error }, error.message);
        return reply.status(error.statusCode).send(errorBody(error.code, error.message, error.details));
      }
      const mapped = error.code ? fastifyCodes[error.code] : undefined;
      if (mapped) return reply.status(error.statusCode ?? 400).send(errorBody(mapped, error.message));
      if (error.statusCode === 429) return reply.status(429).send(errorBody('rate_limited', error.message));
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
        return reply.status(error.statusCode).send(errorBody('invalid_request', error.message));
      }
      request.log.error({ err: error }, 'request failed');
      return reply.status(500).send(errorBody('internal_error', 'internal error'));
    });
    app.setNotFoundHandler((request, reply) => {
      reply.status(404).send(errorBody('not_found', `no route ${request.method} ${request.url.split('?')[0]}`));
    });
  },
  { name: 'calsync-error-handler' },
);
