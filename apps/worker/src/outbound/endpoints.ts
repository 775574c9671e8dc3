import {
  calChanges,
  changeTypes,
  columnName,
  type Database,
  execute,
  outboundEndpoints,
  queryRow,
  queryRows,
} from '@calsync/db';
import { sql } from 'drizzle-orm';
import { urlProblem } from './address-guard.ts';
import { newEndpointSecret } from './signing.ts';

/** How long the secret before a rotation keeps signing. */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;

/** An endpoint as the admin API lists it (never its secret). */
export interface EndpointView {
  id: string;
  url: string;
  types: string[];
  status: 'active' | 'paused';
  paused_reason: string | null;
  failing_since: string | null;
  previous_secret_expires_at: string | null;
  created_at: string;
}

/** Bad input from an admin: `field` names what is wrong. */
export class EndpointInputError extends Error {
  override name = 'EndpointInputError';
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

const o = outboundEndpoints;
const view = sql`${o.id}, ${o.url}, ${o.types}, ${o.status}, ${o.pausedReason},
  calsync_iso(${o.failingSince}) as failing_since,
  calsync_iso(${o.previousSecretExpiresAt}) as previous_secret_expires_at, calsync_iso(${o.createdAt}) as created_at`;

/** Checks `{url, types?}` from an admin; throws EndpointInputError naming the field. */
export async function parseEndpointInput(
  input: unknown,
  allowPrivate: boolean,
): Promise<{ url: string; types: string[] }> {
  if (typeof input !== 'object' || input === null) throw new EndpointInputError('body', 'expected a JSON object');
  const { url, types } = input as Record<string, unknown>;
  if (typeof url !== 'string' || url.length === 0) throw new EndpointInputError('url', 'url is required');
  if (url.length > 2_000) throw new EndpointInputError('url', 'url is longer than 2000 characters');
  const problem = await urlProblem(url, allowPrivate);
  if (problem) throw new EndpointInputError('url', problem);
  if (types === undefined) return { url, types: [] };
  if (!Array.isArray(types)) throw new EndpointInputError('types', 'types must be an array of change types');
  const unknown = types.filter((t) => !(changeTypes as readonly unknown[]).includes(t));
  if (unknown.length > 0) {
    throw new EndpointInputError('types', `types has unknown change types: ${unknown.join(', ')}`);
  }
  return { url, types: [...new Set(types as string[])] };
}

/**
 * Adds an endpoint that receives the Changes written from now on, and returns it with its secret (shown only here).
 */
export async function createEndpoint(db: Database, input: { url: string; types: string[] }) {
  const secret = newEndpointSecret();
  const [row] = await queryRows<EndpointView>(
    db,
    sql`
    insert into ${o} (${columnName(o.url)}, ${columnName(o.types)}, ${columnName(o.secret)}, ${columnName(o.cursor)})
    values (${input.url}, ${sql.param(input.types)}, ${secret}, (select coalesce(max(${calChanges.id}), 0) from ${calChanges}))
    returning ${view}`,
  );
  return { ...row!, secret };
}

export async function listEndpoints(db: Database): Promise<EndpointView[]> {
  return await queryRows<EndpointView>(db, sql`select ${view} from ${o} order by ${o.createdAt}`);
}

export async function getEndpoint(db: Database, id: string): Promise<EndpointView | undefined> {
  if (!isUuid(id)) return undefined;
  return await queryRow<EndpointView>(db, sql`select ${view} from ${o} where ${o.id} = ${id}`);
}

/** Deletes an endpoint with its deliveries; false when there was none. */
export async function deleteEndpoint(db: Database, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  return (await execute(db, sql`delete from ${o} where ${o.id} = ${id}`)) === 1;
}

/** Pauses (sending stops; deliveries still queue) or resumes (a fresh failing window) an endpoint. */
export async function setEndpointPaused(db: Database, id: string, paused: boolean): Promise<EndpointView | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await queryRows<EndpointView>(
    db,
    sql`
    update ${o}
    set ${columnName(o.status)} = ${paused ? 'paused' : 'active'},
        ${columnName(o.pausedReason)} = ${paused ? 'paused by an admin' : null},
        ${columnName(o.failingSince)} = null, ${columnName(o.updatedAt)} = now()
    where ${o.id} = ${id} returning ${view}`,
  );
  return row;
}

/**
 * A new secret; the current one keeps signing (a second signature) for ROTATION_OVERLAP_MS, so receivers can switch
 * without losing a message. Returns the new secret (shown only here).
 */
export async function rotateEndpointSecret(db: Database, id: string, now = new Date()) {
  if (!isUuid(id)) return undefined;
  const secret = newEndpointSecret();
  const [row] = await queryRows<EndpointView>(
    db,
    sql`
    update ${o}
    set ${columnName(o.previousSecret)} = ${o.secret}, ${columnName(o.secret)} = ${secret},
        ${columnName(o.previousSecretExpiresAt)} = ${new Date(now.getTime() + ROTATION_OVERLAP_MS).toISOString()}::timestamptz,
        ${columnName(o.updatedAt)} = now()
    where ${o.id} = ${id} returning ${view}`,
  );
  return row && { ...row, secret };
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
