import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair, type JWTPayload, SignJWT, UnsecuredJWT } from 'jose';

// Test helpers: Supabase Auth tokens shaped as Supabase issues them, and a project's JWKS served over real HTTP.

/** A project JWT secret (Supabase's are at least 32 characters). */
export const TEST_SUPABASE_SECRET = 'test-supabase-jwt-secret-0123456789abcdefghij';
const secretKey = new TextEncoder().encode(TEST_SUPABASE_SECRET);
const nowS = () => Math.floor(Date.now() / 1000);

/** The claims of a signed-in user's access token, as Supabase Auth writes them; `role` goes to app_metadata. */
export function userClaims(options: { appRole?: string; expiresInS?: number } = {}): JWTPayload {
  const iat = nowS();
  return {
    aud: 'authenticated',
    exp: iat + (options.expiresInS ?? 3_600),
    iat,
    iss: 'https://abcdefghijklmnopqrst.supabase.co/auth/v1',
    sub: '8d0fd2b3-9ca7-4d9e-a95f-9e13dded323e',
    email: 'owner@example.com',
    phone: '',
    app_metadata: {
      provider: 'email',
      providers: ['email'],
      ...(options.appRole === undefined ? {} : { role: options.appRole }),
    },
    user_metadata: { email_verified: true },
    role: 'authenticated',
    aal: 'aal1',
    amr: [{ method: 'password', timestamp: iat }],
    session_id: 'b3c1e1a4-52f4-4e8a-9d6c-0f7c0d1e2f3a',
    is_anonymous: false,
  };
}

/** The project's legacy anon key: HS256 with the JWT secret, role `anon`, no audience, valid for ten years. */
export function anonKeyClaims(): JWTPayload {
  const iat = nowS();
  return { iss: 'supabase', ref: 'abcdefghijklmnopqrst', role: 'anon', iat, exp: iat + 10 * 365 * 86_400 };
}

/** Signs `claims` with HS256 and `secret` (the test project's by default). */
export function hs256(claims: JWTPayload, secret: string = TEST_SUPABASE_SECRET): Promise<string> {
  const key = secret === TEST_SUPABASE_SECRET ? secretKey : new TextEncoder().encode(secret);
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key);
}

/** An `alg: none` token: claims anyone can write, with no signature at all. */
export function unsigned(claims: JWTPayload): string {
  return new UnsecuredJWT(claims).encode();
}

export interface SigningKey {
  alg: 'ES256' | 'RS256';
  kid: string;
  privateKey: CryptoKey;
  publicJwk: Record<string, unknown>;
}

export async function signingKey(alg: SigningKey['alg'], kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export function signWith(key: SigningKey, claims: JWTPayload): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' }).sign(key.privateKey);
}

export interface JwksServer {
  /** What SUPABASE_URL would be: the JWKS is at `<url>/auth/v1/.well-known/jwks.json`. */
  url: string;
  /** How many times the JWKS was fetched. */
  fetches(): number;
  close(): Promise<void>;
}

/** A Supabase project's JWKS endpoint publishing the public halves of `keys`. */
export async function startJwksServer(keys: SigningKey[]): Promise<JwksServer> {
  let fetches = 0;
  const server = createServer((request, response) => {
    if (request.url !== '/auth/v1/.well-known/jwks.json') {
      response.writeHead(404).end();
      return;
    }
    fetches += 1;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys: keys.map((k) => k.publicJwk) }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    fetches: () => fetches,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
