import { HttpError } from '@calsync/service-kit';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { z } from 'zod';
import type { PublicRateLimit } from './public-rate-limit.ts';

/** Where the original design's functions were served (Supabase Edge Functions): a frontend only changes its base URL. */
export const functionPrefixes = ['', '/functions/v1'] as const;

export interface FunctionRoute<Schema extends z.ZodType> {
  /** The function's name, e.g. `cal-bookings`. */
  name: string;
  /**
   * zod object of every parameter. Unknown parameters are ignored (a frontend that moves over by changing its base URL
   * may send cache-busters or keys calsync does not use); known ones are validated strictly.
   */
  params: Schema;
  summary: string;
  /** Shown in the OpenAPI document. */
  tags: string[];
  /** Per-IP rate limit for public functions (PUBLIC_RATE_LIMIT). */
  rateLimit?: PublicRateLimit;
  /** Runs before the parameters are parsed (e.g. `app.requireAdmin`), so strangers learn nothing from a 400. */
  preHandler?: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  handler: (params: z.output<Schema>, request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

/** The first problem with the parameters, naming the parameter, as a 400. */
export function invalidParams(error: z.ZodError): HttpError {
  const issue = error.issues[0];
  const parameter = issue?.path.map(String).join('.') || '(parameters)';
  return new HttpError('invalid_request', `${parameter}: ${issue?.message ?? 'invalid'}`, { details: { parameter } });
}

/** GET takes the query string; POST takes the JSON body (as supabase.functions.invoke sends it) plus the query. */
function rawParams(request: FastifyRequest): Record<string, unknown> {
  const query = { ...(request.query as Record<string, unknown> | undefined) };
  if (request.method !== 'POST' || request.body === undefined || request.body === null) return query;
  const body = request.body;
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError('invalid_request', 'the JSON body must be an object of parameters');
  }
  return { ...query, ...(body as Record<string, unknown>) };
}

export function parseParams<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const result = schema.safeParse(input);
  if (!result.success) throw invalidParams(result.error);
  return result.data;
}

// zod validates, not Fastify's Ajv: the JSON schema below only documents the parameters.
const documentationOnly = () => () => true;

/** Registers one function at `/<name>` and `/functions/v1/<name>`, by GET and by POST, with one handler. */
export function registerFunction<Schema extends z.ZodType>(app: FastifyInstance, route: FunctionRoute<Schema>) {
  const documented = z.toJSONSchema(route.params, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const { $schema: _ignored, ...jsonSchema } = documented;
  const common: RouteShorthandOptions = {
    validatorCompiler: documentationOnly,
    ...(route.rateLimit ? { config: { rateLimit: route.rateLimit } } : {}),
    ...(route.preHandler ? { preHandler: route.preHandler } : {}),
  };
  const handler = async (request: FastifyRequest, reply: FastifyReply) =>
    route.handler(parseParams(route.params, rawParams(request)), request, reply);
  for (const prefix of functionPrefixes) {
    const url = `${prefix}/${route.name}`;
    const docs = {
      summary: route.summary,
      tags: route.tags,
      ...(route.preHandler ? { security: [{ admin: [] }] } : {}),
    };
    app.get(url, { ...common, schema: { ...docs, querystring: jsonSchema } }, handler);
    app.post(url, { ...common, schema: { ...docs, body: jsonSchema } }, handler);
  }
}
