// Server start-up and memory: spawn → initialize → didOpen → first publishDiagnostics; RSS after
// opening many files; RSS after 1,000 and after N single-character edits on one file.
import { pathToFileURL } from 'node:url';
import { editPlaces } from './corpus.mjs';
import { editorEnvironment, LspServer, VARIABLES_THE_CLIENT_DROPS } from './lsp.mjs';
import { memoryOf } from './proc.mjs';
import { median } from './stats.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const mib = (kib) => Math.round((kib / 1024) * 10) / 10;

/** The server's RSS after it has been idle for a second: the median of five samples 100 ms apart. */
async function settledRss(pid, settleMs = 1000) {
  await sleep(settleMs);
  const rss = [];
  let hwm = 0;
  for (let i = 0; i < 5; i++) {
    const m = memoryOf(pid);
    if (!m) throw new Error(`server ${pid} is gone`);
    rss.push(m.rssKiB);
    hwm = m.hwmKiB;
    await sleep(100);
  }
  return { rssMiB: mib(median(rss)), hwmMiB: mib(hwm) };
}

/**
 * Spawn → initialize response and spawn → first diagnostics, `spawns` times, with the environment the
 * VS Code client gives the server. When this shell sets a variable the client drops
 * (VARIABLES_THE_CLIENT_DROPS), each spawn is paired with one that inherits it, as a server started
 * from a terminal or by another editor would: `inherited` reports those.
 */
export async function runStartup({ serverJs, file, spawns }) {
  const dropped = VARIABLES_THE_CLIENT_DROPS.filter((name) => process.env[name] !== undefined);
  const runs = [];
  const inheritedRuns = [];
  for (let i = 0; i < spawns; i++) {
    runs.push(await startOnce(serverJs, file, editorEnvironment()));
    if (dropped.length > 0) inheritedRuns.push(await startOnce(serverJs, file, process.env));
  }
  const summary = (rs) => ({
    runs: rs,
    initializeMs: median(rs.map((r) => r.initializeMs)),
    firstDiagnosticsMs: median(rs.map((r) => r.firstDiagnosticsMs)),
  });
  return {
    file: { path: file.path, lines: file.lines },
    ...summary(runs),
    ...(dropped.length > 0 ? { inherited: { variables: dropped, ...summary(inheritedRuns) } } : {}),
  };
}

async function startOnce(serverJs, file, env) {
  const uri = pathToFileURL(file.path).href;
  const t0 = performance.now();
  const server = new LspServer(serverJs, { env });
  try {
    await server.initialize(null);
    const initializedMs = performance.now() - t0;
    const published = server.waitForPublish(uri, 1, 30_000, 'the first diagnostics');
    server.open(uri, file.text, 1);
    const { at } = await published;
    return { initializeMs: round(initializedMs), firstDiagnosticsMs: round(at - t0) };
  } finally {
    await server.shutdown();
  }
}

const round = (v) => Math.round(v * 10) / 10;

/** Opens the files one after another (each waits for its first diagnostics); RSS before and after. */
export async function runOpenMemory({ serverJs, files, log }) {
  const server = new LspServer(serverJs);
  try {
    await server.initialize(null);
    const idle = await settledRss(server.pid);
    const t0 = performance.now();
    for (const file of files) {
      const uri = pathToFileURL(file.path).href;
      const published = server.waitForPublish(uri, 1, 60_000, 'the first diagnostics');
      server.open(uri, file.text, 1);
      await published;
    }
    const openAllMs = performance.now() - t0;
    const after = await settledRss(server.pid);
    log?.(`  opened ${files.length} files in ${(openAllMs / 1000).toFixed(1)} s: RSS ${idle.rssMiB} → ${after.rssMiB} MiB`);
    return {
      files: files.length,
      lines: files.reduce((a, f) => a + f.lines, 0),
      openAllMs: Math.round(openAllMs),
      idleRssMiB: idle.rssMiB,
      rssMiB: after.rssMiB,
      hwmMiB: after.hwmMiB,
    };
  } finally {
    await server.shutdown();
  }
}

/**
 * Single-character edits on one file, alternately inserting and deleting (every fifth pair a `{`,
 * the rest a space) at a few lines; sent in batches of `batch` didChange notifications with their
 * own versions, waiting for the publish of each batch's last version. RSS is read (after a second
 * of idle) at each checkpoint.
 */
