// Meter view: chosen signals over a chosen range (LTTB points from the bundle endpoint; dragging
// over a chart zooms in and fetches finer points), daily import and export energy, peak kW, mean
// kW and load factor for the range, and the range's coverage.
import { api, query } from '../api.js';
import { h, painted, problem, announce } from '../dom.js';
import { addDays, num, time } from '../format.js';
import { lineChart, dailyBars } from '../charts.js';
import { loadHeatmap } from '../heatmap.js';

const COUNTER = 'counter';

function defaultSignals(meter) {
  const gauges = meter.signals.filter((s) => s.kind !== COUNTER).map((s) => s.signal);
  const preferred = ['com_ap', 'pf'].filter((s) => gauges.includes(s));
  return preferred.length ? preferred : gauges.slice(0, 1);
}

/** The chart's width in points: one per pixel, within what the API takes. */
function pointsFor(el) {
  return Math.min(20000, Math.max(200, Math.round((el.clientWidth || 1000) * (window.devicePixelRatio || 1))));
}

export async function render(main, params, alive) {
  const overview = await api('/api/meters');
  const meters = overview.meters;
  const params0 = new URLSearchParams(location.hash.split('?')[1] || '');
  const id = params[0] || (meters.find((m) => m.last_sample) || meters[0] || {}).id;
  const meter = meters.find((m) => m.id === id);
  main.append(h('h1', null, 'Meter view'));
  if (!meter) {
    main.append(problem({ code: 'METER_NOT_FOUND', message: `no meter '${id}'` }));
    return;
  }
  const lastDay = (meter.last_sample || new Date().toISOString()).slice(0, 10);
  const select = h('select', { id: 'meter-select' }, meters.map((m) =>
    h('option', { value: m.id, selected: m.id === meter.id }, `${m.id}${m.description ? ' – ' + m.description : ''}`)));
  select.addEventListener('change', () => { location.hash = `#/meter/${encodeURIComponent(select.value)}`; });
  const startInput = h('input', { id: 'range-start', type: 'date', value: params0.get('start') || addDays(lastDay, -6), required: true });
  const endInput = h('input', { id: 'range-end', type: 'date', value: params0.get('end') || lastDay, required: true });
  const chosen = params0.get('signals') ? params0.get('signals').split(',') : defaultSignals(meter);
  const signalBoxes = meter.signals.filter((s) => s.kind !== COUNTER).map((s) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name: 'signal', value: s.signal, checked: chosen.includes(s.signal) }), s.display_name || s.signal));
  const quick = (label, days) => h('button', { type: 'button', 'data-days': days, onclick: () => {
    const end = endInput.value || lastDay;
    startInput.value = addDays(end, -(days - 1));
    load();
  } }, label);
  const form = h('form', { class: 'controls', id: 'meter-form' },
    h('div', null, h('label', { for: 'meter-select' }, 'Meter'), select),
    h('div', null, h('label', { for: 'range-start' }, 'From'), startInput),
    h('div', null, h('label', { for: 'range-end' }, 'To'), endInput),
    h('fieldset', null, h('legend', null, 'Signals'), signalBoxes),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Show'),
      quick('Day', 1), quick('Week', 7), quick('Month', 30), quick('Year', 365)));
  const info = h('p', { class: 'muted' },
    `${meter.serial || ''} ${meter.site || ''} ${meter.description || ''} · ${meter.timezone} · data ${time(meter.first_sample)} to ${time(meter.last_sample)}`);
  const kpis = h('section', { id: 'kpis', 'aria-labelledby': 'kpi-title' });
  const charts = h('section', { id: 'charts', 'aria-label': 'Signals' });
  const zoomBar = h('div', { class: 'toolbar', id: 'zoom-bar', hidden: true });
  const energy = h('section', { id: 'energy', 'aria-label': 'Daily energy' });
  const coverage = h('section', { id: 'meter-coverage', 'aria-label': 'Coverage' });
  main.append(info, form, kpis, zoomBar, charts, energy, coverage);
  form.addEventListener('submit', (e) => { e.preventDefault(); load(); });

  let shown = [];
  async function load() {
    const start = startInput.value;
    const end = endInput.value;
    const signals = [...form.querySelectorAll('input[name=signal]:checked')].map((c) => c.value);
    history.replaceState(null, '', `#/meter/${encodeURIComponent(meter.id)}?${new URLSearchParams({ start, end, signals: signals.join(',') })}`);
    kpis.replaceChildren(h('p', { class: 'loading' }, 'Loading…'));
    charts.replaceChildren();
    energy.replaceChildren();
    for (const c of shown) c.destroy();
    shown = [];
    zoomBar.hidden = true;
    const range = { start: `${start}T00:00:00`, end: `${end}T23:59:59` };
    performance.clearMarks('mf:chart:request');
    performance.clearMarks('mf:chart:data');
    performance.clearMarks('mf:chart:drawn');
    performance.mark('mf:chart:request');
    let bundle;
    try {
      bundle = await api(`/api/meters/${encodeURIComponent(meter.id)}/bundle${query({ ...range, signals: signals.join(','), max_points: pointsFor(main) })}`);
    } catch (e) {
      kpis.replaceChildren(problem(e));
      return;
    }
    if (!alive()) return;
    performance.mark('mf:chart:data');
    showKpis(bundle.kpis);
    for (const name of signals) {
      const s = bundle.series[name];
      const chart = lineChart(charts, {
        title: `${name} (${s.source_points} stored points, ${s.points.length} shown)`,
        unit: name === 'pf' ? 'PF' : name === 'com_ap' ? 'kW' : '',
        zone: meter.timezone,
        yRange: name === 'pf' ? [0, 1.05] : undefined,
        lines: [{ label: name, points: s.points }],
        onZoom: (from, to) => zoom(from, to, signals),
      });
      chart.signal = name;
      shown.push(chart);
    }
    await painted();
    performance.mark('mf:chart:drawn');
    performance.measure('mf:chart:request-to-drawn', 'mf:chart:request', 'mf:chart:drawn');
    performance.measure('mf:chart:data-to-drawn', 'mf:chart:data', 'mf:chart:drawn');
    showEnergy(bundle.kpis);
    announce(`Showing ${signals.join(', ')} from ${start} to ${end}`);
    coverage.replaceChildren(h('p', { class: 'loading' }, 'Loading coverage…'));
    loadHeatmap(coverage, meter.id, start, end).catch((e) => coverage.replaceChildren(problem(e)));
  }

  async function zoom(from, to, signals) {
    const iso = (s) => new Date(s * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    zoomBar.hidden = false;
    zoomBar.replaceChildren(
      h('span', { id: 'zoom-range' }, `Zoomed: ${iso(from)} to ${iso(to)} (UTC)`),
      h('button', { type: 'button', onclick: () => load() }, 'Reset zoom'));
    const max = pointsFor(main);
    await Promise.all(shown.map(async (chart) => {
      const s = await api(`/api/meters/${encodeURIComponent(meter.id)}/series${query({ signal: chart.signal, start: iso(from), end: iso(to), max_points: max })}`);
      chart.setLines([{ label: chart.signal, points: s.points }]);
      chart.figure.querySelector('figcaption').textContent = `${chart.signal} (${s.source_points} stored points, ${s.points.length} shown, zoomed)`;
    }));
    announce('Zoomed in: finer data loaded');
  }

  function showKpis(k) {
    const tile = (id, label, value, unit, note) => h('div', { class: 'tile', id },
      h('div', { class: 'label' }, label), h('div', { class: 'value' }, value, unit ? h('span', { class: 'unit' }, ' ' + unit) : ''),
      note ? h('div', { class: 'note' }, note) : '');
    kpis.replaceChildren(
      h('h2', { id: 'kpi-title' }, `${k.start.slice(0, 10)} to ${k.end.slice(0, 10)} (end exclusive)`),
      h('div', { class: 'tiles' },
        tile('kpi-import', 'Import', num(k.import_kwh, 2), 'kWh', k.signals.import ? `from ${k.signals.import}` : 'no import counter'),
        tile('kpi-export', 'Export', num(k.export_kwh, 2), 'kWh', k.signals.export ? `from ${k.signals.export}` : 'no export counter'),
        tile('kpi-peak', 'Peak', num(k.peak_kw, 2), 'kW', k.peak_at ? `at ${time(k.peak_at)}` : ''),
        tile('kpi-mean', 'Mean', num(k.mean_kw, 2), 'kW', k.signals.power ? `of ${k.signals.power}` : 'no power signal'),
        tile('kpi-load-factor', 'Load factor', num(k.load_factor, 3), '', 'mean / peak')));
  }

  function showEnergy(k) {
    const days = k.daily.map((d) => d.date);
    dailyBars(energy, {
      title: 'Daily energy (kWh)', unit: 'kWh', days,
      groups: [
        { label: 'Import kWh/day', values: k.daily.map((d) => d.import_kwh) },
        { label: 'Export kWh/day', values: k.daily.map((d) => d.export_kwh) },
      ],
    });
    const details = h('details', null, h('summary', null, 'Daily figures as a table'),
      h('table', { id: 'daily-table', class: 'data' },
        h('caption', null, 'Per local day'),
        h('thead', null, h('tr', null, ['Day', 'Import kWh', 'Export kWh', 'Peak kW', 'Mean kW'].map((c, i) =>
          h('th', { scope: 'col', class: i ? 'num' : null }, c)))),
        h('tbody', null, k.daily.map((d) => h('tr', { 'data-date': d.date },
          h('th', { scope: 'row' }, d.date),
          h('td', { class: 'num import' }, num(d.import_kwh, 3)),
          h('td', { class: 'num export' }, num(d.export_kwh, 3)),
          h('td', { class: 'num' }, num(d.peak_kw, 2)),
          h('td', { class: 'num' }, num(d.mean_kw, 2)))))));
    energy.append(details);
  }

  await load();
}
