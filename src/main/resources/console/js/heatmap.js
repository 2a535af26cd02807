// A meter's coverage as local days × 24 hours: a cell per hour, dark where the hour holds all
// the samples a complete hour of this meter holds, light where some, marked where none (missing
// hours stand out at once), blank where the hour does not exist (the hour clocks skip in spring).
import { api, query } from './api.js';
import { h } from './dom.js';
import { num } from './format.js';

/** The class and words of one cell. */
function cell(samples, expected) {
  if (samples === null) return ['c-none', 'no such hour (clock change)'];
  if (samples === 0) return ['c-missing', 'no data'];
  if (expected > 0 && samples < expected * 0.9) return ['c-partial', `${samples} samples (partial)`];
  return ['c-full', `${samples} samples`];
}

export function heatmap(grid) {
  const hours = [];
  for (let i = 0; i < 24; i++) hours.push(h('th', { scope: 'col', class: 'hour' }, i % 3 === 0 ? String(i).padStart(2, '0') : ''));
  const rows = grid.days.map((day) => h('tr', null,
    h('th', { scope: 'row', class: 'day' }, day.date),
    day.hours.map((n, hour) => {
      const [cls, words] = cell(n, grid.expected_samples_per_hour);
      const label = `${day.date} ${String(hour).padStart(2, '0')}:00 ${words}`;
      return h('td', { class: cls, title: label, 'aria-label': label, 'data-date': day.date, 'data-hour': hour });
    })));
  const missing = grid.hours_in_range - grid.hours_with_data;
  return h('figure', { class: 'heatmap' },
    h('figcaption', null,
      `Coverage ${grid.start} to ${grid.end} (${grid.timezone}): ${grid.hours_with_data} of ${grid.hours_in_range} hours with data`,
      missing > 0 ? `, ${missing} missing` : '',
      ` (${num(100 * grid.hours_with_data / Math.max(1, grid.hours_in_range), 1)} %)`),
    h('ul', { class: 'legend' },
      h('li', null, h('span', { class: 'swatch c-full' }), 'complete'),
      h('li', null, h('span', { class: 'swatch c-partial' }), 'partial'),
      h('li', null, h('span', { class: 'swatch c-missing' }), 'missing')),
    h('div', { class: 'scroll' },
      h('table', { class: 'grid', 'data-meter': grid.meter },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'day'), hours)),
        h('tbody', null, rows))));
}

/** Loads and shows the grid of a meter (default: the 30 days up to its latest sample). */
export async function loadHeatmap(container, meter, start, end) {
  const grid = await api(`/api/meters/${encodeURIComponent(meter)}/coverage${query({ start, end })}`);
  const figure = heatmap(grid);
  container.replaceChildren(figure);
  return grid;
}
