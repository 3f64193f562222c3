// The motion brush painter: regions painted on the still (brush, eraser, polygon), an arrow dragged for each moving
// brush's direction and speed (its length is the distance travelled in one second), a kind or a cue, or a static hold.
// The motion is drawn as arrows over the painted regions, as the effect itself lays it out (the server reads the brushes
// with the effect's own code: rotation faster at the rim, cues as the effect understands them), with each brush in
// words. Saved by the server as the brush file the effect reads (each region a mask image of the still's size), whose
// path goes into the form's `brushes` field.

import { api } from './api.js';
import { loadStill } from './still.js';

const COLORS = ['#4aa3ff', '#ff8c42', '#5cd18a', '#e05cd1', '#ffd23f', '#42e0d1', '#ff5c5c', '#a98cff'];
const MAX = 8;

export class BrushPainter {
  constructor(root, onSaved, onError) {
    this.$ = (id) => root.querySelector('#' + id);
    this.canvas = this.$('brush-canvas');
    this.ctx = this.canvas.getContext('2d');
    this.onSaved = onSaved;
    this.onError = onError;
    this.brushes = [];
    this.current = 0;
    this.polygon = [];
    this.drag = null;
    this.still = null;
    this.clip = null;
    this.motion = null;
    this.fieldVersion = 0;
    this.fieldTimer = null;
    this.wire();
  }

  /** Loads the picked still clip (at its own size: brush coordinates are its pixels). */
  async load(clipRef) {
    if (this.clip === clipRef) return;
    this.clip = clipRef;
    const s = await loadStill(this.canvas, clipRef);
    this.still = s.img;
    this.brushes = [];
    this.fieldVersion++;
    this.showField(null, [], []);
    this.addBrush();
    this.$('brush-status').textContent = `${clipRef}: ${s.width}x${s.height}`;
  }

  /** The brushes changed: their motion is asked for again once the edits pause. */
  changed() {
    clearTimeout(this.fieldTimer);
    this.fieldTimer = setTimeout(() => this.refreshField(), 250);
  }

  async refreshField() {
    const v = ++this.fieldVersion;
    // the brushes ready to move go to the server; one still being painted does not hold up the others
    const ready = [];
    const req = [];
    const notes = [];
    this.brushes.forEach((b, i) => {
      if (!this.coverage(b.mask).painted) {
        notes.push(`Brush ${i + 1}: nothing painted yet`);
        return;
      }
      try {
        req.push(this.brushRequest(b, i));
        ready.push(i);
      } catch (e) {
        notes.push(e.message);
      }
    });
    if (!req.length) {
      this.showField(null, [], notes);
      return;
    }
    try {
      const r = await api.brushField({ clip: this.clip, brushes: req });
      if (v !== this.fieldVersion) return;
      // back to the painter's numbering
      const motion = { arrows: r.arrows.map((a) => ({ ...a, brush: ready[a.brush - 1] + 1 })), seconds: r.seconds };
      this.showField(motion, r.brushes.map((text, k) => `Brush ${ready[k] + 1}: ${text}`), notes);
    } catch (e) {
      if (v === this.fieldVersion) this.showField(null, [], [e.message]);
    }
  }

  showField(motion, lines, problems) {
    this.motion = motion;
    const info = this.$('brush-field');
    info.replaceChildren();
    for (const text of lines) info.append(Object.assign(document.createElement('li'), { textContent: text }));
    for (const text of problems) info.append(Object.assign(document.createElement('li'), { className: 'error', textContent: text }));
    this.canvas.dataset.arrows = String(motion ? motion.arrows.length : 0);
    this.draw();
  }

  addBrush() {
    if (this.brushes.length >= MAX) return;
    const mask = document.createElement('canvas');
    mask.width = this.canvas.width;
    mask.height = this.canvas.height;
    this.brushes.push({ mask, type: 'motion', kind: 'flow', speed: 30, direction: null, cue: '', feather: 4 });
    this.select(this.brushes.length - 1);
  }

  select(i) {
    this.current = i;
    this.polygon = [];
    const list = this.$('brush-list');
    list.replaceChildren(...this.brushes.map((b, n) => new Option('Brush ' + (n + 1), String(n))));
    list.value = String(i);
    const b = this.brushes[i];
    this.$('brush-type').value = b.type;
    this.$('brush-kind').value = b.kind;
    this.$('brush-speed').value = String(Math.round(b.speed));
    this.$('brush-cue').value = b.cue;
    this.$('brush-feather').value = String(b.feather);
    this.showType();
    this.draw();
  }

  showType() {
    const b = this.brushes[this.current];
    this.$('motion-controls').hidden = b.type !== 'motion';
    this.$('cue-controls').hidden = b.type !== 'cue';
    this.$('brush-direction').textContent = b.direction
      ? `direction (${b.direction[0].toFixed(0)}, ${b.direction[1].toFixed(0)})` : 'drag an arrow on the still for the direction';
  }

