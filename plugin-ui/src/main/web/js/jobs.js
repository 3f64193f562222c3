// The queue: each job with its live progress (from server-sent events), and what can be done with it now.

import { api } from './api.js';

function text(tag, cls, value) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  e.textContent = value;
  return e;
}

function clock(s) {
  if (s < 0 || !isFinite(s)) return '--:--';
  s = Math.round(s);
  return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
}

export function renderJob(list, job, onError) {
  let li = list.querySelector(`li[data-id="${job.id}"]`);
  if (!li) {
    // the row's buttons are made once and kept: progress events arrive several times a second, and a button
    // replaced between a press and its release would lose the click
    li = document.createElement('li');
    li.className = 'job';
    li.dataset.id = job.id;
    const buttons = document.createElement('div');
    buttons.className = 'row';
    const act = (label, cls, action) => {
      const b = text('button', cls, label);
      b.type = 'button';
      b.addEventListener('click', async () => {
        b.disabled = true;
        // the pause button's action follows the job: pause while it runs, resume while it is held
        const what = typeof action === 'function' ? action() : action;
        try { renderJob(list, await api.job(job.id, what), onError); } catch (e) { onError(e); b.disabled = false; }
      });
      buttons.append(b);
    };
    act('Pause', 'pause', () => (li.dataset.paused === 'true' ? 'resume' : 'pause'));
    act('Cancel', 'cancel', 'cancel');
    act('Apply to project', 'apply', 'apply');
    act('Undo', 'undo', 'undo');
    const head = document.createElement('div');
    head.className = 'head';
    li.append(head, document.createElement('progress'), buttons, document.createElement('div'));
    list.prepend(li);
  }
  li.dataset.state = job.state;
  li.dataset.paused = String(!!job.paused);
  const shown = job.paused ? 'paused' : job.state;
  const [head, bar, buttons, details] = li.children;
  head.replaceChildren(text('strong', '', `${job.effect} on ${job.clip}`), text('span', 'muted', job.project.split('/').pop()), text('span', 'state state-' + shown, shown),
    text('span', 'percent', job.percent + '%'),
    text('span', 'muted', `${job.done}/${job.total} ${job.unit}` + (job.state === 'running' && !job.paused
      ? `, ${job.fps.toFixed(job.unit === 'steps' ? 2 : 1)} ${job.unit === 'steps' ? 'steps/s' : 'fps'}, ${clock(job.secondsLeft)} left` : '')));
  bar.max = Math.max(1, job.total);
  bar.value = job.done;
  const pause = buttons.querySelector('.pause');
  pause.disabled = job.state !== 'running';
  pause.textContent = job.paused ? 'Resume' : 'Pause';
  pause.title = job.paused ? 'Let this job go on' : 'Hold this job after its current batch (its model stays loaded)';
  buttons.querySelector('.cancel').disabled = !(job.state === 'queued' || job.state === 'running');
  buttons.querySelector('.apply').disabled = job.state !== 'rendered';
  buttons.querySelector('.undo').disabled = job.state !== 'applied';
  details.replaceChildren();
  details.append(text('div', 'muted params', Object.entries(job.parameters).map(([k, v]) => `${k}=${v}`).join('  ')));
  if (job.error) details.append(text('div', 'error', job.error));
  if (job.still) {
    const img = document.createElement('img');
    img.className = 'still';
    img.alt = 'result';
    img.src = job.still;
    details.append(img);
  }
  if (job.mediaUrl) {
    const a = text('a', 'media', 'result media');
    a.href = job.mediaUrl;
    a.target = '_blank';
    details.append(a);
  }
  if (job.changes && job.changes.length) {
    const ul = document.createElement('ul');
    ul.className = 'changes';
    for (const c of job.changes) ul.append(text('li', '', c));
    if (job.backup) ul.append(text('li', 'muted', 'backup: ' + job.backup));
    details.append(text('div', '', job.state === 'undone' ? 'Undone; this had changed:' : 'Changed in the project:'), ul);
  }
}

export function renderService(container, s) {
  container.replaceChildren();
  if (s.error) {
    container.append(text('p', 'error', s.error));
    return;
  }
  const devices = text('p', '', 'Devices: ' + s.devices.map((d) => d.id + (d.active ? ' (in use)' : '')).join(', '));
  container.append(devices);
  const mib = (b) => (b / (1 << 20)).toFixed(0) + ' MiB';
  for (const d of (s.status && s.status.devices) || []) {
    container.append(text('p', '', `${d.device}: ${mib(d.residentBytes)} of ${mib(d.budgetBytes)} in use; loaded: `
      + (d.residentModels.length ? d.residentModels.join(', ') : 'none')));
  }
  if (s.status) {
    const q = Object.entries(s.status.queued || {}).map(([k, v]) => `${v} ${k.toLowerCase()}`).join(', ');
    container.append(text('p', '', `Requests running: ${s.status.running}; queued: ${q || 'none'}` + (s.status.paused ? ' (paused)' : '')));
  }
  const table = document.createElement('table');
  table.append(Object.assign(document.createElement('tr'), {}));
  table.firstChild.append(text('th', '', 'model'), text('th', '', 'task'), text('th', '', 'format'));
  for (const m of s.models) {
    const tr = document.createElement('tr');
    tr.append(text('td', '', m.id), text('td', '', m.task), text('td', '', m.format));
    table.append(tr);
  }
  container.append(table);
}
