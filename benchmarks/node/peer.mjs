// The Vercel AI SDK's streaming structured output on a chunk file written by the Java side
// (PeerCompare write): the same deltas, in the {"elements":[...]} envelope its array output expects,
// fed through the SDK's own mock model and simulateReadableStream with no delays (no network).
//
//   node peer.mjs FILE [variant] [runs]
//
// variants: ai7-streamObject, ai7-streamText, ai6-streamObject, ai6-streamText (default: all).
// Prints one JSON line per variant: median wall time per answer, per-element cost, and the time from
// the start of the call to the first and the last element (of the last run).
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as ai7 from 'ai7';
import * as ai7test from 'ai7/test';
import * as ai6 from 'ai6';
import * as ai6test from 'ai6/test';
import { z } from 'zod';

globalThis.AI_SDK_LOG_WARNINGS = false; // one warning per call otherwise (streamObject is deprecated in 7.x)

const [file, only, runsArg] = process.argv.slice(2);
const deltas = JSON.parse(readFileSync(file, 'utf8'));

// the same constraints as the Java record ProductRecommendation
const element = z.object({
  productId: z.string().min(1).regex(/^P-\d{6}$/),
  productName: z.string().min(1).max(120),
  reason: z.string().min(10).max(400),
  rank: z.number().int().min(1),
  tags: z.array(z.string().min(1)).max(5),
});

function parts(textDeltas) {
  const chunks = [{ type: 'stream-start', warnings: [] }, { type: 'text-start', id: 't1' }];
  for (const d of textDeltas) chunks.push({ type: 'text-delta', id: 't1', delta: d });
  chunks.push({ type: 'text-end', id: 't1' });
  chunks.push({
    type: 'finish',
    finishReason: { unified: 'stop', raw: 'stop' },
    usage: {
      inputTokens: { total: 412, noCache: 412, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: textDeltas.length, text: textDeltas.length, reasoning: undefined },
    },
  });
  return chunks;
}

const chunks = parts(deltas);

function model(sdk, test) {
  const Mock = test.MockLanguageModelV4 ?? test.MockLanguageModelV3;
  return new Mock({
    doStream: async () => ({
      stream: sdk.simulateReadableStream({ chunks, initialDelayInMs: null, chunkDelayInMs: null }),
    }),
  });
}

const variants = {
  'ai7-streamObject': (t) => run(ai7.streamObject({ model: model(ai7, ai7test), output: 'array', schema: element,
    prompt: 'Recommend products.' }).elementStream, t),
  'ai7-streamText': (t) => run(ai7.streamText({ model: model(ai7, ai7test), output: ai7.Output.array({ element }),
    prompt: 'Recommend products.' }).elementStream, t),
  'ai6-streamObject': (t) => run(ai6.streamObject({ model: model(ai6, ai6test), output: 'array', schema: element,
    prompt: 'Recommend products.' }).elementStream, t),
  'ai6-streamText': (t) => run(ai6.streamText({ model: model(ai6, ai6test), output: ai6.Output.array({ element }),
    prompt: 'Recommend products.' }).elementStream, t),
};

async function run(elementStream, times) {
  const t0 = performance.now();
  let n = 0;
  for await (const e of elementStream) {
    if (times) times.push(performance.now() - t0);
    n++;
  }
  return n;
}

async function measure(name) {
  const v = variants[name];
  const expected = JSON.parse(deltas.join('')).elements.length;
  let t = performance.now();
  const n = await v(null);
  const first = performance.now() - t;
  if (n !== expected) throw new Error(`${name}: ${n} elements, expected ${expected}`);
  // warm up for about 3 s (at least 3 runs unless one run is longer than 10 s), then measure about 5 s
  const warmEnd = performance.now() + 3000;
  for (let i = 0; i < 200 && (performance.now() < warmEnd || (i < 3 && first < 10000)); i++) await v(null);
  const runs = runsArg ? Number(runsArg) : Math.max(first > 10000 ? 1 : 5, Math.min(500, Math.round(5000 / Math.max(first, 0.01))));
  const totals = [];
  let times = [];
  for (let i = 0; i < runs; i++) {
    times = [];
    t = performance.now();
    await v(times);
    totals.push(performance.now() - t);
  }
  totals.sort((a, b) => a - b);
  const medianMs = totals[Math.floor(runs / 2)];
  console.log(JSON.stringify({
    side: 'node', impl: name, elements: n, deltas: deltas.length, runs, medianMs,
    perElementUs: medianMs * 1000 / n, firstElementMs: times[0], lastElementMs: times[n - 1],
    node: process.version,
  }));
}

for (const name of only && only !== 'all' ? only.split(',') : Object.keys(variants)) {
  await measure(name);
}
