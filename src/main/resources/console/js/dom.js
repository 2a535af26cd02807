// Small helpers to build the pages' elements without HTML strings (no markup injection).

/** An element: h('td', {class: 'num'}, 'text', child, ...). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'class') el.className = v;
      else if (v === true) el.setAttribute(k, '');
      else el.setAttribute(k, v);
    }
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** A table with a caption, column headers and rows (arrays of cells: text or nodes). */
export function table(caption, columns, rows, attrs) {
  return h('table', attrs,
    h('caption', null, caption),
    h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : null }, c.label || c)))),
    h('tbody', null, rows.map((r) => h('tr', r.attrs || null, r.cells.map((cell, i) =>
      h('td', { class: columns[i] && columns[i].num ? 'num' : null }, cell))))));
}

/** Shows a problem where the content would be. */
export function problem(error) {
  const text = error && error.code ? `${error.code}: ${error.message}` : String(error && error.message || error);
  return h('p', { class: 'error', role: 'alert' }, text);
}

/** Tells screen readers what just happened. */
export function announce(text) {
  const a = document.getElementById('announcer');
  a.textContent = '';
  requestAnimationFrame(() => { a.textContent = text; });
}

/** Resolves after the browser painted the current DOM (the frame after the next). */
export function painted() {
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
}
