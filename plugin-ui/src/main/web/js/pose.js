// The pose page: a pose track scrubbed as a skeleton over the still (as recorded, fitted to the still, and retargeted
// onto the character's own joints: what pose-animate will draw), and the rest pose's joints, which can be dragged and
// saved as the rest pose file the effect takes.

import { api } from './api.js';
import { loadStill } from './still.js';

// COCO-17 bones: face, arms, torso, legs
const BONES = [[0, 1], [0, 2], [1, 3], [2, 4], [5, 6], [5, 7], [7, 9], [6, 8], [8, 10], [5, 11], [6, 12], [11, 12],
  [11, 13], [13, 15], [12, 14], [14, 16]];

export class PosePage {
  constructor(root, onTrack, onRest, onError) {
    this.$ = (id) => root.querySelector('#' + id);
    this.canvas = this.$('pose-canvas');
    this.ctx = this.canvas.getContext('2d');
    this.onTrack = onTrack;
    this.onRest = onRest;
    this.onError = onError;
    this.clip = null;
    this.still = null;
    this.track = null;
    this.trackPath = null;
    this.loaded = null;
    this.retargeted = null;
    this.rest = null;
    this.dragging = -1;
    this.timer = null;
    this.wire();
  }

  async load(clipRef) {
    if (this.clip === clipRef) return;
    this.clip = clipRef;
    const s = await loadStill(this.canvas, clipRef);
    this.still = s.img;
    this.rest = null;
    this.retargeted = null;
    this.draw();
  }

  status(text) {
    this.$('pose-status').textContent = text;
  }

  /** A 'pose' event: MoveNet's progress through a clip (state reading, then done, cancelled or failed). */
  reading(e) {
    const bar = this.$('pose-progress');
    const busy = e.state === 'reading';
    bar.hidden = !busy;
    this.$('pose-cancel').hidden = !busy;
    const label = this.$('pose-status');
    if (busy) {
      bar.max = Math.max(1, e.total);
      bar.value = e.done;
      this.status(`reading the poses of clip ${e.clip}: frame ${e.done} of ${e.total}`);
    } else if (label.textContent.startsWith('reading the poses')) {
      // the events come on their own connection: the answer's status may have been shown before the last of them
      this.status(this.loaded || '');
    }
  }

  async run(label, fn) {
    this.status(label + '…');
    try {
      await fn();
    } catch (e) {
      this.status('');
      this.onError(e);
    }
  }

  wire() {
    this.$('pose-cancel').addEventListener('click', () => api.pose('cancel', {}).catch(this.onError));
    this.$('pose-track-load').addEventListener('click', () => this.run('reading the track', async () => {
      const path = this.$('pose-track-path').value.trim();
      this.track = await api.pose('track', { path });
      this.trackPath = path;
      const slider = this.$('pose-frame');
      slider.max = String(this.track.frames.length - 1);
      slider.value = '0';
      this.onTrack(path);
      await this.retarget();
      this.loaded = `${this.track.count} frames (${this.track.format}${this.track.fps ? ', ' + this.track.fps + ' fps' : ''})`;
      this.status(this.loaded);
    }));
    this.$('pose-rest-load').addEventListener('click', () => this.run('reading the rest pose', async () => {
      this.rest = (await api.pose('rest', { clip: this.clip, path: this.$('pose-rest-path').value.trim() })).pose;
      await this.retarget();
      this.status('rest pose loaded: drag its joints to move them');
    }));
    this.$('pose-rest-find').addEventListener('click', () => this.run('finding the joints', async () => {
      this.rest = (await api.pose('rest', { clip: this.clip })).pose;
      await this.retarget();
      this.status('joints found by MoveNet: drag them to correct them');
    }));
    this.$('pose-rest-save').addEventListener('click', () => this.run('saving', async () => {
      if (!this.rest) throw new Error('no rest pose yet: load one or find the joints');
      const r = await api.pose('save', { clip: this.clip, name: this.$('pose-rest-name').value.trim(), rest: this.rest });
      this.onRest(r.path);
      this.status('saved ' + r.path);
    }));
    this.$('pose-pin').addEventListener('change', () => this.run('retargeting', () => this.retarget().then(() => this.status(''))));
    this.$('pose-show-driver').addEventListener('change', () => this.draw());
    this.$('pose-frame').addEventListener('input', () => this.draw());
    this.$('pose-play').addEventListener('click', () => {
      if (this.timer) {
        clearInterval(this.timer);
        this.timer = null;
        this.$('pose-play').textContent = 'Play';
        return;
      }
      const fps = (this.track && this.track.fps ? this.track.fps : 25) / (this.track ? this.track.step : 1);
      this.timer = setInterval(() => {
        const s = this.$('pose-frame');
        s.value = String((Number(s.value) + 1) % (Number(s.max) + 1));
        this.draw();
      }, 1000 / fps);
      this.$('pose-play').textContent = 'Stop';
    });
    const c = this.canvas;
    c.addEventListener('pointerdown', (e) => {
      if (!this.rest) return;
      const [x, y] = this.point(e);
      const reach = 14 * this.canvas.width / c.getBoundingClientRect().width;
      let best = -1;
      let bestD = reach;
      for (let j = 0; j < 17; j++) {
        const d = Math.hypot(this.rest.x[j] - x, this.rest.y[j] - y);
        if (this.rest.s[j] > 0 && d < bestD) { best = j; bestD = d; }
      }
      if (best >= 0) {
        this.dragging = best;
        c.setPointerCapture(e.pointerId);
      }
    });
    c.addEventListener('pointermove', (e) => {
      if (this.dragging < 0) return;
      const [x, y] = this.point(e);
      this.rest.x[this.dragging] = x;
      this.rest.y[this.dragging] = y;
      this.draw();
    });
    c.addEventListener('pointerup', () => {
      if (this.dragging < 0) return;
      this.dragging = -1;
      this.run('retargeting', () => this.retarget().then(() => this.status('joint moved')));
    });
  }

