// TF.js speed of MoveNet on a fixed input, for `kinora benchmark` to compare with Kinora in the same run.
// Usage: node bench.mjs <modelDir> <backend cpu|wasm> <frames>
//   modelDir: a folder with one *.json TF.js graph model (e.g. ~/.cache/kinora/test-models/movenet-lightning)
// Prints one line: "tfjs <backend> <model> <size>x<size> frames=<n> fps=<frames/s> ms_per_frame=<ms>"
import { readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { tf, loadLocalModel } from './load-model.mjs';

const [modelDir, backend = 'cpu', framesArg = '50'] = process.argv.slice(2);
if (!modelDir || !['cpu', 'wasm'].includes(backend)) {
  console.error('usage: node bench.mjs <modelDir> <backend cpu|wasm> <frames>');
  process.exit(2);
}
const frames = Math.max(1, parseInt(framesArg, 10));
if (backend === 'wasm') {
  // offline: the .wasm binaries come from this folder's node_modules, never from a CDN
  const here = dirname(fileURLToPath(import.meta.url));
  setWasmPaths(join(here, 'node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');
}
if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} did not start`);
await tf.ready();
// a store folder also holds card.json: the model is the .json beside its .bin shard of the same name
const files = readdirSync(modelDir);
const json = files.find((f) => f.endsWith('.json') && files.includes(f.replace(/\.json$/, '.bin')))
  ?? files.find((f) => f.endsWith('.json') && f !== 'card.json');
const model = await loadLocalModel(join(modelDir, json));
const dims = model.inputs[0].shape;
const size = dims[1] > 0 ? dims[1] : 256;
const dtype = model.inputs[0].dtype;
const pixels = new Int32Array(size * size * 3).map((_, i) => (i * 37) % 256);
const input = tf.tidy(() => {
  const t = tf.tensor(pixels, [1, size, size, 3], 'int32');
  return dtype === 'float32' ? tf.div(tf.cast(t, 'float32'), 255) : t;
});
const run = async () => {
  const out = model.execute(input);
  const list = Array.isArray(out) ? out : [out];
  await Promise.all(list.map((t) => t.data()));
  tf.dispose(list);
};
for (let i = 0; i < 5; i++) await run();
const t0 = process.hrtime.bigint();
for (let i = 0; i < frames; i++) await run();
const s = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`tfjs ${tf.getBackend()} ${json.replace(/\.json$/, '')} ${size}x${size} frames=${frames} fps=${(frames / s).toFixed(2)} ms_per_frame=${((1000 * s) / frames).toFixed(2)}`);
