// Entry point of the language server: runs the server bundle (serverMain.js, see serverMain.ts)
// through a V8 code cache. Compiling the half-megabyte bundle is a noticeable part of the time to
// first diagnostics; with the cache (kept in the temp folder, written once the server has run a
// few seconds, so that it also holds the functions start-up compiled) V8 skips most of it. Any
// problem with the cache (unwritable folder, another Node or V8 version, a rebuilt bundle) only
// means compiling as usual: V8 checks the cache against the source and its own version.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { startCompilingGrammars } from './parsing/grammarFiles';
import { withDefaultFlags } from './runtimeFlags';

// First of all, so that V8's background threads compile the parser while this thread compiles and
// runs the server's bundle (see grammarFiles.ts).
startCompilingGrammars();

/** How long after start-up the cache is written (if it was missing or rejected). */
const WRITE_CACHE_AFTER_MS = 5000;
/**
 * Caches kept in the folder: each build of the server (and each Node version) writes its own, about
 * 1 MB, so updates would pile them up. A few stay for installs used side by side (the extension's
 * server and the npm CLI's, or two Node versions).
 */
const CACHES_KEPT = 4;
const cacheDir = join(tmpdir(), 'go-rubric-v8-cache');

const mainFile = join(__dirname, 'serverMain.js');
// The bundle starts with a #! line, which is not JavaScript inside a function: keep the line, as a comment.
// The key hashes the file's bytes, which costs a few ms less than hashing the decoded text, and
// its path: V8 keeps the file name it compiled with in the cached code, so two copies of the same
// bundle sharing one cache would name the other copy in their stack traces.
const bytes = readFileSync(mainFile);
const source = bytes.toString('utf8').replace(/^#!/, '//');
const cacheFile = join(
  cacheDir,
  `server-${createHash('sha1').update(process.version).update(process.arch).update(mainFile).update(bytes).digest('hex').slice(0, 16)}.bin`,
);

let cachedData: Buffer | undefined;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
// The CommonJS wrapper Node itself puts around a module. Code run this way must not call
// import(): a script compiled from a code cache has no module loader for it (goParser.ts hands
// web-tree-sitter the grammar's bytes rather than a path for that reason).
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
  filename: mainFile,
  ...(cachedData ? { cachedData } : {}),
});
const main = { exports: {} };
(script.runInThisContext() as (...args: unknown[]) => void).call(main.exports, main.exports, createRequire(mainFile), main, mainFile, __dirname);

if (!cachedData || script.cachedDataRejected) {
  const compiled = script;
  let written = false;
  const writeCache = () => {
    if (written) return;
    written = true;
    try {
      mkdirSync(cacheDir, { recursive: true });
      const partial = `${cacheFile}.${process.pid}`;
      // Stamped with V8's default flags, which a fresh process starts with (see runtimeFlags.ts).
      writeFileSync(partial, withDefaultFlags(() => compiled.createCachedData()));
      renameSync(partial, cacheFile);
    } catch {
      // No cache this time; the next start compiles as usual.
      return;
    }
    pruneOldCaches();
  };
  // Once start-up is over, or at exit if that comes first (an editor restarting the server).
  setTimeout(writeCache, WRITE_CACHE_AFTER_MS).unref();
  process.once('exit', writeCache);
}

/** Deletes all but the newest CACHES_KEPT cache files (best effort: another server may be pruning too). */
function pruneOldCaches(): void {
  try {
    const caches = readdirSync(cacheDir)
      .filter((name) => /^server-[0-9a-f]+\.bin$/.test(name))
      .map((name) => {
        const path = join(cacheDir, name);
        try {
          return { path, mtime: statSync(path).mtimeMs };
        } catch {
          return { path, mtime: 0 };
        }
      })
      .sort((a, b) => b.mtime - a.mtime);
    for (const old of caches.slice(CACHES_KEPT)) {
      try {
        unlinkSync(old.path);
      } catch {
        // Gone already, or not ours to delete.
      }
    }
  } catch {
    // No folder listing: nothing to prune.
  }
}
