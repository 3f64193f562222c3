// The Kinora panel: open a project, pick a clip, pick an effect and set its parameters, preview, queue, apply, undo.

import { api, listen } from './api.js';
import { buildForm } from './form.js';
import { renderTimeline } from './timeline.js';
import { renderJob, renderService } from './jobs.js';
import { BrushPainter } from './brush.js';
import { PosePage } from './pose.js';

const $ = (id) => document.getElementById(id);
const state = { project: null, clip: null, effects: [], effect: null, form: null, paused: false };
let painter = null;
let posePage = null;
let loopTimer = null;

function message(text, info = false) {
  const m = $('message');
  m.textContent = text;
  m.className = info ? 'info' : '';
  m.hidden = !text;
}

function showError(e) {
  message(e.message || String(e));
}

function showProject(project) {
  if (!project || !state.project || project.project !== state.project.project) {
    // pictures of another project's clips no longer apply
    $('preview-section').hidden = true;
    $('loop').hidden = true;
  }
  state.project = project;
  $('project-name').textContent = project ? `${project.name} (${project.format}, ${project.width}x${project.height}, ${project.fps.toFixed(3)} fps)` : '';
  if (project) $('project-path').value = project.project;
  // the picked clip stays picked when it is still there (after an apply it plays the result)
  const still = project && project.tracks.some((t) => t.clips.some((c) => state.clip && c.ref === state.clip.ref));
  if (!still) pick(null);
  if (project) renderTimeline($('timeline'), project, state.clip && state.clip.ref, pick);
  updateButtons();
}

function generating() {
  return !!state.effect && state.effect.input === 'none';
}

function pick(clip) {
  state.clip = clip;
  if (clip && state.project) $('generate-at').value = (clip.position / state.project.fps).toFixed(2);
  document.querySelectorAll('.clip').forEach((b) => b.classList.toggle('selected', !!clip && b.dataset.ref === clip.ref));
  $('selected-clip').textContent = clip ? `Picked ${clip.ref}: ${clip.name} (${clip.kind}, ${clip.length} frames)` : 'No clip picked.';
  showPainter();
  updateButtons();
}

/** The motion brush painter shows for an effect that animates a still with a `brushes` file, on a still clip. */
function showPainter() {
  const wanted = !!(state.effect && state.effect.input === 'still' && state.effect.parameters.some((p) => p.name === 'brushes')
    && state.clip && state.clip.kind === 'image');
  $('brush-section').hidden = !wanted;
  if (wanted) painter.load(state.clip.ref).catch(showError);
  const pose = !!(state.effect && state.effect.input === 'still' && state.effect.parameters.some((p) => p.name === 'track')
    && state.clip && state.clip.kind === 'image');
  $('pose-section').hidden = !pose;
  if (pose) posePage.load(state.clip.ref).catch(showError);
}

function showRecent(list) {
  const sel = $('recent');
  sel.replaceChildren(new Option('Recent projects…', ''));
  for (const p of list) sel.append(new Option(p, p));
}

function showEffects() {
  const tabs = $('effect-tabs');
  tabs.replaceChildren();
  for (const e of state.effects) {
    const b = document.createElement('button');
    b.type = 'button';
    b.role = 'tab';
    b.id = 'effect-' + e.id;
    b.dataset.effect = e.id;
    b.textContent = e.title || e.id;
    b.title = e.id;
    b.addEventListener('click', () => chooseEffect(e.id));
    tabs.append(b);
  }
  if (state.effects.length) chooseEffect((state.effects.find((e) => e.id === 'style-transfer') || state.effects[0]).id);
}

let validateTimer = null;

function chooseEffect(id) {
  state.effect = state.effects.find((e) => e.id === id);
  document.querySelectorAll('#effect-tabs button').forEach((b) => b.setAttribute('aria-selected', String(b.dataset.effect === id)));
  $('effect-description').textContent = state.effect.description;
  state.form = buildForm($('params'), state.effect, () => {
    clearTimeout(validateTimer);
    validateTimer = setTimeout(validateOnServer, 250);
    updateButtons();
  });
  $('form-error').hidden = true;
  // a generated clip takes no clip: it goes on a new track at a time of the project
  $('generate-row').hidden = !generating();
  $('mode-row').hidden = generating();
  $('preview-controls').hidden = generating();
  $('render').textContent = generating() ? 'Generate' : 'Render';
  showPainter();
  updateButtons();
}

async function validateOnServer() {
  if (!state.effect) return;
  try {
    const r = await api.validate(state.effect.id, state.form.values());
    state.form.showErrors(r.errors);
    $('form-error').textContent = r.error || '';
    $('form-error').hidden = !r.error;
  } catch (e) {
    showError(e);
  }
  updateButtons();
}

