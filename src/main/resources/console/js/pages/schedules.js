// Schedules: the export definitions with their next fire time, each one's recent runs (status,
// rows, coverage, delivery, the reason of a failure); "Run now" and a backfill of a date range.
import { api, query } from '../api.js';
import { h, problem, announce } from '../dom.js';
import { num, time } from '../format.js';

export async function render(main) {
  const { exports } = await api('/api/exports');
  main.append(h('h1', null, 'Schedules'));
  if (exports.length === 0) {
    main.append(h('p', { class: 'muted' }, 'No export definitions (config/exports.yaml).'));
    return;
  }
  for (const d of exports) {
    const runs = h('div', { class: 'runs' });
    const message = h('p', { role: 'status', class: 'run-message' });
    const runNow = h('button', { type: 'button', class: 'primary', disabled: !d.enabled, 'data-run': d.name }, 'Run now');
    const from = h('input', { type: 'date', id: `backfill-start-${d.name}`, required: true });
    const to = h('input', { type: 'date', id: `backfill-end-${d.name}`, required: true });
    const backfill = h('form', { class: 'inline', 'data-backfill': d.name },
      h('label', { for: from.id }, 'Backfill from'), from,
      h('label', { for: to.id }, 'to'), to,
      h('button', { type: 'submit', disabled: !d.enabled }, 'Backfill'));
    const section = h('section', { class: 'definition', 'data-definition': d.name, 'aria-labelledby': `def-${d.name}` },
      h('h2', { id: `def-${d.name}` }, d.name, d.enabled ? '' : h('span', { class: 'badge' }, 'disabled')),
      h('dl', { class: 'facts' },
        h('dt', null, 'Cron'), h('dd', null, `${d.cron} (${d.timezone})`),
        h('dt', null, 'Next fire'), h('dd', { class: 'next-fire' }, d.next_fire_time ? time(d.next_fire_time) : '–'),
        h('dt', null, 'Meters'), h('dd', null, d.meters.join(', ')),
        h('dt', null, 'Resolution'), h('dd', null, `${d.resolution}, ${d.aggregation}, window ${d.window}`),
        h('dt', null, 'Destinations'), h('dd', null, [d.folder ? `outbox/${d.folder}` : null, d.http].filter(Boolean).join(' and '))),
      h('div', { class: 'toolbar' }, runNow, backfill), message, runs);
    main.append(section);

    const refresh = async () => {
      try {
        const body = await api(`/api/exports/${encodeURIComponent(d.name)}/runs`);
        runs.replaceChildren(runTable(d.name, body.runs));
      } catch (e) {
        runs.replaceChildren(problem(e));
      }
    };
    const run = async (params, what) => {
      message.textContent = `${what}…`;
      message.className = 'run-message loading';
      try {
        const body = await api(`/api/exports/${encodeURIComponent(d.name)}/run${query(params)}`, { method: 'POST' });
        const failed = body.runs.filter((r) => r.status === 'failed').length;
        message.textContent = `${what}: ${body.runs.length} run(s), ${failed} failed`;
        message.className = failed ? 'run-message error' : 'run-message ok';
      } catch (e) {
        message.textContent = `${what}: ${e.code}: ${e.message}`;
        message.className = 'run-message error';
      }
      announce(message.textContent);
      await refresh();
    };
    runNow.addEventListener('click', () => run({}, 'Run now'));
    backfill.addEventListener('submit', (e) => {
      e.preventDefault();
      run({ start: from.value, end: to.value }, `Backfill ${from.value} to ${to.value}`);
    });
    await refresh();
  }
}

function runTable(name, runs) {
  if (runs.length === 0) return h('p', { class: 'muted' }, 'No runs yet.');
  return h('table', { class: 'data', 'data-runs': name },
    h('caption', null, `Recent runs of ${name}, newest window first`),
    h('thead', null, h('tr', null, ['Window', 'Status', 'Trigger', 'Finished', 'Rows', 'Coverage', 'Folder', 'HTTP', 'Reason'].map((c, i) =>
      h('th', { scope: 'col', class: i === 4 || i === 5 ? 'num' : null }, c)))),
    h('tbody', null, runs.map((r) => h('tr', { 'data-window': r.window.start, class: r.status },
      h('th', { scope: 'row' }, `${time(r.window.start)} – ${time(r.window.end)}`),
      h('td', { class: `status ${r.status}` }, r.status),
      h('td', null, r.trigger),
      h('td', null, time(r.finished_at)),
      h('td', { class: 'num' }, num(r.rows, 0)),
      h('td', { class: 'num coverage' }, r.coverage_percent === null || r.coverage_percent === undefined ? '–' : `${num(r.coverage_percent, 2)} %`),
      h('td', null, r.destinations.folder || '–'),
      h('td', null, r.destinations.http ? `${r.destinations.http} (${r.destinations.http_attempts} attempts)` : '–'),
      h('td', { class: 'reason' }, r.error || '')))));
}
