import type { FastifyReply, FastifyRequest } from 'fastify';

/** The NestJS exception names API v2 puts in `error.code`. */
export type V2ErrorCode =
  | 'BadRequestException'
  | 'TRPCError'
  | 'UnauthorizedException'
  | 'NotFoundException'
  | 'ThrottlerException'
  | 'InternalServerErrorException';

/** API v2's error body: `{status:"error", timestamp, path, error:{code, message}}`. */
export function v2ErrorBody(path: string, code: V2ErrorCode, message: string) {
  return { status: 'error', timestamp: new Date().toISOString(), path, error: { code, message } };
}

/** Sends a v2 error answer. */
export function sendV2Error(
  request: FastifyRequest,
  reply: FastifyReply,
  statusCode: number,
  code: V2ErrorCode,
  message: string,
) {
  return reply.code(statusCode).send(v2ErrorBody(request.url, code, message));
}

/** A bad query parameter: handlers throw it, the error handler answers 400 naming the parameter. */
export class V2BadRequest extends Error {
  override name = 'V2BadRequest';
}
