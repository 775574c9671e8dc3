import { html, type SafeHtml } from '../html.ts';

export const DASHBOARD = '/admin/calendar';

export interface PageOptions {
  title: string;
  body: SafeHtml;
  /** Shows the navigation and the logout button (which needs the CSRF token). */
  session?: {
    csrfToken: string;
    active: 'bookings' | 'event-types' | 'deliveries' | 'insights' | 'notifications' | 'webhooks';
  };
}

function navLink(href: string, label: string, active: boolean): SafeHtml {
  return html`<a href="${href}"${active ? html` aria-current="page"` : ''}>${label}</a>`;
}

/** The document around every dashboard page. */
export function page(options: PageOptions): string {
  const { session } = options;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${options.title} · calsync</title>
<link rel="stylesheet" href="${DASHBOARD}/assets/dashboard.css">
<script src="${DASHBOARD}/assets/dashboard.js" defer></script>
</head>
<body>
<header class="top">
  <a class="brand" href="${DASHBOARD}">calsync</a>
  ${
    session &&
    html`<nav>
    ${navLink(DASHBOARD, 'Bookings', session.active === 'bookings')}
    ${navLink(`${DASHBOARD}/event-types`, 'Event types', session.active === 'event-types')}
    ${navLink(`${DASHBOARD}/deliveries`, 'Deliveries', session.active === 'deliveries')}
    ${navLink(`${DASHBOARD}/insights`, 'Insights', session.active === 'insights')}
    ${navLink(`${DASHBOARD}/notifications`, 'Notifications', session.active === 'notifications')}
    ${navLink(`${DASHBOARD}/webhooks`, 'Webhooks out', session.active === 'webhooks')}
    <a href="/admin/queues">Queues</a>
  </nav>
  <form method="post" action="${DASHBOARD}/logout" class="logout">
    <input type="hidden" name="_csrf" value="${session.csrfToken}">
    <button type="submit">Log out</button>
  </form>`
  }
</header>
<main>
${options.body}
</main>
</body>
</html>`.value;
}
