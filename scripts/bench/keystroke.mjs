// Keystroke latency through the real server over stdio: the time from writing a one-character
// didChange to the arrival of publishDiagnostics for the same uri with that version. Every edit
// waits for its own publish before the next is sent, so the server cannot coalesce them.
import { pathToFileURL } from 'node:url';
import { editPlaces } from './corpus.mjs';
import { LspServer } from './lsp.mjs';
import { summarize } from './stats.mjs';

const OPEN_TIMEOUT_MS = 60_000;
const EDIT_TIMEOUT_MS = 10_000;
/** Edits on a file outside the sample before measuring, so that the JIT has warmed up. */
const WARMUP_EDITS = 100;
/** Characters inserted (then deleted) after a line's indentation, in turn: valid or breaking. */
const PATTERN = [
  { char: ' ', kind: 'valid' },
  { char: '{', kind: 'breaking' },
  { char: ' ', kind: 'valid' },
  { char: '"', kind: 'breaking' },
];

/**
 * Opens each file, waits for its first diagnostics, then makes `editsPerFile` edits (insert then
 * delete one character, at `places` spread-out lines), measuring each; closes the file.
 * Returns the raw samples per edit.
 */
async function measureFile(server, file, editsPerFile, placesPerFile, group, log) {
  const uri = pathToFileURL(file.path).href;
  const opened = server.waitForPublish(uri, 1, OPEN_TIMEOUT_MS, 'the first diagnostics');
  const t0 = performance.now();
  server.open(uri, file.text, 1);
  const first = await opened;
  const openMs = first.at - t0;
  const places = editPlaces(file.text, placesPerFile);
  const pairsPerPlace = Math.max(1, Math.round(editsPerFile / 2 / places.length));
  const samples = [];
  let version = 1;
  let pattern = 0;
  for (const place of places) {
    for (let p = 0; p < pairsPerPlace && samples.length < editsPerFile; p++) {
      const { char, kind } = PATTERN[pattern++ % PATTERN.length];
      const at = { line: place.line, character: place.character };
      const after = { line: place.line, character: place.character + 1 };
      for (const [range, text, op] of [
        [{ start: at, end: at }, char, 'insert'],
        [{ start: at, end: after }, '', 'delete'],
      ]) {
        version++;
        const published = server.waitForPublish(uri, version, EDIT_TIMEOUT_MS, `diagnostics after a ${kind} ${op} of ${JSON.stringify(char)} at ${place.line + 1}:${place.character + 1}`);
        const start = performance.now();
        server.change(uri, version, range, text);
        const { at: arrived } = await published;
        samples.push({ group, kind, op, ms: arrived - start });
      }
    }
  }
  server.close(uri);
  log?.(`  ${group} ${file.path} (${file.lines} lines): open ${openMs.toFixed(1)} ms, ${samples.length} edits, median ${summarize(samples.map((s) => s.ms)).p50} ms`);
  return { openMs, samples };
}

/**
 * @param {{ serverJs: string, typical: any[], largest: any[], warmup: any, editsPerFile: number, places: number, log?: (s: string) => void }} o
 */
export async function runKeystroke(o) {
  const server = new LspServer(o.serverJs);
  try {
    await server.initialize(null);
    // Warm-up (not measured): the JIT and the wasm heap settle on a file outside the sample.
    if (o.warmup) await measureFile(server, o.warmup, WARMUP_EDITS, 5, 'warmup', o.log);
    const all = [];
    const opens = { typical: [], largest: [] };
    for (const group of ['typical', 'largest']) {
      for (const file of o[group]) {
        const { openMs, samples } = await measureFile(server, file, o.editsPerFile, o.places, group, o.log);
        opens[group].push(openMs);
        all.push(...samples);
      }
    }
    const result = {
      editsPerFile: o.editsPerFile,
      placesPerFile: o.places,
      editTimeoutMs: EDIT_TIMEOUT_MS,
      warmupEdits: o.warmup ? WARMUP_EDITS : 0,
      files: {
        typical: o.typical.map((f) => ({ path: f.path, lines: f.lines })),
        largest: o.largest.map((f) => ({ path: f.path, lines: f.lines })),
      },
      groups: {},
    };
    for (const group of ['typical', 'largest']) {
      const inGroup = all.filter((s) => s.group === group);
      result.groups[group] = {
        valid: summarize(inGroup.filter((s) => s.kind === 'valid').map((s) => s.ms)),
        breaking: summarize(inGroup.filter((s) => s.kind === 'breaking').map((s) => s.ms)),
        all: summarize(inGroup.map((s) => s.ms)),
        open: summarize(opens[group]),
      };
    }
    return result;
  } finally {
    await server.shutdown();
  }
}
