// The text format (the default): one line per finding, `path:line:col: GRxxx name: message`, with
// 1-based lines and byte columns as the Go tools print them, so that editors and terminals can jump
// to it; coloured on a terminal. The summary goes to stderr: the totals, then a line per rule with
// its findings per severity.
import type { FindingRecord } from '../checkFile';
import type { Severity } from '../../engine/types';
import type { FormatContext, Formatter, RunEnd } from './formatter';

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'information', 'hint'];

const RESET = '\x1b[0m';
const BOLD = '\x1b[1m';
const DIM = '\x1b[2m';
const SEVERITY_COLOR: Record<Severity, string> = { error: '\x1b[31m', warning: '\x1b[33m', information: '\x1b[36m', hint: '\x1b[2m' };

/**
 * Whether to colour stdout: only a terminal, and never when NO_COLOR is set to anything but the
 * empty string (no-color.org) or the terminal says it is dumb. Pipes and files never get colour.
 */
export function colorWanted(isTerminal: boolean, env: NodeJS.ProcessEnv): boolean {
  return isTerminal && !env.NO_COLOR && env.TERM !== 'dumb';
}

export function textLine(f: FindingRecord, color: boolean): string {
  if (!color) return `${f.path}:${f.line}:${f.column}: ${f.code} ${f.name}: ${f.message}`;
  return `${BOLD}${f.path}:${f.line}:${f.column}:${RESET} ${SEVERITY_COLOR[f.severity]}${f.code}${RESET} ${DIM}${f.name}:${RESET} ${f.message}`;
}

/** Counts findings per rule and severity, for the summary. */
export class FindingTally {
  total = 0;
  private readonly bySeverity = new Map<Severity, number>();
  private readonly byRule = new Map<string, { name: string; counts: Map<Severity, number> }>();

  add(f: FindingRecord): void {
    this.total++;
    this.bySeverity.set(f.severity, (this.bySeverity.get(f.severity) ?? 0) + 1);
    let rule = this.byRule.get(f.code);
    if (!rule) this.byRule.set(f.code, (rule = { name: f.name, counts: new Map() }));
    rule.counts.set(f.severity, (rule.counts.get(f.severity) ?? 0) + 1);
  }

  /** `go-rubric: 3 findings (1 warning, 2 information) in 2 files`, then a line per rule in code order. */
  summary(fileCount: number): string {
    const files = `${fileCount} file${fileCount === 1 ? '' : 's'}`;
    if (this.total === 0) return `go-rubric: no findings in ${files}`;
    const lines = [`go-rubric: ${this.total} finding${this.total === 1 ? '' : 's'} (${perSeverity(this.bySeverity)}) in ${files}`];
    const rules = [...this.byRule].sort(([a], [b]) => a.localeCompare(b));
    const width = Math.max(...rules.map(([code, r]) => code.length + 1 + r.name.length));
    for (const [code, rule] of rules) lines.push(`  ${`${code} ${rule.name}`.padEnd(width)}  ${perSeverity(rule.counts)}`);
    return lines.join('\n');
  }
}

function perSeverity(counts: ReadonlyMap<Severity, number>): string {
  return SEVERITIES.filter((s) => counts.has(s))
    .map((s) => `${counts.get(s)} ${s}`)
    .join(', ');
}

export function textFormatter(context: FormatContext): Formatter {
  const tally = new FindingTally();
  return {
    finding(f) {
      tally.add(f);
      context.out(textLine(f, context.color));
    },
    end(run: RunEnd) {
      context.err(tally.summary(run.files));
    },
  };
}
