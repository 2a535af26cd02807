// The console's pages, one per hash route: #/meters, #/meter/<id>, #/compare, #/export,
// #/schedules, #/activity. Each page module exports render(main, params).
import { h, problem } from './dom.js';

const pages = {
  meters: () => import('./pages/meters.js'),
  meter: () => import('./pages/meter.js'),
  compare: () => import('./pages/compare.js'),
  export: () => import('./pages/export.js'),
  schedules: () => import('./pages/schedules.js'),
  activity: () => import('./pages/activity.js'),
};

let current = 0;

async function route(focus) {
  // #/<page>/<args...>?<query>: the query belongs to the page (it reads it from location.hash)
  const hash = location.hash.replace(/^#\/?/, '').split('?')[0] || 'meters';
  const [name, ...rest] = hash.split('/');
  const page = pages[name] ? name : 'meters';
  for (const a of document.querySelectorAll('nav a')) {
    if (a.dataset.page === page) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const main = document.getElementById('main');
  const mine = ++current;
  main.replaceChildren(h('p', { class: 'loading' }, 'Loading…'));
  try {
    const module = await pages[page]();
    if (mine !== current) return;
    main.replaceChildren();
    await module.render(main, rest.map(decodeURIComponent), () => mine === current);
  } catch (e) {
    if (mine === current) main.replaceChildren(problem(e));
  }
  if (mine === current && focus) {
    const heading = main.querySelector('h1');
    if (heading) { heading.tabIndex = -1; heading.focus({ preventScroll: true }); }
  }
}

async function engineStatus() {
  const el = document.getElementById('engine-status');
  try {
    const response = await fetch('/health');
    const body = await response.json();
    el.textContent = `engine ${body.status}`;
    el.className = 'engine-status ' + body.status;
  } catch (e) {
    el.textContent = 'engine unreachable';
    el.className = 'engine-status unhealthy';
  }
}

document.getElementById('key-button').addEventListener('click', async () => {
  const { askKey } = await import('./api.js');
  await askKey();
  route(true);
});
if (sessionStorage.getItem('meterflow.apiKey')) document.getElementById('key-button').hidden = false;

// after a move to another page the focus goes to its heading, so keyboard and screen-reader
// users start there
window.addEventListener('hashchange', () => route(true));
route(false);
engineStatus();
setInterval(engineStatus, 15_000);
