// A still clip's picture on a canvas at its own size: the brush painter and the pose page work in its pixels.

import { api } from './api.js';

/** Loads the picture of still clip {@code clipRef}, sizes {@code canvas} to it; returns {img, width, height}. */
export async function loadStill(canvas, clipRef) {
  const s = await api.still(clipRef);
  const img = new Image();
  await new Promise((ok, bad) => { img.onload = ok; img.onerror = bad; img.src = s.url; });
  canvas.width = s.width;
  canvas.height = s.height;
  return { img, width: s.width, height: s.height };
}
