// Activity: the files ingested and rejected (with the reason, and a re-queue for a file fixed in
// inbox/.error), dead letters of the live sources, the sources' state (Eniscope channels and
// watermarks, Niagara stations and MQTT connection) and the engines of the cluster.
import { api } from '../api.js';
import { h, problem, table, announce } from '../dom.js';
import { bytes, num, time } from '../format.js';

export async function render(main) {
  main.append(h('h1', null, 'Activity'));
  const files = h('section', { id: 'files', 'aria-labelledby': 'files-title' });
  const letters = h('section', { id: 'dead-letters', 'aria-labelledby': 'letters-title' });
  const sources = h('section', { id: 'sources', 'aria-labelledby': 'sources-title' });
  const engines = h('section', { id: 'engines', 'aria-labelledby': 'engines-title' });
  main.append(files, letters, sources, engines);
  await Promise.all([
    loadFiles(files).catch((e) => files.replaceChildren(problem(e))),
    loadLetters(letters).catch((e) => letters.replaceChildren(problem(e))),
    loadSources(sources).catch((e) => sources.replaceChildren(problem(e))),
    loadEngines(engines).catch((e) => engines.replaceChildren(problem(e))),
  ]);
}

async function loadFiles(section) {
  const status = h('select', { id: 'files-status' },
    h('option', { value: '' }, 'all'), h('option', { value: 'ingested' }, 'ingested'), h('option', { value: 'rejected' }, 'rejected'));
  const rejected = h('div', { id: 'rejected-files' });
  const list = h('div');
  const message = h('p', { role: 'status', id: 'requeue-message' });
  section.replaceChildren(h('h2', { id: 'files-title' }, 'Files'),
    h('h3', null, 'Rejected'),
    h('p', { class: 'hint' }, 'A rejected file waits in inbox/.error beside its reason. Fix it there, then re-queue it: it goes back into the inbox and is read again.'),
    message, rejected,
    h('h3', null, 'Latest'),
    h('div', { class: 'toolbar' }, h('label', { for: 'files-status' }, 'Show'), status), list);
  const rows = (files) => files.map((f) => ({
    attrs: { 'data-file': f.id, 'data-path': f.path, class: f.status },
    cells: [time(f.recorded_at), f.meter || '–', f.path, h('span', { class: `status ${f.status}` }, f.status),
      num(f.rows, 0), bytes(f.size_bytes), h('span', { class: 'reason' }, f.reason || ''),
      f.status === 'rejected' && f.in_error_folder ? requeueButton(f) : ''],
  }));
  const columns = ['Recorded', 'Meter', 'File', 'Status', { label: 'Rows', num: true }, { label: 'Size', num: true }, 'Reason', ''];
  const load = async () => {
    const [bad, latest] = await Promise.all([
      api('/api/files?status=rejected&limit=50'),
      api(`/api/files?limit=50${status.value ? '&status=' + status.value : ''}`),
    ]);
    rejected.replaceChildren(bad.files.length === 0 ? h('p', { class: 'muted' }, 'No file was rejected.')
      : table('The latest 50 rejections, newest first', columns, rows(bad.files), { class: 'data', id: 'rejected-table' }));
    list.replaceChildren(table('The latest 50 files of the ledger, newest first', columns, rows(latest.files), { class: 'data', id: 'files-table' }));
  };
  const requeueButton = (f) => {
    const b = h('button', { type: 'button', 'data-requeue': f.id, 'aria-label': `Re-queue ${f.path}` }, 'Re-queue');
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        await api(`/api/files/${f.id}/requeue`, { method: 'POST' });
        message.textContent = `${f.path} moved back into the inbox; it is read again in a moment.`;
        message.className = 'ok';
      } catch (e) {
        message.textContent = `${e.code}: ${e.message}`;
        message.className = 'error';
        b.disabled = false;
      }
      announce(message.textContent);
      setTimeout(() => load().catch(() => {}), 1500);
    });
    return b;
  };
  status.addEventListener('change', () => load().catch((e) => list.replaceChildren(problem(e))));
  await load();
}

async function loadLetters(section) {
  const body = await api('/api/dead-letters?limit=20');
  section.replaceChildren(h('h2', { id: 'letters-title' }, `Dead letters (${body.total})`),
    body.dead_letters.length === 0 ? h('p', { class: 'muted' }, 'None: every message from the live sources could be used.') :
      table('Newest first', ['Received', 'Source', 'Origin', 'Reason', 'Payload'],
        body.dead_letters.map((l) => ({ cells: [time(l.received_at), l.source, l.origin || '', l.reason,
          h('code', { class: 'payload' }, (l.payload || '').slice(0, 160))] })), { class: 'data' }));
}

async function loadSources(section) {
  const [eniscope, niagara] = await Promise.all([api('/api/sources/eniscope'), api('/api/sources/niagara')]);
  const mqtt = niagara.mqtt;
  const mqttText = !mqtt.enabled ? 'off (meterflow.mqtt.enabled=false)'
    : mqtt.connected ? 'connected' : `not connected since ${time(mqtt.disconnected_since)}: ${mqtt.error || ''}`;
  const parts = [h('h2', { id: 'sources-title' }, 'Sources'),
    h('h3', null, 'Niagara over MQTT'),
    h('p', { id: 'mqtt-status', class: mqtt.enabled && !mqtt.connected ? 'error' : null }, mqttText),
    h('p', { class: 'muted' }, `since start: ${mqtt.counters.messages} messages, ${mqtt.counters.samples} samples, ${mqtt.counters.invalid_frames} frames rejected`),
    h('h3', null, 'Niagara stations over HTTP'),
    niagara.http.stations.length === 0
      ? h('p', { class: 'muted' }, niagara.http.enabled ? 'No stations configured.' : 'off (meterflow.niagara-http.enabled=false)')
      : table('Stations and their histories', ['Station', 'Address', 'Cron', 'History', 'Format', 'Watermark'],
        niagara.http.stations.flatMap((s) => s.histories.map((hi) => ({ cells: [s.name, s.base_url, s.cron, hi.id, hi.format, time(hi.watermark)] }))),
        { class: 'data' }),
    h('h3', null, 'Eniscope'),
  ];
  if (eniscope.accounts.length === 0) {
    parts.push(h('p', { class: 'muted' }, eniscope.enabled ? 'No accounts configured.' : 'off (meterflow.eniscope.enabled=false)'));
  }
  for (const a of eniscope.accounts) {
    parts.push(table(`Account ${a.name}: channels`, ['Channel', 'Name', 'Meter', 'Watermark', 'Last poll', 'Last error'],
      a.channels.map((c) => ({ cells: [c.id, c.name || '', c.meter, time(c.watermark), time(c.last_poll), c.last_error || ''] })),
      { class: 'data' }));
  }
  section.replaceChildren(...parts);
}

async function loadEngines(section) {
  const health = await (await fetch('/health')).json();
  section.replaceChildren(h('h2', { id: 'engines-title' }, 'Engines'),
    h('p', null, `Status ${health.status}: ${health.meters ?? '–'} meters, ${num(health.samples, 0)} samples, database ${health.database.reachable ? 'reachable' : 'not reachable'}`),
    health.problems ? h('ul', { class: 'error' }, health.problems.map((p) => h('li', null, p))) : '',
    table('Engines sharing this database', ['Engine', 'Host', 'Started', 'Last beat', 'Alive', ''],
      (health.engines || []).map((e) => ({ cells: [e.name, e.host, time(e.started_at), time(e.beat_at), e.alive ? 'yes' : 'no', e.this ? 'this engine' : ''] })),
      { class: 'data', id: 'engines-table' }));
}
