// Loads a TF.js graph model from local files (model.json + weight shards) with a custom IOHandler: no fetch, no network.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel } from '@tensorflow/tfjs-converter';

export function fileHandler(modelJsonPath) {
  return {
    async load() {
      const json = JSON.parse(readFileSync(modelJsonPath, 'utf8'));
      const dir = dirname(modelJsonPath);
      const buffers = [];
      const specs = [];
      for (const group of json.weightsManifest) {
        for (const p of group.paths) buffers.push(readFileSync(join(dir, p)));
        specs.push(...group.weights);
      }
      const all = Buffer.concat(buffers);
      const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        signature: json.signature,
        userDefinedMetadata: json.userDefinedMetadata,
        weightSpecs: specs,
        weightData,
      };
    },
  };
}

export async function loadLocalModel(modelJsonPath) {
  return loadGraphModel(fileHandler(modelJsonPath));
}

export { tf };
