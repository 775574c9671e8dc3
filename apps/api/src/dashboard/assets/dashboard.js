// calsync dashboard: keeps each active sync run's progress line current by polling its small JSON endpoint.
// Pages work without this script (reload to see progress); it only saves the reloads.

const POLL_MS = 1000;

function update(line, run) {
  const rows = run.rows.created + run.rows.updated + run.rows.unchanged;
  line.className = `run run-${run.status}`;
  const status = line.querySelector('.run-status');
  status.textContent = run.status;
  status.className = `run-status badge badge-${run.status}`;
  line.querySelector('.run-pages').textContent = `${run.pages} ${run.pages === 1 ? 'page' : 'pages'}`;
  line.querySelector('.run-rows').textContent = `${rows} rows`;
  line.querySelector('.run-changed').textContent = `${run.rows.created} new, ${run.rows.updated} updated`;
  line.querySelector('.run-error').textContent = run.error ?? '';
}

async function follow(line) {
  const id = line.dataset.run;
  for (;;) {
    try {
      const answer = await fetch(`/admin/calendar/runs/${encodeURIComponent(id)}`, {
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
      });
      if (answer.status === 401 || answer.status === 404) return;
      if (answer.ok) {
        const run = await answer.json();
        update(line, run);
        if (run.done) {
          line.dataset.run = '';
          return;
        }
      }
    } catch {
      // the server restarts or the network blips: keep trying
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

document.addEventListener('DOMContentLoaded', () => {
  for (const line of document.querySelectorAll('[data-run]')) if (line.dataset.run) follow(line);
});
