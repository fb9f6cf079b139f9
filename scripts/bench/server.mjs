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
async function settledRss(pid) {
  await sleep(1000);
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