  tool() {
    return this.$('brush-canvas').closest('section').querySelector('input[name=tool]:checked').value;
  }

  point(e) {
    const r = this.canvas.getBoundingClientRect();
    return [(e.clientX - r.left) * this.canvas.width / r.width, (e.clientY - r.top) * this.canvas.height / r.height];
  }

  stroke(from, to) {
    const m = this.brushes[this.current].mask.getContext('2d');
    const erase = this.tool() === 'erase';
    m.globalCompositeOperation = erase ? 'destination-out' : 'source-over';
    m.strokeStyle = '#fff';
    m.lineCap = 'round';
    m.lineJoin = 'round';
    m.lineWidth = Number(this.$('brush-size').value) * this.canvas.width / this.canvas.getBoundingClientRect().width;
    m.beginPath();
    m.moveTo(from[0], from[1]);
    m.lineTo(to[0] + 0.01, to[1]);
    m.stroke();
  }

  closePolygon() {
    if (this.polygon.length >= 3) {
      const m = this.brushes[this.current].mask.getContext('2d');
      m.globalCompositeOperation = 'source-over';
      m.fillStyle = '#fff';
      m.beginPath();
      this.polygon.forEach(([x, y], i) => (i ? m.lineTo(x, y) : m.moveTo(x, y)));
      m.closePath();
      m.fill();
    }
    this.polygon = [];
    this.draw();
    this.changed();
  }

  wire() {
    const c = this.canvas;
    c.addEventListener('pointerdown', (e) => {
      if (!this.still) return;
      const p = this.point(e);
      const t = this.tool();
      if (t === 'polygon') {
        this.polygon.push(p);
        this.draw();
        return;
      }
      c.setPointerCapture(e.pointerId);
      this.drag = { from: p, to: p, tool: t };
      if (t === 'paint' || t === 'erase') this.stroke(p, p);
      this.draw();
    });
    c.addEventListener('pointermove', (e) => {
      if (!this.drag) return;
      const p = this.point(e);
      if (this.drag.tool === 'paint' || this.drag.tool === 'erase') {
        this.stroke(this.drag.to, p);
      }
      this.drag.to = p;
      this.draw();
    });
    c.addEventListener('pointerup', () => {
      if (!this.drag) return;
      const d = this.drag;
      this.drag = null;
      if (d.tool === 'arrow') {
        const dx = d.to[0] - d.from[0];
        const dy = d.to[1] - d.from[1];
        const len = Math.hypot(dx, dy);
        if (len >= 2) {
          const b = this.brushes[this.current];
          b.direction = [dx, dy];
          b.speed = len;
          this.$('brush-speed').value = String(Math.round(len));
          this.showType();
        }
      }
      this.draw();
      this.changed();
    });
    c.addEventListener('dblclick', () => this.closePolygon());
    this.$('polygon-close').addEventListener('click', () => this.closePolygon());
    this.$('brush-add').addEventListener('click', () => this.addBrush());
    this.$('brush-remove').addEventListener('click', () => {
      if (this.brushes.length > 1) {
        this.brushes.splice(this.current, 1);
        this.select(Math.max(0, this.current - 1));
        this.changed();
      }
    });
    this.$('brush-list').addEventListener('change', () => this.select(Number(this.$('brush-list').value)));
    const field = (id, key, conv) => this.$(id).addEventListener('input', () => {
      this.brushes[this.current][key] = conv(this.$(id).value);
      this.showType();
      this.draw();
      this.changed();
    });
    field('brush-type', 'type', String);
    this.$('brush-type').addEventListener('change', () => { this.brushes[this.current].type = this.$('brush-type').value; this.showType(); this.draw(); this.changed(); });
    field('brush-kind', 'kind', String);
    this.$('brush-kind').addEventListener('change', () => { this.brushes[this.current].kind = this.$('brush-kind').value; this.draw(); this.changed(); });
    field('brush-speed', 'speed', Number);
    field('brush-cue', 'cue', String);
    field('brush-feather', 'feather', Number);
    this.$('brush-save').addEventListener('click', () => this.save());
  }

  /** Where a mask is painted: its centre and whether a point is inside. */
  coverage(mask) {
    const w = mask.width;
    const h = mask.height;
    const data = mask.getContext('2d').getImageData(0, 0, w, h).data;
    let sx = 0;
    let sy = 0;
    let n = 0;
    const step = Math.max(1, Math.round(Math.max(w, h) / 200));
    for (let y = 0; y < h; y += step) {
      for (let x = 0; x < w; x += step) {
        if (data[(y * w + x) * 4 + 3] > 127) { sx += x; sy += y; n++; }
      }
    }
    return { inside: (x, y) => data[(Math.round(y) * w + Math.round(x)) * 4 + 3] > 127, centre: n ? [sx / n, sy / n] : null, painted: n > 0 };
  }

