// Meters: every meter with site, serial, signals, first and last sample, lag and coverage; a
// coverage heatmap (days × hours) per meter on request.
import { api } from '../api.js';
import { h, painted, problem } from '../dom.js';
import { lag, num, time } from '../format.js';
import { loadHeatmap } from '../heatmap.js';

const STALE_SECONDS = 2 * 86400;

export async function render(main) {
  const filter = h('input', { id: 'meter-filter', type: 'search', placeholder: 'id, serial, site, description' });
  const count = h('span', { id: 'meter-count', class: 'muted', 'aria-live': 'polite' });
  main.append(
    h('h1', null, 'Meters'),
    h('div', { class: 'toolbar' }, h('label', { for: 'meter-filter' }, 'Filter'), filter, count));
  const body = await api('/api/meters');
  const tbody = h('tbody');
  const rows = [];
  for (const m of body.meters) {
    const toggle = h('button', {
      type: 'button', class: 'link', 'aria-expanded': 'false', 'data-meter': m.id,
      'aria-label': `Coverage of ${m.id}`,
    }, 'Coverage');
    const row = h('tr', { 'data-meter': m.id, class: m.lag_seconds > STALE_SECONDS ? 'stale' : null },
      h('th', { scope: 'row' }, h('a', { href: `#/meter/${encodeURIComponent(m.id)}` }, m.id)),
      h('td', null, m.serial || ''),
      h('td', null, m.site || ''),
      h('td', null, m.description || ''),
      h('td', { class: 'signals' }, m.signals.map((s) => s.signal).join(', ')),
      h('td', { class: 'time' }, time(m.first_sample)),
      h('td', { class: 'time' }, time(m.last_sample)),
      h('td', { class: 'num', title: m.lag_seconds === null ? '' : `${m.lag_seconds} s` }, lag(m.lag_seconds)),
      h('td', { class: 'num' }, m.last_sample ? `${num(m.coverage_percent, 2)} %` : '–'),
      h('td', null, toggle));
    const detail = h('tr', { class: 'detail', hidden: true }, h('td', { colspan: 10 }));
    toggle.addEventListener('click', async () => {
      const open = toggle.getAttribute('aria-expanded') === 'true';
      toggle.setAttribute('aria-expanded', String(!open));
      detail.hidden = open;
      if (!open && !detail.dataset.loaded) {
        detail.dataset.loaded = 'yes';
        const cellEl = detail.firstChild;
        cellEl.replaceChildren(h('p', { class: 'loading' }, 'Loading coverage…'));
        try {
          await loadHeatmap(cellEl, m.id);
        } catch (e) {
          cellEl.replaceChildren(problem(e));
        }
      }
    });
    rows.push({ meter: m, row, detail, text: [m.id, m.serial, m.site, m.description].join(' ').toLowerCase() });
    tbody.append(row, detail);
  }
  const columns = ['Meter', 'Serial', 'Site', 'Description', 'Signals', 'First sample', 'Last sample', 'Lag', 'Coverage', ''];
  main.append(h('div', { class: 'scroll' }, h('table', { id: 'meters', class: 'data' },
    h('caption', null, `${body.count} meters; lag is now minus the last sample`),
    h('thead', null, h('tr', null, columns.map((c, i) => h('th', { scope: 'col', class: i === 7 || i === 8 ? 'num' : null }, c)))),
    tbody)));
  count.textContent = `${body.count} meters`;
  filter.addEventListener('input', () => {
    const q = filter.value.trim().toLowerCase();
    let shown = 0;
    for (const r of rows) {
      const match = !q || r.text.includes(q);
      r.row.hidden = !match;
      if (!match) r.detail.hidden = true;
      else if (r.row.querySelector('button').getAttribute('aria-expanded') === 'true') r.detail.hidden = false;
      shown += match ? 1 : 0;
    }
    count.textContent = `${shown} of ${body.count} meters`;
  });
  await painted();
  performance.mark('mf:meters:rendered');
}
