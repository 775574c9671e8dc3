import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { TEST_ADMIN_TOKEN } from './app.ts';

/** Cookies a browser would keep between requests. */
export class Jar {
  readonly cookies = new Map<string, string>();
  take(response: LightMyRequestResponse) {
    for (const c of response.cookies as Array<{ name: string; value: string; maxAge?: number }>) {
      if (c.value === '' || c.maxAge === 0) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return response;
  }
  get header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** The CSRF token of a dashboard page's first form. */
export const csrfOf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';

/** A browser on the dashboard of `app`: requests carry its cookies and keep the ones set. */
export function browser(app: FastifyInstance, jar = new Jar()) {
  const get = async (url: string, headers: Record<string, string> = {}) =>
    jar.take(await app.inject({ method: 'GET', url, headers: { cookie: jar.header, ...headers } }));
  const post = async (url: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    jar.take(
      await app.inject({
        method: 'POST',
        url,
        headers: { cookie: jar.header, 'content-type': 'application/x-www-form-urlencoded', ...headers },
        payload: new URLSearchParams(form).toString(),
      }),
    );
  /** Submits the login form with `token` (the admin token unless given). */
  const logIn = async (token = TEST_ADMIN_TOKEN, headers: Record<string, string> = {}) => {
    const page = await get('/admin/calendar');
    return post('/admin/calendar/login', { _csrf: csrfOf(page.body), token }, headers);
  };
  return { jar, get, post, logIn };
}
