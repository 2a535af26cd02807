// Compare: two or more meters overlaid (a chosen signal: power, power factor, ...) and their daily
// import energy side by side.
import { api, query } from '../api.js';
import { h, painted, problem, announce } from '../dom.js';
import { addDays, num } from '../format.js';
import { lineChart, dailyBars } from '../charts.js';

export async function render(main, params, alive) {
  const { meters } = await api('/api/meters');
  const withData = meters.filter((m) => m.last_sample);
  const hashParams = new URLSearchParams(location.hash.split('?')[1] || '');
  const picked = hashParams.get('meters') ? hashParams.get('meters').split(',') : withData.slice(0, 2).map((m) => m.id);
  const lastDay = (withData.map((m) => m.last_sample).sort().pop() || new Date().toISOString()).slice(0, 10);
  const boxes = meters.map((m) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name: 'meter', value: m.id, checked: picked.includes(m.id) }),
    `${m.id}${m.description ? ' – ' + m.description : ''}`));
  const signals = [...new Set(meters.flatMap((m) => m.signals.filter((s) => s.kind !== 'counter').map((s) => s.signal)))];
  const signal = h('select', { id: 'compare-signal' }, signals.map((s) =>
    h('option', { value: s, selected: s === (hashParams.get('signal') || 'com_ap') }, s)));
  const startInput = h('input', { id: 'compare-start', type: 'date', value: hashParams.get('start') || addDays(lastDay, -6) });
  const endInput = h('input', { id: 'compare-end', type: 'date', value: hashParams.get('end') || lastDay });
  const status = h('p', { id: 'compare-status', role: 'status' });
  const form = h('form', { class: 'controls', id: 'compare-form' },
    h('fieldset', { class: 'meters' }, h('legend', null, 'Meters (two or more)'), boxes),
    h('div', null, h('label', { for: 'compare-signal' }, 'Signal'), signal),
    h('div', null, h('label', { for: 'compare-start' }, 'From'), startInput),
    h('div', null, h('label', { for: 'compare-end' }, 'To'), endInput),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Compare')));
  const out = h('section', { id: 'compare-out', 'aria-label': 'Comparison' });
  main.append(h('h1', null, 'Compare'), form, status, out);
  let chart;
  form.addEventListener('submit', (e) => { e.preventDefault(); load(); });

  async function load() {
    const ids = [...form.querySelectorAll('input[name=meter]:checked')].map((c) => c.value);
    if (ids.length < 2) {
      status.textContent = 'Choose at least two meters.';
      status.className = 'error';
      return;
    }
    status.className = '';
    status.textContent = 'Loading…';
    history.replaceState(null, '', `#/compare?${new URLSearchParams({ meters: ids.join(','), signal: signal.value, start: startInput.value, end: endInput.value })}`);
    if (chart) chart.destroy();
    out.replaceChildren();
    const range = { start: `${startInput.value}T00:00:00`, end: `${endInput.value}T23:59:59` };
    let bundles;
    try {
      bundles = await Promise.all(ids.map((id) => {
        const has = meters.find((m) => m.id === id).signals.some((s) => s.signal === signal.value);
        return api(`/api/meters/${encodeURIComponent(id)}/bundle${query({ ...range, signals: has ? signal.value : '', max_points: 2000 })}`);
      }));
    } catch (e) {
      status.textContent = '';
      out.replaceChildren(problem(e));
      return;
    }
    if (!alive()) return;
    const lines = bundles.filter((b) => b.series[signal.value]).map((b) => ({ label: b.meter, points: b.series[signal.value].points }));
    const zone = meters.find((m) => m.id === ids[0]).timezone;
    chart = lineChart(out, {
      title: `${signal.value}, ${lines.length} meters overlaid`, unit: signal.value === 'pf' ? 'PF' : signal.value === 'com_ap' ? 'kW' : '',
      zone, lines, yRange: signal.value === 'pf' ? [0, 1.05] : undefined,
      onZoom: async (from, to) => {
        const iso = (s) => new Date(s * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
        const finer = await Promise.all(lines.map((l) => api(`/api/meters/${encodeURIComponent(l.label)}/series${query({ signal: signal.value, start: iso(from), end: iso(to), max_points: 2000 })}`)));
        chart.setLines(finer.map((s) => ({ label: s.meter, points: s.points })));
      },
    });
    const days = bundles[0].kpis.daily.map((d) => d.date);
    dailyBars(out, {
      title: 'Daily import energy (kWh)', unit: 'kWh', days,
      groups: bundles.map((b) => ({ label: `${b.meter} import`, values: b.kpis.daily.map((d) => d.import_kwh) })),
    });
    out.append(h('table', { id: 'compare-table', class: 'data' },
      h('caption', null, 'Per meter over the range'),
      h('thead', null, h('tr', null, ['Meter', 'Import kWh', 'Export kWh', 'Peak kW', 'Mean kW', 'Load factor'].map((c, i) =>
        h('th', { scope: 'col', class: i ? 'num' : null }, c)))),
      h('tbody', null, bundles.map((b) => h('tr', { 'data-meter': b.meter },
        h('th', { scope: 'row' }, b.meter),
        h('td', { class: 'num import' }, num(b.kpis.import_kwh, 3)),
        h('td', { class: 'num' }, num(b.kpis.export_kwh, 3)),
        h('td', { class: 'num' }, num(b.kpis.peak_kw, 2)),
        h('td', { class: 'num' }, num(b.kpis.mean_kw, 2)),
        h('td', { class: 'num' }, num(b.kpis.load_factor, 3)))))));
    await painted();
    status.textContent = `${ids.length} meters from ${startInput.value} to ${endInput.value}`;
    announce(status.textContent);
  }

  await load();
}
