// The rubric report as markdown: the five phases as sections, each rubric item (rule) with its
// state — met, its findings with counts and the first places, not applicable, or turned off — the
// project-setup facts of phase 0, and a score per phase. The same text is printed by
// `go-rubric report` (for a pull-request comment) and shown by the editor's report command.
import { relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FindingRecord } from '../cli/checkFile';
import { effectiveSeverity } from '../engine/config';
import { PHASES, type RuleInfo, type Severity } from '../engine/types';
import { LINT_CONFIGS, TASK_RUNNERS } from '../rules/gr006-no-lint-setup';
import type { ReportData } from './collect';

export interface RenderOptions {
  /** How places are linked: paths relative to `cwd` (CLI), or file URIs (the editor's preview). */
  links: { kind: 'relative'; cwd: string } | { kind: 'uri' };
  version: string;
  /** The date shown in the header (a parameter so that tests are stable). */
  date: string;
}

const PHASE_TITLES: Record<(typeof PHASES)[number], string> = {
  setup: 'Phase 0: project setup',
  idioms: 'Phase 1: idioms (errors, interfaces, composition, initialization)',
  concurrency: 'Phase 2: concurrency (goroutines, channels, context, locks)',
  testing: 'Phase 3: testing',
  production: 'Phase 4: production readiness',
};

/** Places listed per rule; the rest are counted. */
const FIRST_PLACES = 3;
const CI_CONFIGS = ['.github', '.gitlab-ci.yml', '.circleci', '.travis.yml', 'Jenkinsfile', 'azure-pipelines.yml', 'bitbucket-pipelines.yml'];

type ItemState =
  | { kind: 'met' }
  | { kind: 'findings'; count: number; bySeverity: Map<Severity, number>; places: string[] }
  | { kind: 'not-applicable'; why: string }
  | { kind: 'off' };

export function renderReport(data: ReportData, catalog: readonly RuleInfo[], options: RenderOptions): string {
  const byCode = new Map<string, FindingRecord[]>();
  for (const f of data.findings) {
    const list = byCode.get(f.code) ?? [];
    list.push(f);
    byCode.set(f.code, list);
  }
  for (const list of byCode.values()) list.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line || a.column - b.column);
  const link = (path: string, line?: number) => placeLink(path, line, options);

  const stateOf = (rule: RuleInfo): ItemState => {
    if (effectiveSeverity(data.config, rule, undefined) === 'off') return { kind: 'off' };
    const workspace = data.workspaceFindings.get(rule.meta.code);
    if (workspace) {
      if (data.layouts.every((l) => l.modules.length === 0)) return { kind: 'not-applicable', why: 'no go.mod in the workspace' };
      if (workspace.length === 0) return { kind: 'met' };
      return { kind: 'findings', count: workspace.length, bySeverity: new Map([[rule.meta.severity, workspace.length]]), places: workspace.slice(0, FIRST_PLACES).map((w) => `${link(w.path)}: ${w.message}`) };
    }
    const found = byCode.get(rule.meta.code) ?? [];
    if (found.length > 0) {
      const bySeverity = new Map<Severity, number>();
      for (const f of found) bySeverity.set(f.severity, (bySeverity.get(f.severity) ?? 0) + 1);
      return { kind: 'findings', count: found.length, bySeverity, places: found.slice(0, FIRST_PLACES).map((f) => `${link(f.path, f.line)}: ${f.message}`) };
    }
    const why = notApplicable(rule, data);
    return why ? { kind: 'not-applicable', why } : { kind: 'met' };
  };

  const sections: string[] = [];
  const scores: { phase: (typeof PHASES)[number]; met: number; applicable: number; findings: number }[] = [];
  for (const phase of PHASES) {
    const rules = catalog.filter((r) => r.meta.phase === phase);
    if (rules.length === 0) continue;
    const states = rules.map((rule) => ({ rule, state: stateOf(rule) }));
    const applicable = states.filter((s) => s.state.kind === 'met' || s.state.kind === 'findings');
    const met = applicable.filter((s) => s.state.kind === 'met').length;
    const findings = states.reduce((n, s) => n + (s.state.kind === 'findings' ? s.state.count : 0), 0);
    scores.push({ phase, met, applicable: applicable.length, findings });
    const lines = [`## ${PHASE_TITLES[phase]}`, '', `Score: ${scoreText(met, applicable.length)}`, ''];
    if (phase === 'setup') lines.push(...setupFacts(data, link), '');
    lines.push('| | item | state |', '|---|---|---|');
    for (const { rule, state } of states) lines.push(`| ${mark(state)} | **${rule.meta.code}** ${rule.meta.name}: ${escapeCell(rule.meta.summary)} | ${stateText(state)} |`);
    const detailed = states.filter((s) => s.state.kind === 'findings');
    if (detailed.length > 0) {
      lines.push('', '<details><summary>First places</summary>', '');
      for (const { rule, state } of detailed) {
        if (state.kind !== 'findings') continue;
        lines.push(`**${rule.meta.code} ${rule.meta.name}**`, '');
        for (const place of state.places) lines.push(`- ${place}`);
        if (state.count > state.places.length) lines.push(`- … and ${state.count - state.places.length} more`);
        lines.push('');
      }
      lines.push('</details>');
    }
    sections.push(lines.join('\n'));
  }

  const where = data.roots.map((root) => `\`${displayRoot(root, options)}\``).join(', ');
  const totalMet = scores.reduce((n, s) => n + s.met, 0);
  const totalApplicable = scores.reduce((n, s) => n + s.applicable, 0);
  const header = [
    `# Go Rubric report: ${where}`,
    '',
    `${count(data.files, 'Go file')} (${count(data.testFiles, 'test file')}) and ${count(data.goMods, 'go.mod file')} checked by go-rubric ${options.version} on ${options.date}, in ${(data.ms / 1000).toFixed(1)} s.`,
    '',
    `**Overall: ${scoreText(totalMet, totalApplicable)}** of the rubric items that apply.`,
    '',
    '| phase | score | findings |',
    '|---|---|---:|',
    ...scores.map((s) => `| ${PHASE_TITLES[s.phase].replace(/ \(.*\)$/, '')} | ${scoreText(s.met, s.applicable)} | ${s.findings.toLocaleString('en-US')} |`),
  ];
  const problems =
    data.problems.length === 0
      ? []
      : ['## Files that could not be checked', '', ...data.problems.slice(0, 20).map((p) => `- ${link(p.path)}: ${p.message}`), ...(data.problems.length > 20 ? [`- … and ${data.problems.length - 20} more`] : [])];
  const footer = ['---', '', 'Each item is a rule of the Go Rubric catalog; `go-rubric explain <code>` prints its documentation. ✅ met · ❌/⚠️/ℹ️/💡 findings by their highest severity · ➖ not applicable · ⏸ turned off in the settings.'];
  return [header.join('\n'), ...sections, ...(problems.length ? [problems.join('\n')] : []), footer.join('\n')].join('\n\n') + '\n';
}

