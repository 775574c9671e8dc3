import { html } from '../html.ts';
import { DASHBOARD, page } from './layout.ts';

/** The only page a visitor without a session sees: no booking data at all. */
export function loginPage(options: { csrfToken: string; error?: string; next?: string }): string {
  return page({
    title: 'Log in',
    body: html`<section class="card narrow">
  <h1>calsync admin</h1>
  <p>Enter the admin token (the server's <code>ADMIN_TOKEN</code>).</p>
  ${options.error && html`<p class="error" role="alert">${options.error}</p>`}
  <form method="post" action="${DASHBOARD}/login">
    <input type="hidden" name="_csrf" value="${options.csrfToken}">
    ${options.next && html`<input type="hidden" name="next" value="${options.next}">`}
    <label>Admin token <input type="password" name="token" autocomplete="current-password" required autofocus></label>
    <button type="submit">Log in</button>
  </form>
</section>`,
  });
}

/** No ADMIN_TOKEN configured: the dashboard stays closed and says how to open it. */
export function notConfiguredPage(): string {
  return page({
    title: 'Admin access not configured',
    body: html`<section class="card narrow">
  <h1>Admin access is not configured</h1>
  <p>The dashboard stays closed until the server has an admin token. Set <code>ADMIN_TOKEN</code> (at least 16
  characters) in the server's environment and restart it, for example:</p>
  <pre>ADMIN_TOKEN=$(openssl rand -hex 24) pnpm start</pre>
  <p>Then log in here with that token.</p>
</section>`,
  });
}
