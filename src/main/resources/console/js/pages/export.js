// Export: a form (meters, range, resolution, aggregation, timezone) that downloads a composite
// CSV at once, or starts an export job shown with a live progress bar and a download button; the
// list of recent jobs.
import { api, download } from '../api.js';
import { h, problem, announce } from '../dom.js';
import { addDays, bytes, num, time } from '../format.js';

const RESOLUTIONS = ['1sec', '1min', '5min', '15min', '30min', '1hr', '1day', '1week'];
const AGGREGATIONS = ['auto', 'mean', 'min', 'max', 'last', 'sum'];

export async function render(main) {
  const { meters } = await api('/api/meters');
  const withData = meters.filter((m) => m.last_sample);
  const lastDay = (withData.map((m) => m.last_sample).sort().pop() || new Date().toISOString()).slice(0, 10);
  const meterSelect = h('select', { id: 'export-meters', multiple: true, size: Math.min(8, meters.length), required: true },
    meters.map((m, i) => h('option', { value: m.id, selected: m.id === (withData[0] || {}).id },
      `${m.id}${m.description ? ' – ' + m.description : ''}${m.site ? ' (' + m.site + ')' : ''}`)));
  const start = h('input', { id: 'export-start', type: 'datetime-local', step: 1, value: `${addDays(lastDay, -1)}T00:00:00`, required: true });
  const end = h('input', { id: 'export-end', type: 'datetime-local', step: 1, value: `${addDays(lastDay, -1)}T23:59:59`, required: true });
  const resolution = h('select', { id: 'export-resolution' }, RESOLUTIONS.map((r) => h('option', { value: r, selected: r === '15min' }, r)));
  const aggregation = h('select', { id: 'export-aggregation' }, AGGREGATIONS.map((a) => h('option', { value: a }, a)));
  const zones = [...new Set(meters.map((m) => m.timezone))];
  const timezone = h('input', { id: 'export-timezone', list: 'zones', placeholder: 'the first meter\'s zone', autocomplete: 'off' });
  const zoneList = h('datalist', { id: 'zones' }, zones.concat(['UTC', 'Europe/Berlin']).map((z) => h('option', { value: z })));
  const base = h('input', { id: 'export-base', placeholder: 'the meter\'s serial', pattern: '[A-Za-z0-9._-]*' });
  const result = h('div', { id: 'export-result', role: 'status', 'aria-live': 'polite' });
  const syncButton = h('button', { type: 'submit', class: 'primary', id: 'export-download', value: 'sync' }, 'Download CSV');
  const jobButton = h('button', { type: 'submit', id: 'export-job', value: 'job' }, 'Start export job');
  const form = h('form', { class: 'controls export', id: 'export-form' },
    h('div', null, h('label', { for: 'export-meters' }, 'Meters'), meterSelect,
      h('p', { class: 'hint' }, 'Several meters make one site composite (columns prefixed by serial). Ctrl/Cmd or Shift to choose several.')),
    h('div', null, h('label', { for: 'export-start' }, 'From (local time, inclusive)'), start),
    h('div', null, h('label', { for: 'export-end' }, 'To (inclusive)'), end),
    h('div', null, h('label', { for: 'export-resolution' }, 'Resolution'), resolution),
    h('div', null, h('label', { for: 'export-aggregation' }, 'Aggregation'), aggregation),
    h('div', null, h('label', { for: 'export-timezone' }, 'Timezone'), timezone, zoneList),
    h('div', null, h('label', { for: 'export-base' }, 'File name start'), base),
    h('div', { class: 'buttons' }, syncButton, jobButton));
  const jobsSection = h('section', { id: 'jobs', 'aria-labelledby': 'jobs-title' });
  main.append(h('h1', null, 'Export'), form, result, jobsSection);

  function request() {
    const ids = [...meterSelect.selectedOptions].map((o) => o.value);
    const body = { start_datetime: start.value, end_datetime: end.value, resolution: resolution.value, aggregation: aggregation.value };
    if (ids.length === 1) body.mac_address = ids[0];
    else body.meters = ids;
    if (timezone.value.trim()) body.timezone = timezone.value.trim();
    if (base.value.trim()) body.base_filename = base.value.trim();
    return body;
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const mode = e.submitter ? e.submitter.value : 'sync';
    if (mode === 'job') return startJob();
    result.replaceChildren(h('p', { class: 'loading' }, 'Exporting…'));
    try {
      const file = await download('/generate_csv', { method: 'POST', body: request() });
      result.replaceChildren(h('p', { class: 'ok', id: 'export-done' }, `Downloaded ${file.name} (${bytes(file.size)})`));
    } catch (err) {
      result.replaceChildren(problem(err));
    }
  });

  async function startJob() {
    let created;
    try {
      created = await api('/api/export/csv', { method: 'POST', body: request() });
    } catch (err) {
      result.replaceChildren(problem(err));
      return;
    }
    const bar = h('progress', { id: 'job-progress', max: 100, value: 0, 'aria-label': 'Export job progress' });
    const text = h('span', { id: 'job-status' }, 'pending');
    const box = h('div', { class: 'job', 'data-job': created.job_id }, h('p', null, `Job ${created.job_id}: `, text), bar);
    result.replaceChildren(box);
    announce('Export job started');
    for (;;) {
      let status;
      try {
        status = await api(`/api/export/status/${encodeURIComponent(created.job_id)}`);
      } catch (err) {
        box.append(problem(err));
        return;
      }
      bar.value = status.progress;
      text.textContent = `${status.status}, ${status.progress} %`;
      if (status.status === 'completed') {
        const f = status.file_info;
        box.append(h('p', { class: 'ok' }, `${f.filename}: ${num(f.record_count, 0)} rows, ${bytes(f.file_size_bytes)} `,
          downloadButton(f.download_url, f.filename, 'job-file')));
        announce(`Export job completed: ${f.filename}`);
        loadJobs();
        return;
      }
      if (status.status === 'failed' || status.status === 'expired') {
        box.append(problem(status.error || { message: status.message }));
        loadJobs();
        return;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  function downloadButton(url, name, id) {
    const b = h('button', { type: 'button', class: 'link', id, 'data-url': url }, `Download ${name}`);
    b.addEventListener('click', async () => {
      try {
        await download(url);
      } catch (err) {
        b.after(problem(err));
      }
    });
    return b;
  }

  async function loadJobs() {
    let body;
    try {
      body = await api('/api/export/jobs?limit=20');
    } catch (err) {
      jobsSection.replaceChildren(problem(err));
      return;
    }
    jobsSection.replaceChildren(h('h2', { id: 'jobs-title' }, 'Recent jobs'),
      body.jobs.length === 0 ? h('p', { class: 'muted' }, 'No export jobs yet.') :
        h('table', { class: 'data', id: 'jobs-table' },
          h('caption', null, 'Newest first, all engines'),
          h('thead', null, h('tr', null, ['Created', 'Meters', 'Range', 'Resolution', 'Status', 'Rows', 'File'].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', null, body.jobs.map((j) => {
            const r = j.request || {};
            const ids = r.meters || [r.mac_address || r.smart_meter_id].filter(Boolean);
            return h('tr', { 'data-job': j.job_id },
              h('td', null, time(j.created_at)),
              h('td', null, ids.join(', ')),
              h('td', null, `${r.start_datetime || ''} – ${r.end_datetime || ''}`),
              h('td', null, r.resolution || '1min'),
              h('td', { class: `status ${j.status}` }, j.status === 'running' ? `running ${j.progress} %` : j.status,
                j.error ? h('div', { class: 'error' }, `${j.error.code}: ${j.error.message}`) : ''),
              h('td', { class: 'num' }, num(j.record_count, 0)),
              h('td', null, j.download_url ? downloadButton(j.download_url, j.filename) : (j.filename || '')));
          }))));
  }

  await loadJobs();
}
