import type { FastifyRequest } from 'fastify';
import type { AdminAccess } from './admin-access.ts';

/**
 * An admin check for routes the host app registers before `apiPlugin` creates `adminAccess` (its /readyz): until
 * `bind` is called, nobody is admin.
 */
export function lateAdminCheck() {
  let access: AdminAccess | undefined;
  return {
    bind(found: AdminAccess) {
      access = found;
    },
    async isAdmin(request: FastifyRequest): Promise<boolean> {
      return access !== undefined && (await access.verdict(request)) === 'admin';
    },
  };
}
