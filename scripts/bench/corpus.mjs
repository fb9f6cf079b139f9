// The benchmark corpus: Go files under a root with the CLI's folder filter, their line counts,
// and the deterministic choices of files for the keystroke and memory benchmarks.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const STDLIB = '/usr/share/go-1.19/src';
export const LIBS = '/usr/share/gocode/src';
const GENERATED = /^\/\/ Code generated .* DO NOT EDIT\.$/m;

/** The CLI's folder filter (server/src/cli/files.ts). */
function isSkippedDir(name) {
  return name === 'vendor' || name === 'testdata' || name === 'node_modules' || name.startsWith('.') || name.startsWith('_');
}

/** Every .go file under root (sorted, symlinked folders visited once), as the CLI walks them. */
export function walkGoFiles(root, out = [], seen = new Set()) {
  let stat;
  try {
    stat = statSync(root);
  } catch {
    return out;
  }
  const key = `${stat.dev}:${stat.ino}`;
  if (seen.has(key)) return out;
  seen.add(key);
  let names;
  try {
    names = readdirSync(root).sort();
  } catch {
    return out;
  }
  for (const name of names) {
    const path = join(root, name);
    let s;
    try {
      s = statSync(path);
    } catch {
      continue;
    }
    if (s.isDirectory()) {
      if (!isSkippedDir(name)) walkGoFiles(path, out, seen);
    } else if (s.isFile() && name.endsWith('.go')) out.push(path);
  }
  return out;
}

export function countLines(text) {
  let lines = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  if (text.length > 0 && text[text.length - 1] !== '\n') lines++;
  return lines;
}

/** Files, lines and bytes of the .go files the CLI walks under the roots (generated ones included). */
export function surveyRoots(roots) {
  const totals = { files: 0, lines: 0, bytes: 0, generatedFiles: 0, generatedLines: 0 };
  for (const root of roots) {
    for (const path of walkGoFiles(root)) {
      let text;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        continue;
      }
      const lines = countLines(text);
      totals.files++;
      totals.lines += lines;
      totals.bytes += Buffer.byteLength(text);
      if (GENERATED.test(text)) {
        totals.generatedFiles++;
        totals.generatedLines += lines;
      }
    }
  }
  return totals;
}

/** Non-test, non-generated standard-library files with their text and line counts, sorted by path. */
export function stdlibSourceFiles(root = STDLIB) {
  const out = [];
  for (const path of walkGoFiles(root)) {
    if (path.endsWith('_test.go')) continue;
    const text = readFileSync(path, 'utf8');
    if (GENERATED.test(text)) continue;
    out.push({ path, lines: countLines(text), text });
  }
  return out;
}

const byLines = (a, b) => a.lines - b.lines || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/**
 * The n largest files, and n typical ones: the n files in the middle of the 800–3,000-line band
 * (sorted by size), plus `extra` more typical files after them (for warm-up and memory runs).
 */
export function chooseFiles(files, n, extra = 1) {
  const sorted = [...files].sort(byLines);
  const largest = sorted.slice(-n).reverse();
  const band = sorted.filter((f) => f.lines >= 800 && f.lines <= 3000);
  const start = Math.max(0, Math.floor(band.length / 2) - Math.floor(n / 2));
  const typical = band.slice(start, start + n);
  const spare = band.slice(start + n, start + n + extra);
  return { largest, typical, spare, bandSize: band.length };
}

/** `count` files spread evenly over the list (deterministic). */
export function spread(files, count) {
  if (files.length <= count) return [...files];
  const out = [];
  const step = files.length / count;
  for (let i = 0; i < count; i++) out.push(files[Math.floor(i * step)]);
  return out;
}

/**
 * Lines to edit at: `count` code lines spread over the file (the first non-blank line at or after
 * each fraction that is not a comment), each with the column after its indentation.
 */
export function editPlaces(text, count) {
  const lines = text.split('\n');
  const places = [];
  const used = new Set();
  for (let k = 0; k < count; k++) {
    const fraction = (k + 0.5) / count;
    for (let line = Math.floor(fraction * lines.length); line < lines.length; line++) {
      const content = lines[line];
      const trimmed = content.trim();
      if (trimmed === '' || trimmed.startsWith('//') || trimmed.startsWith('/*') || trimmed.startsWith('*') || used.has(line)) continue;
      used.add(line);
      places.push({ line, character: content.length - content.trimStart().length });
      break;
    }
  }
  return places;
}