  point(e) {
    const r = this.canvas.getBoundingClientRect();
    return [(e.clientX - r.left) * this.canvas.width / r.width, (e.clientY - r.top) * this.canvas.height / r.height];
  }

  async retarget() {
    if (this.track && this.rest) {
      this.retargeted = await api.pose('retarget', { path: this.trackPath, rest: this.rest, pin: this.$('pose-pin').checked });
    }
    this.draw();
  }

  /** Where the recorded track's pixels go on the still: its own frame, or its joints' extent, fitted inside. */
  fit() {
    let x0 = 0;
    let y0 = 0;
    let x1 = this.track.width;
    let y1 = this.track.height;
    if (!(x1 > 0 && y1 > 0)) {
      x0 = y0 = Infinity;
      x1 = y1 = -Infinity;
      for (const f of this.track.frames) {
        for (let j = 0; j < 17; j++) {
          if (f.s[j] > 0) { x0 = Math.min(x0, f.x[j]); x1 = Math.max(x1, f.x[j]); y0 = Math.min(y0, f.y[j]); y1 = Math.max(y1, f.y[j]); }
        }
      }
      const pad = 0.1 * Math.max(x1 - x0, y1 - y0);
      x0 -= pad; y0 -= pad; x1 += pad; y1 += pad;
    }
    const k = Math.min(this.canvas.width / (x1 - x0), this.canvas.height / (y1 - y0));
    const ox = (this.canvas.width - k * (x1 - x0)) / 2 - k * x0;
    const oy = (this.canvas.height - k * (y1 - y0)) / 2 - k * y0;
    return (x, y) => [ox + k * x, oy + k * y];
  }

  skeleton(p, color, width, map = (x, y) => [x, y], joints = false) {
    const g = this.ctx;
    const s = Math.max(1, this.canvas.width / 640);
    g.strokeStyle = color;
    g.fillStyle = color;
    g.lineWidth = width * s;
    g.lineCap = 'round';
    for (const [a, b] of BONES) {
      if (p.s[a] > 0 && p.s[b] > 0) {
        const [ax, ay] = map(p.x[a], p.y[a]);
        const [bx, by] = map(p.x[b], p.y[b]);
        g.beginPath();
        g.moveTo(ax, ay);
        g.lineTo(bx, by);
        g.stroke();
      }
    }
    if (joints) {
      for (let j = 0; j < 17; j++) {
        if (p.s[j] > 0) {
          const [x, y] = map(p.x[j], p.y[j]);
          g.beginPath();
          g.arc(x, y, 5 * s, 0, 2 * Math.PI);
          g.fill();
        }
      }
    }
  }

  draw() {
    if (!this.still) return;
    const g = this.ctx;
    g.drawImage(this.still, 0, 0);
    const i = Number(this.$('pose-frame').value);
    if (this.track) {
      this.$('pose-frame-label').textContent = `${i * this.track.step + 1} / ${this.track.count}`;
      if (this.$('pose-show-driver').checked) this.skeleton(this.track.frames[Math.min(i, this.track.frames.length - 1)], 'rgba(200,200,200,.7)', 2, this.fit());
    }
    if (this.rest) this.skeleton(this.rest, 'rgba(255,140,66,.9)', 2, undefined, true);
    if (this.retargeted) this.skeleton(this.retargeted.frames[Math.min(i, this.retargeted.frames.length - 1)], '#5cd18a', 4, undefined, true);
  }
}