function updateButtons() {
  const formReady = !!(state.project && state.effect && state.form && state.form.valid());
  $('render').disabled = !(formReady && (state.clip || generating()));
  $('preview').disabled = !(formReady && state.clip);
  $('use-anchor').disabled = !state.clip;
}

function request() {
  return { clip: state.clip.ref, effect: state.effect.id, params: state.form.values(), mode: $('mode').value };
}

function requestFailed(e) {
  if (e.parameter && state.form) state.form.showErrors({ [e.parameter]: e.message });
  $('form-error').textContent = e.message;
  $('form-error').hidden = false;
  updateButtons();
}

async function openProject(path) {
  message('Opening ' + path + ' …', true);
  try {
    showProject(await api.open(path));
    message('');
    showRecent((await api.state()).recent);
  } catch (e) {
    showError(e);
  }
}

function setPaused(p) {
  state.paused = p;
  $('pause').textContent = p ? 'Resume queue' : 'Pause queue';
}

async function refreshService() {
  try {
    renderService($('service'), await api.service());
  } catch (e) {
    $('service').textContent = e.message;
  }
}

function wire() {
  $('open-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    openProject($('project-path').value.trim());
  });
  $('recent').addEventListener('change', () => {
    if ($('recent').value) openProject($('recent').value);
  });
  $('effect-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    $('form-error').hidden = true;
    try {
      const job = generating()
        ? await api.generate({ params: state.form.values(), at: $('generate-at').value })
        : await api.submit(request());
      renderJob($('jobs'), job, showError);
    } catch (e) {
      requestFailed(e);
    }
  });
  $('preview').addEventListener('click', async () => {
    $('form-error').hidden = true;
    $('preview').disabled = true;
    $('preview-info').textContent = 'rendering…';
    $('preview-section').hidden = false;
    try {
      const r = await api.preview({ ...request(), at: $('preview-at').value || '0' });
      $('before').src = r.before;
      $('after').src = r.after;
      $('preview-info').textContent = `${state.clip.ref}, frame ${r.frame}, ${r.seconds.toFixed(2)} s`;
    } catch (e) {
      $('preview-info').textContent = '';
      requestFailed(e);
    }
    updateButtons();
  });
  painter = new BrushPainter(document, (path) => {
    const field = $('param-brushes');
    if (field) {
      field.value = path;
      field.dispatchEvent(new Event('input'));
    }
  }, showError);
  const setParam = (name) => (value) => {
    const field = $('param-' + name);
    if (field) {
      field.value = value;
      field.dispatchEvent(new Event('input'));
    }
  };
  posePage = new PosePage(document, setParam('track'), setParam('rest'), showError);
  $('pose-pin').addEventListener('change', () => setParam('root')($('pose-pin').checked ? 'pin' : 'follow'));
  $('brush-loop').addEventListener('click', async () => {
    clearInterval(loopTimer);
    $('brush-loop').disabled = true;
    $('brush-status').textContent = 'rendering a short loop…';
    try {
      const r = await api.loop(request());
      let i = 0;
      const img = $('loop');
      img.hidden = false;
      img.src = r.frames[0];
      loopTimer = setInterval(() => { i = (i + 1) % r.frames.length; img.src = r.frames[i]; }, 1000 / r.fps);
      $('brush-status').textContent = `${r.frames.length} frames, looping`;
    } catch (e) {
      $('brush-status').textContent = '';
      requestFailed(e);
    }
    $('brush-loop').disabled = false;
  });
  $('use-anchor').addEventListener('click', () => {
    const anchor = $('param-anchor');
    if (!anchor || !state.clip) return;
    anchor.value = `${state.clip.ref}@${$('preview-at').value || '0'}`;
    anchor.dispatchEvent(new Event('input'));
  });
  const slide = () => { $('after').style.clipPath = `inset(0 0 0 ${$('compare-slider').value}%)`; };
  $('compare-slider').addEventListener('input', slide);
  slide();
  $('pause').addEventListener('click', async () => {
    try {
      setPaused((await api.queue(state.paused ? 'resume' : 'pause')).paused);
      refreshService();
    } catch (e) {
      showError(e);
    }
  });
  $('refresh-service').addEventListener('click', refreshService);
}

async function start() {
  wire();
  try {
    state.effects = await api.effects();
    showEffects();
  } catch (e) {
    showError(e);
  }
  listen({
    hello: (s) => {
      showRecent(s.recent);
      if (s.project) showProject(s.project);
      for (const j of s.jobs) renderJob($('jobs'), j, showError);
      setPaused(s.paused);
    },
    project: showProject,
    job: (j) => {
      renderJob($('jobs'), j, showError);
      if (j.state === 'rendered' || j.state === 'applied' || j.state === 'undone') refreshService();
    },
    queue: (q) => setPaused(q.paused),
    pose: (e) => posePage.reading(e),
  }, () => { $('connection').textContent = 'connected'; }, () => { $('connection').textContent = 'reconnecting…'; });
  refreshService();
}

start();
