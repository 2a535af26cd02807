// Charts: time series as uPlot canvas lines (fast for tens of thousands of points), daily energy
// as grouped SVG bars with a title per bar. Times are shown in the meter's timezone.
import { h } from './dom.js';
import { epoch, num } from './format.js';

// uPlot (the WebJar's build, a global) is loaded with the first page that has a chart
await new Promise((resolve, reject) => {
  if (window.uPlot) return resolve();
  const script = document.createElement('script');
  script.src = '/console/vendor/uplot/uPlot.iife.min.js';
  script.onload = resolve;
  script.onerror = () => reject(new Error('the chart library could not be loaded'));
  document.head.append(script);
});

const COLORS = ['#1f6fb2', '#d9480f', '#2b8a3e', '#862e9c', '#c2255c', '#5c940d', '#0b7285', '#e67700'];

export function color(i) {
  return COLORS[i % COLORS.length];
}

/** [[iso, value], ...] as uPlot columns [xs, ys]. */
export function columns(points) {
  const xs = new Array(points.length);
  const ys = new Array(points.length);
  for (let i = 0; i < points.length; i++) {
    xs[i] = epoch(points[i][0]);
    ys[i] = points[i][1];
  }
  return [xs, ys];
}

/**
 * A line chart in {@code container}: {@code lines} = [{label, points}], one y-axis in {@code unit}.
 * {@code onZoom(fromSeconds, toSeconds)} is called when a range is selected by dragging.
 */
export function lineChart(container, { title, unit, zone, lines, onZoom, yRange }) {
  const figure = h('figure', { class: 'chart' }, h('figcaption', null, title));
  const plot = h('div', { class: 'plot', role: 'img', 'aria-label': `${title}: chart` });
  figure.append(plot);
  container.append(figure);
  const data = uPlot.join(lines.map((l) => columns(l.points)));
  const opts = {
    width: Math.max(320, plot.clientWidth || container.clientWidth || 800),
    height: 240,
    tzDate: zone ? (ts) => uPlot.tzDate(new Date(ts * 1000), zone) : undefined,
    cursor: { drag: { x: true, y: false, setScale: false } },
    scales: { x: { time: true }, y: yRange ? { range: yRange } : {} },
    axes: [{}, { label: unit, size: 60 }],
    legend: { live: true },
    series: [{}, ...lines.map((l, i) => ({
      label: l.label, stroke: color(i), width: 1.5, spanGaps: false,
      value: (u, v) => (v === null || v === undefined ? '–' : num(v, 3)),
    }))],
    hooks: {
      setSelect: [(u) => {
        if (u.select.width > 2 && onZoom) {
          const from = u.posToVal(u.select.left, 'x');
          const to = u.posToVal(u.select.left + u.select.width, 'x');
          u.setSelect({ left: 0, width: 0, top: 0, height: 0 }, false);
          onZoom(from, to);
        }
      }],
    },
  };
  const chart = new uPlot(opts, data, plot);
  const resize = new ResizeObserver(() => {
    const width = Math.max(320, plot.clientWidth);
    if (Math.abs(width - chart.width) > 4) chart.setSize({ width, height: 240 });
  });
  resize.observe(plot);
  return {
    chart,
    figure,
    setLines(newLines) {
      chart.setData(uPlot.join(newLines.map((l) => columns(l.points))));
    },
    destroy() {
      resize.disconnect();
      chart.destroy();
      figure.remove();
    },
  };
}

/**
 * Grouped bars per day: {@code days} = ['2024-12-18', ...], {@code groups} = [{label, values}]
 * (values per day, null for no data). Each bar has a title with its value, and the same figures
 * are in the table below the chart.
 */
export function dailyBars(container, { title, unit, days, groups }) {
  const NS = 'http://www.w3.org/2000/svg';
  const width = Math.max(320, container.clientWidth || 800);
  const height = 220;
  const left = 56;
  const bottom = 28;
  const max = Math.max(1e-9, ...groups.flatMap((g) => g.values.filter((v) => v !== null)));
  const slot = (width - left - 8) / Math.max(1, days.length);
  const bar = Math.max(1, (slot * 0.8) / groups.length);
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', width);
  svg.setAttribute('height', height);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `${title}, ${days.length} days; the figures are in the table below`);
  const el = (name, attrs, text) => {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    svg.append(e);
    return e;
  };
  const y = (v) => height - bottom - (v / max) * (height - bottom - 12);
  for (const f of [0, 0.5, 1]) {
    el('line', { x1: left, x2: width, y1: y(max * f), y2: y(max * f), class: 'grid' });
    el('text', { x: left - 6, y: y(max * f) + 4, class: 'tick', 'text-anchor': 'end' }, num(max * f, 0));
  }
  const labelEvery = Math.ceil(days.length / Math.max(1, Math.floor((width - left) / 70)));
  days.forEach((day, d) => {
    groups.forEach((g, i) => {
      const v = g.values[d];
      if (v === null || v === undefined) return;
      const r = el('rect', {
        x: left + d * slot + slot * 0.1 + i * bar, y: y(v), width: Math.max(1, bar - 1),
        height: Math.max(0, height - bottom - y(v)), fill: color(i),
      });
      const t = document.createElementNS(NS, 'title');
      t.textContent = `${day} ${g.label}: ${num(v, 3)} ${unit}`;
      r.append(t);
    });
    if (d % labelEvery === 0) {
      el('text', { x: left + d * slot + slot / 2, y: height - 8, class: 'tick', 'text-anchor': 'middle' }, day.slice(5));
    }
  });
  const legend = h('ul', { class: 'legend' }, groups.map((g, i) =>
    h('li', null, h('span', { class: `swatch swatch-${i % COLORS.length}` }), g.label)));
  const figure = h('figure', { class: 'chart' }, h('figcaption', null, title), legend);
  figure.append(svg);
  container.append(figure);
  return figure;
}