/** Why a rule without findings does not apply to the workspace, if it does not. */
function notApplicable(rule: RuleInfo, data: ReportData): string | undefined {
  if (!('visit' in rule)) return data.goMods === 0 ? 'no go.mod in the workspace' : undefined;
  if (rule.meta.phase === 'testing' && data.testFiles === 0) return 'no _test.go files';
  if (data.files === 0) return 'no Go files';
  // A rule whose file precondition held for no file (no file serves HTTP, no file imports sync, ...).
  if (!data.applicable.has(rule.meta.code)) return 'nothing in the workspace it looks at';
  return undefined;
}

function setupFacts(data: ReportData, link: (path: string, line?: number) => string): string[] {
  const lines = ['**Workspace facts**', ''];
  const modules = data.layouts.flatMap((l) => l.modules);
  if (modules.length === 0) lines.push('- Modules: none (no go.mod under the checked folders)');
  const shown = modules.slice(0, 10);
  for (const m of shown) {
    const commands = m.mainPackages.length === 0 ? 'no commands' : `${count(m.mainPackages.length, 'command')} (${m.mainPackages.slice(0, 4).map((d) => (d === '' ? 'the root' : `${d}/`)).join(', ')}${m.mainPackages.length > 4 ? ', …' : ''})`;
    const setup = (names: readonly string[]) => names.filter((n) => m.files.has(n));
    const lint = setup(LINT_CONFIGS);
    const tasks = setup(TASK_RUNNERS);
    const ci = setup(CI_CONFIGS);
    lines.push(
      `- Module \`${m.path ?? '(no module line)'}\` at ${link(m.dir)}: go ${m.goVersion ?? '(no go directive)'}, go.sum ${m.hasGoSum ? 'present' : 'missing'}; ` +
        `${count(m.packages, 'package')}, ${commands}${m.files.has('internal') ? ', internal/' : ''}; ` +
        `lint: ${lint.join(', ') || 'none'}; build: ${tasks.join(', ') || 'none'}; CI: ${ci.join(', ') || 'none'}`,
    );
  }
  if (modules.length > shown.length) lines.push(`- … and ${modules.length - shown.length} more modules`);
  const outside = data.findings.filter((f) => f.code === 'GR001').length;
  if (outside > 0) lines.push(`- Go files outside any module: ${outside}`);
  return lines;
}

function stateText(state: ItemState): string {
  switch (state.kind) {
    case 'met':
      return 'met';
    case 'off':
      return 'off';
    case 'not-applicable':
      return `not applicable: ${state.why}`;
    case 'findings': {
      const parts = (['error', 'warning', 'information', 'hint'] as const).filter((s) => state.bySeverity.has(s)).map((s) => `${state.bySeverity.get(s)!.toLocaleString('en-US')} ${s}`);
      return `${count(state.count, 'finding')} (${parts.join(', ')})`;
    }
  }
}

function mark(state: ItemState): string {
  if (state.kind === 'met') return '✅';
  if (state.kind === 'off') return '⏸';
  if (state.kind === 'not-applicable') return '➖';
  if (state.bySeverity.has('error')) return '❌';
  if (state.bySeverity.has('warning')) return '⚠️';
  if (state.bySeverity.has('information')) return 'ℹ️';
  return '💡';
}

function scoreText(met: number, applicable: number): string {
  if (applicable === 0) return 'nothing applies';
  return `${met}/${applicable} items met (${Math.round((100 * met) / applicable)}%)`;
}

function placeLink(path: string, line: number | undefined, options: RenderOptions): string {
  if (options.links.kind === 'uri') {
    const label = line === undefined ? path : `${path}:${line}`;
    return `[${escapeLabel(label)}](${pathToFileURL(path).href}${line === undefined ? '' : `#L${line}`})`;
  }
  const rel = (relative(options.links.cwd, path) || '.').split(sep).join('/');
  const label = line === undefined ? rel : `${rel}:${line}`;
  return `[${escapeLabel(label)}](${encodeURI(rel)}${line === undefined ? '' : `#L${line}`})`;
}

function displayRoot(root: string, options: RenderOptions): string {
  return options.links.kind === 'relative' ? relative(options.links.cwd, root) || '.' : root;
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function escapeLabel(text: string): string {
  return text.replace(/[[\]]/g, '\\$&');
}
