// Computes the TF.js reference outputs for Kinora's TF.js graph interpreter tests.
// Reads the input pictures the Java translators wrote (../../resources/tfjs-reference/inputs.json + inputs/*.u8.gz),
// runs each model with tf.loadGraphModel on the cpu backend, and writes the raw graph outputs as gzipped float32 LE
// plus an index (../../resources/tfjs-reference/index.json). Usage: node make-references.mjs [modelsDir]
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { homedir } from 'node:os';
import '@tensorflow/tfjs-backend-cpu';
import { tf, loadLocalModel } from './load-model.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '../../resources/tfjs-reference');
const models = process.argv[2] || process.env.KINORA_TEST_MODELS || join(homedir(), '.cache/kinora/test-models');

await tf.setBackend('cpu');
await tf.ready();
const cases = JSON.parse(readFileSync(join(fixtures, 'inputs.json'), 'utf8'));
const index = { tfjs: tf.version_core, backend: tf.getBackend(), cases: [] };
const loaded = new Map();
mkdirSync(join(fixtures, 'outputs'), { recursive: true });
for (const c of cases) {
  if (!loaded.has(c.model)) loaded.set(c.model, await loadLocalModel(join(models, c.model)));
  const model = loaded.get(c.model);
  const pixels = gunzipSync(readFileSync(join(fixtures, c.input)));
  const u8 = tf.tensor(new Uint8Array(pixels), [1, c.size, c.size, 3], 'int32');
  // float inputs are u8 / 255 in float32, the same division the Java translators do
  const input = c.dtype === 'float32' ? tf.div(tf.cast(u8, 'float32'), 255) : u8;
  const outs = model.execute(input, c.outputs);
  const list = Array.isArray(outs) ? outs : [outs];
  const entry = { case: c.case, outputs: [] };
  for (let k = 0; k < list.length; k++) {
    const data = await list[k].data();
    const file = `outputs/${c.case}-${k}.f32.gz`;
    writeFileSync(join(fixtures, file), gzipSync(Buffer.from(new Float32Array(data).buffer)));
    entry.outputs.push({ name: c.outputs[k], file, shape: list[k].shape });
  }
  index.cases.push(entry);
  console.log(c.case, entry.outputs.map((o) => `${o.name}${JSON.stringify(o.shape)}`).join(' '));
  tf.dispose([u8, input, ...list]);
}
writeFileSync(join(fixtures, 'index.json'), JSON.stringify(index, null, 1) + '\n');
