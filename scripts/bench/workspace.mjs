// Whole-workspace checks: the go-rubric CLI over a corpus, and `go vet std` / `go-staticcheck std`
// with cold (fresh) and warm (reused) build caches, each with wall time and the peak RSS of its
// process tree.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMeasured } from './proc.mjs';
import { median } from './stats.mjs';

export const GOROOT = '/usr/lib/go-1.19';
export const GO = `${GOROOT}/bin/go`;
export const STATICCHECK = '/usr/bin/go-staticcheck';
const mib = (kib) => Math.round((kib / 1024) * 10) / 10;

/** Runs the CLI `runs` times over the paths; reports the median wall time and the largest peak RSS. */
export async function runRubric({ cliJs, paths: folders, cwd, runs, survey, log }) {
  // Each folder with the folders below it.
  const paths = folders.map((p) => `${p}/...`);
  const results = [];
  for (let i = 0; i < runs; i++) {
    const r = await runMeasured(process.execPath, [cliJs, 'check', '--no-cache', '--fail-on', 'never', '--format', 'json', ...paths], { cwd });
    if (r.code !== 0) throw new Error(`go-rubric check exited ${r.code} (${r.signal ?? ''}): ${r.stderr.slice(0, 1000)}`);
    results.push({ wallMs: Math.round(r.wallMs), peakRssMiB: mib(r.peakRssKiB), outputBytes: r.stdoutBytes });
    log?.(`  go-rubric check ${paths.join(' ')}: ${(r.wallMs / 1000).toFixed(2)} s, peak ${mib(r.peakRssKiB)} MiB`);
  }
  const wallMs = median(results.map((r) => r.wallMs));
  return {
    command: `node server/out/cli.js check --no-cache --fail-on never --format json ${paths.join(' ')}`,
    cwd,
    runs: results,
    wallMs,
    wallSeconds: Math.round(wallMs) / 1000,
    linesPerSecond: Math.round(survey.lines / (wallMs / 1000)),
    peakRssMiB: Math.max(...results.map((r) => r.peakRssMiB)),
  };
}

function goEnv(dir) {
  return {
    ...process.env,
    GOROOT,
    GOFLAGS: '-mod=mod',
    GOPATH: join(dir, 'gopath'),
    GOCACHE: join(dir, 'gocache'),
    STATICCHECK_CACHE: join(dir, 'staticcheck-cache'),
    XDG_CACHE_HOME: join(dir, 'xdg-cache'),
    GOTOOLCHAIN: 'local',
    PATH: `${GOROOT}/bin:${process.env.PATH ?? '/usr/bin:/bin'}`,
  };
}

/**
 * Runs a Go tool twice with one fresh temporary cache: cold, then warm. Exit codes 0 and 1 are
 * accepted (1: the tool reported findings); anything else is recorded as an error.
 */
export async function runGoTool({ name, command, args, log }) {
  if (!existsSync(command) || !existsSync(GO)) {
    log?.(`  ${name}: skipped (${existsSync(command) ? GO : command} is not installed)`);
    return { skipped: `${existsSync(command) ? GO : command} is not installed` };
  }
  const dir = mkdtempSync(join(tmpdir(), 'go-rubric-bench-'));
  try {
    const env = goEnv(dir);
    const out = { command: `${command} ${args.join(' ')}`, env: { GOROOT, GOFLAGS: '-mod=mod', GOCACHE: '<fresh temp dir>', GOPATH: '<temp dir>' } };
    for (const phase of ['cold', 'warm']) {
      const r = await runMeasured(command, args, { env, cwd: dir });
      const ok = r.code === 0 || r.code === 1;
      out[phase] = {
        wallMs: Math.round(r.wallMs),
        wallSeconds: Math.round(r.wallMs) / 1000,
        peakRssMiB: mib(r.peakRssKiB),
        exitCode: r.code,
        outputLines: r.outputLines,
        ...(ok ? {} : { error: r.stderr.slice(-1000) }),
      };
      log?.(`  ${name} (${phase}): ${(r.wallMs / 1000).toFixed(1)} s, peak ${mib(r.peakRssKiB)} MiB, exit ${r.code}, ${r.outputLines} output lines`);
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
