// The open project's tracks and clips as a simple timeline, top track first as the editors show them, each clip a
// block as long as it plays with a thumbnail of its middle frame.

import { api } from './api.js';

export function renderTimeline(container, project, selectedRef, onPick) {
  container.replaceChildren();
  const length = Math.max(1, project.length);
  // video tracks from the top (highest number) down, then audio tracks, as in Shotcut and Kdenlive
  const video = project.tracks.filter((t) => t.kind === 'video').reverse();
  const audio = project.tracks.filter((t) => t.kind !== 'video');
  for (const t of [...video, ...audio]) {
    const row = document.createElement('div');
    row.className = 'track';
    row.dataset.track = t.name;
    const name = document.createElement('div');
    name.className = 'track-name';
    name.textContent = t.name;
    const lane = document.createElement('div');
    lane.className = 'track-lane';
    for (const c of t.clips) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'clip' + (t.kind === 'video' ? '' : ' audio') + (c.ref === selectedRef ? ' selected' : '');
      b.dataset.ref = c.ref;
      b.title = `${c.ref}: ${c.name} (${c.kind}), frames ${c.position}..${c.position + c.length - 1}`;
      b.style.left = (100 * c.position / length) + '%';
      b.style.width = Math.max(0.5, 100 * c.length / length) + '%';
      const label = document.createElement('span');
      label.className = 'label';
      label.textContent = `${c.ref} ${c.name}`;
      if (c.pictures) {
        const img = document.createElement('img');
        img.alt = '';
        b.append(img);
        api.thumbnail(c.ref).then((r) => { img.src = r.url; }).catch(() => img.remove());
        b.addEventListener('click', () => onPick(c));
      } else {
        b.disabled = t.kind === 'video' ? false : true;
        if (!b.disabled) b.addEventListener('click', () => onPick(c));
      }
      b.append(label);
      lane.append(b);
    }
    row.append(name, lane);
    container.append(row);
  }
  if (!project.tracks.length) container.textContent = 'This project has no tracks.';
}
