// Budgets (pass/fail), the results tables (Markdown, printed and put in docs/performance.md).

function lookup(results, path) {
  let v = results;
  for (const key of path.split('.')) {
    if (v === null || v === undefined) return undefined;
    v = v[key];
  }
  return typeof v === 'number' ? v : undefined;
}

/** Each budget with the measured value and pass (true/false), or pass null when not measured or not checked in this mode. */
export function evaluateBudgets(results, budgets, mode) {
  return budgets.map((b) => {
    const limit = mode === 'ci' ? b.ci : b.budget;
    const value = lookup(results, b.metric);
    let pass = null;
    if (limit !== null && limit !== undefined && value !== undefined) pass = b.op === '>=' ? value >= limit : value <= limit;
    return { id: b.id, text: b.text, metric: b.metric, op: b.op, limit: limit ?? null, budget: b.budget, unit: b.unit, value: value ?? null, pass };
  });
}

const fmt = (v, digits = 2) => (v === null || v === undefined ? '–' : typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(digits)) : String(v));
const int = (v) => (v === null || v === undefined ? '–' : Math.round(v).toLocaleString('en-US'));

function table(header, rows) {
  return [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

export function renderTables(r) {
  const out = [];
  const m = r.machine;
  out.push(`## Go Rubric benchmarks (${r.mode})`);
  out.push('');
  out.push(`Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}; ${m.go ?? 'no go'}; ${m.staticcheck ?? 'no staticcheck'}.`);
  out.push(`Date ${m.date}; commit ${m.gitCommit ?? 'unknown'}${m.gitDirty ? ' (with uncommitted changes)' : ''}; the run took ${r.durationSeconds ?? '?'} s.`);

  if (r.keystroke) {
    const k = r.keystroke;
    out.push('');
    out.push(`### 1. Keystroke → publishDiagnostics (ms, through the stdio server)`);
    out.push('');
    const lines = (g) => k.files[g].map((f) => f.lines);
    const range = (g) => (k.files[g].length ? `${Math.min(...lines(g))}–${Math.max(...lines(g))} lines` : '');
    out.push(
      `${k.files.typical.length} typical files (${range('typical')}) and the ${k.files.largest.length} largest (${range('largest')}); ` +
        `${k.editsPerFile} one-character edits per file (insert then delete, at ${k.placesPerFile} places); valid: a space; breaking: \`{\` or \`"\`.`,
    );
    out.push('');
    const rows = [];
    for (const g of ['typical', 'largest']) {
      for (const kind of ['valid', 'breaking', 'all']) {
        const s = k.groups[g][kind];
        rows.push([`${g}, ${kind}`, s.n, fmt(s.p50), fmt(s.p90), fmt(s.p99), fmt(s.max)]);
      }
      const o = k.groups[g].open;
      rows.push([`${g}, didOpen → first diagnostics`, o.n, fmt(o.p50), fmt(o.p90), fmt(o.p99), fmt(o.max)]);
    }
    out.push(table(['files, edit', 'n', 'p50', 'p90', 'p99', 'max'], rows));
  }

  if (r.workspace) {
    const w = r.workspace;
    const s = w.stdlib;
    out.push('');
    out.push(`### 2. Whole-workspace check`);
    out.push('');
    const rows = [];
    rows.push([
      `go-rubric check (${s.paths.join(' ')}, median of ${s.rubric.runs.length})`,
      fmt(s.rubric.wallSeconds),
      int(s.rubric.linesPerSecond),
      fmt(s.rubric.peakRssMiB, 1),
      '1.0',
    ]);
    for (const [name, tool, key] of [
      ['go vet std', s.goVet, 'goVet'],
      ['go-staticcheck std', s.staticcheck, 'staticcheck'],
    ]) {
      if (!tool) continue;
      if (tool.skipped) {
        rows.push([`${name}: skipped (${tool.skipped})`, '–', '–', '–', '–']);
        continue;
      }
      for (const phase of ['cold', 'warm']) {
        const t = tool[phase];
        const ratio = s.ratios[`${key}${phase === 'cold' ? 'Cold' : 'Warm'}`];
        rows.push([`${name}, ${phase} cache${t.error ? ` (exit ${t.exitCode})` : ''}`, fmt(t.wallSeconds), int(s.survey.lines / t.wallSeconds), fmt(t.peakRssMiB, 1), `${fmt(ratio, 1)}×`]);
      }
    }
    if (w.libs && !w.libs.skipped) {
      rows.push([`go-rubric check ${w.libs.root}`, fmt(w.libs.rubric.wallSeconds), int(w.libs.rubric.linesPerSecond), fmt(w.libs.rubric.peakRssMiB, 1), '']);
    }
    out.push(
      `Standard library (${s.paths.join(' ')} under ${s.root}): ${int(s.survey.files)} files, ${int(s.survey.lines)} lines (${int(s.survey.generatedFiles)} generated files, which the CLI skips, included)` +
        (w.libs && !w.libs.skipped ? `; libraries (${w.libs.root}): ${int(w.libs.survey.files)} files, ${int(w.libs.survey.lines)} lines` : w.libs?.skipped ? `; libraries: ${w.libs.skipped}` : '') +
        '. Lines/s for the Go tools use the same line count. Peak memory: the largest sum of VmRSS over the process tree, sampled every 50 ms (worker threads share their process’s RSS).',
    );
    out.push('');
    out.push(table(['command', 'wall s', 'lines/s', 'peak MiB', 'time / go-rubric'], rows));
  }

  if (r.server) {
    const sv = r.server;
    out.push('');
    out.push(`### 3. Server start-up and memory`);
    out.push('');
    const rows = [];
    rows.push([`spawn → initialize response (median of ${sv.startup.runs.length})`, `${fmt(sv.startup.initializeMs, 1)} ms`]);
    rows.push([`spawn → first diagnostics for ${sv.startup.file.path} (${sv.startup.file.lines} lines), median of ${sv.startup.runs.length}`, `${fmt(sv.startup.firstDiagnosticsMs, 1)} ms`]);
    const inh = sv.startup.inherited;
    if (inh) {
      const vars = inh.variables.map((v) => `\`${v}\``).join(', ');
      rows.push([`…the same, with this shell's ${vars} (a server started from a terminal or another editor): initialize / first diagnostics`, `${fmt(inh.initializeMs, 1)} / ${fmt(inh.firstDiagnosticsMs, 1)} ms`]);
    }
    rows.push([`RSS idle after initialize`, `${fmt(sv.openMemory.idleRssMiB, 1)} MiB`]);
    rows.push([`RSS after opening ${sv.openMemory.files} files (${int(sv.openMemory.lines)} lines, ${fmt(sv.openMemory.openAllMs / 1000, 1)} s)`, `${fmt(sv.openMemory.rssMiB, 1)} MiB`]);
    rows.push([`RSS with ${sv.editMemory.file.path} (${sv.editMemory.file.lines} lines) open`, `${fmt(sv.editMemory.openedRssMiB, 1)} MiB`]);
    for (const c of sv.editMemory.checkpoints) rows.push([`RSS after ${int(c.edits)} edits (${fmt(c.elapsedMs / 1000, 1)} s)`, `${fmt(c.rssMiB, 1)} MiB`]);
    const cps = sv.editMemory.checkpoints;
    rows.push([`RSS after ${int(cps[cps.length - 1].edits)} / after ${int(cps[0].edits)} edits`, `${fmt(sv.editMemory.ratio, 3)}×`]);
    out.push(table(['measure', 'value'], rows));
  }

  out.push('');
  out.push(`### Budgets (${r.mode === 'ci' ? 'CI regression thresholds' : 'issue 4'})`);
  out.push('');
  out.push(
    table(
      ['budget', 'limit', 'measured', 'result'],
      r.budgets.map((b) => [b.text, b.limit === null ? '(not checked)' : `${b.op} ${int(b.limit) === String(b.limit) || b.limit >= 1000 ? int(b.limit) : b.limit} ${b.unit}`, b.value === null ? '–' : `${b.value >= 1000 ? int(b.value) : fmt(b.value, b.unit === '×' ? 3 : 2)} ${b.unit}`, b.pass === null ? '–' : b.pass ? 'pass' : '**FAIL**']),
    ),
  );
  return out.join('\n');
}

export function renderDocs(r) {
  const tables = renderTables(r).split('\n').slice(1).join('\n').replace(/^### /gm, '## ');
  return `# Performance

<!-- Generated by \`node scripts/bench/run.mjs --write-docs\` (npm run bench -- --write-docs) from
bench/results/latest.json; do not edit by hand. -->

Go Rubric's performance budgets come from issue 4 ("Done when"); they are defined in
one place, \`scripts/bench/budgets.json\`, with the looser thresholds that CI checks.

## How to reproduce

\`\`\`sh
npm install
npm run bench                     # full run (~10 min with go vet and staticcheck), writes bench/results/latest.json
npm run bench -- --write-docs     # …and regenerates this page
npm run bench -- --no-libs --no-go-tools --skip server   # parts only
npm run bench:ci                  # short run (< 2 min); exits 1 when a CI threshold is broken
\`\`\`

The script rebuilds the server and CLI (\`node scripts/build.mjs\`) first, then measures from
outside: keystrokes through \`node --v8-pool-size=1 server/out/server.js --stdio\` (one JSON-RPC client, the time from
writing a \`didChange\` to the arrival of the \`publishDiagnostics\` carrying that version; each edit
waits for its own publish, so nothing is coalesced; the package index's reader thread waits while a
keystroke is being checked and for 5 ms after, see server/src/lsp/foregroundGate.ts, so under this stream
of edits with no gaps the folders of the edited files are mostly read between files rather than during
their edits, whereas typing at human speed leaves the reader most of the time), the workspace pass through
\`node server/out/cli.js check\`. Corpus: the Go 1.19 standard library in \`/usr/share/go-1.19/src\`
(the CLI's folder filter: no \`testdata\`, \`vendor\`, hidden or \`_\` folders), the libraries in
\`/usr/share/gocode/src\` when installed. Keystroke files are non-test, non-generated: the 20 largest,
and 20 "typical" ones from the middle of the 800–3,000-line band. \`go vet std\` and
\`go-staticcheck std\` run with \`GOROOT=/usr/lib/go-1.19\`, \`GOFLAGS=-mod=mod\`, a temporary
\`GOPATH\` and a fresh \`GOCACHE\` (cold), then again with the same cache (warm). The edit-memory
run uses its own server with one file open, sends the edits in batches of separate \`didChange\`
notifications (each with its own version) and waits for the publish of each batch's last version;
RSS is the median of five \`/proc/<pid>/status\` samples after a second of idle. Servers are started
as the VS Code client starts them (client/src/serverEnvironment.ts): with its Node option
\`--v8-pool-size=1\` (one V8 helper thread instead of four, which leaves the other core to the editor),
and with the shell's environment without \`NODE_EXTRA_CA_CERTS\` (Node parses that certificate bundle at
boot, ~70 ms here, and the server has no use for it). Where the shell sets it, start-up is also measured with it, as a server
started from a terminal or by another editor would inherit it. Sections run in this order: keystrokes, start-up and
memory, then the workspace pass, whose go vet and staticcheck runs keep both cores busy for about eight minutes
(start-up measured after them was bimodal, 233-277 and 337-364 ms, on a build that measured 246 ms idle).

Every run writes \`bench/results/run-<date>-<mode>.json\` (ignored by git); full runs also write
\`bench/results/latest.json\` (committed, schema ${r.schema}), to compare over time.

## Latest results

${tables}
`;
}
