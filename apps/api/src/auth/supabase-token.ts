import { HttpError } from '@calsync/service-kit';
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';

/**
 * What a presented Supabase access token amounts to; `notAdmin` and `reason` are told to the caller. `public` is a
 * caller calsync does not refuse but will not make admin: a user without the admin claim, an API key such as the
 * anon key, or a token signed by a kind of key calsync was not given (the legacy HS256 anon key of a project
 * configured by SUPABASE_URL alone).
 */
export type SupabaseVerdict =
  | { kind: 'admin' }
  | { kind: 'public'; notAdmin: string }
  | { kind: 'invalid'; reason: string };

export interface SupabaseTokens {
  /** Verifies `token`; throws a 503 HttpError when the project's JWKS cannot be fetched (the token may be fine). */
  verify(token: string): Promise<SupabaseVerdict>;
}

export interface SupabaseTokensOptions {
  /** The project's JWT secret (HS256). */
  jwtSecret?: string | undefined;
  /** The project URL: its asymmetric keys are at `<url>/auth/v1/.well-known/jwks.json`. */
  url?: string | undefined;
  /** Dotted path of the claim whose value `admin` marks an admin, e.g. `app_metadata.role`. */
  adminClaim: string;
}

/** The audience Supabase Auth puts in a signed-in user's access token. */
const USER_AUDIENCE = 'authenticated';
// The asymmetric algorithms Supabase Auth signs with; HS256 belongs to the shared secret only, so a public key can
// never be used as an HMAC secret (the classic algorithm confusion).
const JWKS_ALGORITHMS = ['ES256', 'RS256', 'EdDSA'];
// Supabase's clock and ours may differ a little.
const CLOCK_TOLERANCE_S = 30;

/** Three base64url parts: what a JWT looks like. Other bearers (ADMIN_TOKEN, wrong guesses) are not tokens to verify. */
export function looksLikeJwt(bearer: string | undefined): bearer is string {
  return bearer !== undefined && /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(bearer);
}

/** The value at a dotted claim path, or undefined when any step is missing. */
export function claimAt(payload: JWTPayload, path: string): unknown {
  let value: unknown = payload;
  for (const step of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, step)) return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

/** The verifier for the configured keys, or undefined when neither the secret nor the URL is set. */
export function createSupabaseTokens(options: SupabaseTokensOptions): SupabaseTokens | undefined {
  const secret = options.jwtSecret === undefined ? undefined : new TextEncoder().encode(options.jwtSecret);
  const jwks =
    options.url === undefined
      ? undefined
      : createRemoteJWKSet(new URL(`${options.url}/auth/v1/.well-known/jwks.json`), { timeoutDuration: 5_000 });
  if (secret === undefined && jwks === undefined) return undefined;
  const algorithms = [...(secret ? ['HS256'] : []), ...(jwks ? JWKS_ALGORITHMS : [])];
  const key: JWTVerifyGetKey = (header, token) => (header.alg === 'HS256' ? secret! : jwks!(header, token));

  return {
    async verify(token) {
      const unverifiable = missingKeyFor(token, { secret: secret !== undefined, jwks: jwks !== undefined });
      if (unverifiable !== undefined) return { kind: 'public', notAdmin: unverifiable };
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, key, { algorithms, clockTolerance: CLOCK_TOLERANCE_S }));
      } catch (error) {
        const reason = invalidReason(error, token, algorithms);
        if (reason === undefined) {
          const message = "cannot verify the Supabase access token now: the project's JWKS is unreachable";
          throw new HttpError('service_unavailable', message, { cause: error });
        }
        return { kind: 'invalid', reason };
      }
      // Only a signed-in user's token can make an admin. Supabase's API keys (the anon key) carry no audience, and
      // Supabase documents `anon` as another audience it issues: both are valid public callers.
      if (payload.aud === undefined) {
        return {
          kind: 'public',
          notAdmin: `it is an API key (role ${String(payload.role)}), not a signed-in user's token`,
        };
      }
      if (![payload.aud].flat().includes(USER_AUDIENCE)) {
        return { kind: 'public', notAdmin: `its audience is not "${USER_AUDIENCE}"` };
      }
      return claimAt(payload, options.adminClaim) === 'admin'
        ? { kind: 'admin' }
        : { kind: 'public', notAdmin: `its ${options.adminClaim} claim is not "admin"` };
    },
  };
}

/** Why calsync cannot check a token signed with an algorithm Supabase uses but whose key was not configured. */
function missingKeyFor(token: string, configured: { secret: boolean; jwks: boolean }): string | undefined {
  const alg = algorithmOf(token);
  if (alg === 'HS256' && !configured.secret) return 'it is signed with HS256 and SUPABASE_JWT_SECRET is not set';
  if (JWKS_ALGORITHMS.includes(alg) && !configured.jwks) return `it is signed with ${alg} and SUPABASE_URL is not set`;
  return undefined;
}

/** Why jose refused the token, for the 401; undefined when the fault is fetching the keys, not the token. */
function invalidReason(error: unknown, token: string, algorithms: string[]): string | undefined {
  if (error instanceof errors.JWTExpired) return 'it has expired (exp): refresh the session or sign in again';
  if (error instanceof errors.JWTClaimValidationFailed) return `its "${error.claim}" claim is not valid now`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'its signature does not verify';
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return `it is signed with ${algorithmOf(token)}; accepted here: ${algorithms.join(', ')}`;
  }
  if (error instanceof errors.JWKSNoMatchingKey) return "no key in the project's JWKS matches its kid";
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'it is malformed';
  return undefined;
}

function algorithmOf(token: string): string {
  try {
    return String(decodeProtectedHeader(token).alg ?? 'no algorithm');
  } catch {
    return 'an unknown algorithm';
  }
}
