import { createHmac, randomBytes } from 'node:crypto';
import { dashboardSessionKey } from '@calsync/jobs';
import { fastifyCookie } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';

/** The dashboard's session cookie: a random id, signed with a key derived from ADMIN_TOKEN, known to Redis. */
export const SESSION_COOKIE = 'calsync_session';
const SESSION_TTL_S = 12 * 3600;

/**
 * A key derived from ADMIN_TOKEN for one purpose. Changing ADMIN_TOKEN therefore ends every session and
 * invalidates every CSRF token, and no derived key reveals the token.
 */
export function deriveKey(adminToken: string, purpose: 'session-cookie' | 'csrf' | 'api-csrf'): string {
  return createHmac('sha256', adminToken).update(`calsync dashboard ${purpose} v1`).digest('base64url');
}

export interface SessionStore {
  redis: Redis;
  redisPrefix: string;
  adminToken: string;
}

const sessionKey = (store: SessionStore, id: string) => dashboardSessionKey(store.redisPrefix, id);

/** Starts a session and sets its cookie (HttpOnly, SameSite=Strict, signed; Secure when the request is https). */
export async function startSession(store: SessionStore, request: FastifyRequest, reply: FastifyReply) {
  const id = randomBytes(24).toString('base64url');
  await store.redis.set(sessionKey(store, id), '1', 'EX', SESSION_TTL_S);
  reply.setCookie(SESSION_COOKIE, id, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    signed: true,
    maxAge: SESSION_TTL_S,
  });
  return id;
}

/**
 * The session id of a request carrying a validly signed session cookie that Redis still knows, or undefined.
 * Reads the Cookie header itself, so any route (the API's admin check, Bull Board, /metrics) can call it.
 */
export async function sessionOf(store: SessionStore, request: FastifyRequest): Promise<string | undefined> {
  const header = request.headers.cookie;
  if (typeof header !== 'string' || !header.includes(SESSION_COOKIE)) return undefined;
  const raw = fastifyCookie.parse(header)[SESSION_COOKIE];
  if (!raw) return undefined;
  const unsigned = fastifyCookie.unsign(raw, deriveKey(store.adminToken, 'session-cookie'));
  if (!unsigned.valid || !unsigned.value || !/^[A-Za-z0-9_-]{32}$/.test(unsigned.value)) return undefined;
  const known = await store.redis.exists(sessionKey(store, unsigned.value));
  return known === 1 ? unsigned.value : undefined;
}

/** Ends the session server-side (so a copied cookie stops working) and clears the cookie. */
export async function endSession(store: SessionStore, id: string | undefined, reply: FastifyReply) {
  if (id) await store.redis.del(sessionKey(store, id));
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

/** Where to go after logging in: only a path inside the dashboard or the queue board, never another site. */
export function safeNext(value: unknown): string {
  if (typeof value !== 'string') return '/admin/calendar';
  return /^\/admin\/(calendar|queues)(\/[\w.~%/-]*)?(\?[^\s\\]*)?$/.test(value) ? value : '/admin/calendar';
}