  arrow(x, y, dx, dy, color) {
    const g = this.ctx;
    const len = Math.hypot(dx, dy);
    if (len < 1) return;
    const ux = dx / len;
    const uy = dy / len;
    const head = Math.min(10, len / 2) * this.scale;
    g.strokeStyle = color;
    g.fillStyle = color;
    g.lineWidth = 2 * this.scale;
    g.beginPath();
    g.moveTo(x, y);
    g.lineTo(x + dx, y + dy);
    g.stroke();
    g.beginPath();
    g.moveTo(x + dx, y + dy);
    g.lineTo(x + dx - head * (ux - uy * 0.5), y + dy - head * (uy + ux * 0.5));
    g.lineTo(x + dx - head * (ux + uy * 0.5), y + dy - head * (uy - ux * 0.5));
    g.closePath();
    g.fill();
  }

  /** The still, the painted regions tinted by brush, and the motion field as arrows on a grid over each moving region. */
  draw() {
    if (!this.still) return;
    const g = this.ctx;
    const w = this.canvas.width;
    const h = this.canvas.height;
    this.scale = Math.max(1, w / 640);
    g.globalAlpha = 1;
    g.drawImage(this.still, 0, 0);
    this.brushes.forEach((b, i) => {
      const color = COLORS[i % COLORS.length];
      const tint = document.createElement('canvas');
      tint.width = w;
      tint.height = h;
      const t = tint.getContext('2d');
      t.drawImage(b.mask, 0, 0);
      t.globalCompositeOperation = 'source-in';
      t.fillStyle = b.type === 'static' ? '#111' : color;
      t.fillRect(0, 0, w, h);
      g.globalAlpha = i === this.current ? 0.6 : 0.45;
      g.drawImage(tint, 0, 0);
      g.globalAlpha = 1;
      if (b.type === 'cue' && b.cue) {
        const cov = this.coverage(b.mask);
        if (cov.centre) {
          g.font = `${Math.round(14 * this.scale)}px system-ui`;
          g.fillStyle = '#fff';
          g.fillText('"' + b.cue + '"', cov.centre[0], cov.centre[1]);
        }
      }
    });
    // the motion as the effect makes it: a steady motion's travel in half a second, a swing as a double arrow
    for (const a of (this.motion ? this.motion.arrows : [])) {
      const color = COLORS[(a.brush - 1) % COLORS.length];
      if (a.oscillates) {
        const k = Math.max(1, 3 / Math.max(1e-6, Math.hypot(a.dx, a.dy)));
        this.arrow(a.x, a.y, a.dx * k, a.dy * k, color);
        this.arrow(a.x, a.y, -a.dx * k, -a.dy * k, color);
      } else {
        this.arrow(a.x, a.y, a.dx, a.dy, color);
      }
    }
    if (this.polygon.length) {
      g.strokeStyle = '#fff';
      g.lineWidth = 1.5 * this.scale;
      g.beginPath();
      this.polygon.forEach(([x, y], i) => (i ? g.lineTo(x, y) : g.moveTo(x, y)));
      g.stroke();
    }
    if (this.drag && this.drag.tool === 'arrow') {
      this.arrow(this.drag.from[0], this.drag.from[1], this.drag.to[0] - this.drag.from[0], this.drag.to[1] - this.drag.from[1], '#fff');
    }
  }

  /** The brushes as the server takes them, or an error naming the brush. */
  request() {
    return this.brushes.map((b, i) => this.brushRequest(b, i));
  }

  /** One brush as the server takes it, or an error naming it. */
  brushRequest(b, i) {
    const out = { mask: b.mask.toDataURL('image/png'), feather: b.feather };
    if (b.type === 'static') {
      out.static = true;
    } else if (b.type === 'cue') {
      if (!b.cue.trim()) throw new Error(`brush ${i + 1}: type a cue, e.g. water flowing left`);
      out.cue = b.cue;
    } else {
      const m = { kind: b.kind, speed: b.speed };
      if (b.kind === 'flow' || b.kind === 'sway') {
        if (!b.direction) throw new Error(`brush ${i + 1}: drag an arrow on the still for its direction (arrow tool)`);
        m.direction = b.direction.map((v) => Math.round(v * 100) / 100);
      }
      out.motion = m;
    }
    return out;
  }

  async save() {
    try {
      const r = await api.brushes({ clip: this.clip, name: this.$('brush-name').value.trim(), brushes: this.request() });
      this.$('brush-status').textContent = `saved ${r.brushes} brush${r.brushes === 1 ? '' : 'es'}: ${r.path}`;
      this.onSaved(r.path);
    } catch (e) {
      this.$('brush-status').textContent = '';
      this.onError(e);
    }
  }
}