export async function runEditMemory({ serverJs, file, checkpoints, batch, log }) {
  const server = new LspServer(serverJs);
  const uri = pathToFileURL(file.path).href;
  try {
    await server.initialize(null);
    const first = server.waitForPublish(uri, 1, 60_000, 'the first diagnostics');
    server.open(uri, file.text, 1);
    await first;
    const opened = await settledRss(server.pid);
    const places = editPlaces(file.text, 4);
    const results = [];
    let edits = 0;
    let version = 1;
    const t0 = performance.now();
    for (const checkpoint of checkpoints) {
      while (edits < checkpoint) {
        const n = Math.min(batch, checkpoint - edits);
        for (let i = 0; i < n; i++) {
          const pair = Math.floor(edits / 2);
          const place = places[Math.floor(pair / 5) % places.length];
          const at = { line: place.line, character: place.character };
          version++;
          if (edits % 2 === 0) server.change(uri, version, { start: at, end: at }, pair % 5 === 4 ? '{' : ' ');
          else server.change(uri, version, { start: at, end: { line: at.line, character: at.character + 1 } }, '');
          edits++;
        }
        await server.waitForPublish(uri, version, 60_000, `diagnostics after edit ${edits}`);
      }
      const m = await settledRss(server.pid);
      results.push({ edits, ...m, elapsedMs: Math.round(performance.now() - t0) });
      log?.(`  ${edits} edits: RSS ${m.rssMiB} MiB (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    }
    return { file: { path: file.path, lines: file.lines }, batch, openedRssMiB: opened.rssMiB, checkpoints: results };
  } finally {
    await server.shutdown();
  }
}

/**
 * The soak of issue 9: `edits` one-character edits spread over the documents of `files`, `open` of
 * them open at a time, with churn: every `churnEvery` edits `churnCount` documents are closed and
 * others opened (so trees and per-document caches are created and freed all along). Each edit
 * waits for its own publish only at the end of a batch. RSS is taken at each checkpoint after a
 * settle; the ratio compares the last checkpoint with the first (after warm-up).
 */
export async function runChurnMemory({ serverJs, files, open, edits, checkpoints, batch, churnEvery, churnCount, settleMs = 1000, log }) {
  const server = new LspServer(serverJs);
  const docs = files.map((file) => ({ file, uri: pathToFileURL(file.path).href, version: 0, places: editPlaces(file.text, 4), text: file.text, pending: 0 }));
  const opened = new Set();
  let nextToOpen = 0;
  const openOne = async () => {
    const doc = docs[nextToOpen++ % docs.length];
    if (opened.has(doc)) return;
    doc.version++;
    doc.pending = 0;
    const published = server.waitForPublish(doc.uri, doc.version, 60_000, `diagnostics on opening ${doc.file.path}`);
    server.open(doc.uri, doc.file.text, doc.version);
    opened.add(doc);
    await published;
  };
  try {
    await server.initialize(null);
    for (let i = 0; i < open; i++) await openOne();
    const results = [];
    let done = 0;
    let opens = 0;
    let closes = 0;
    const t0 = performance.now();
    for (const checkpoint of checkpoints) {
      while (done < Math.min(checkpoint, edits)) {
        const n = Math.min(batch, checkpoint - done);
        const touched = new Set();
        for (let i = 0; i < n; i++) {
          // Runs of 10 edits to one document, as typing is, then the next document.
          const list = [...opened];
          const doc = list[Math.floor(done / 10) % list.length];
          // Insert then delete the same character, so the text returns to the file's own.
          const place = doc.places[Math.floor(doc.pending / 2) % doc.places.length];
          const at = { line: place.line, character: place.character };
          doc.version++;
          if (doc.pending % 2 === 0) server.change(doc.uri, doc.version, { start: at, end: at }, doc.pending % 10 === 8 ? '{' : ' ');
          else server.change(doc.uri, doc.version, { start: at, end: { line: at.line, character: at.character + 1 } }, '');
          doc.pending++;
          touched.add(doc);
          done++;
          if (done % churnEvery === 0) {
            // Close documents that are back to their own text (an even number of edits), open others.
            for (const old of [...opened].filter((d) => d.pending % 2 === 0).slice(0, churnCount)) {
              server.close(old.uri);
              opened.delete(old);
              closes++;
            }
            while (opened.size < open) {
              await openOne();
              opens++;
            }
          }
        }
        await Promise.all([...touched].filter((d) => opened.has(d)).map((d) => server.waitForPublish(d.uri, d.version, 60_000, `diagnostics after edit ${done}`)));
      }
      const m = await settledRss(server.pid, settleMs);
      results.push({ edits: done, ...m, elapsedMs: Math.round(performance.now() - t0), opens, closes });
      log?.(`  ${done} edits over ${opened.size} open documents (${opens} opened, ${closes} closed so far): RSS ${m.rssMiB} MiB (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    }
    return { files: files.length, open, checkpoints: results, ratio: Math.round((results[results.length - 1].rssMiB / results[0].rssMiB) * 1000) / 1000 };
  } finally {
    await server.shutdown();
  }
}
