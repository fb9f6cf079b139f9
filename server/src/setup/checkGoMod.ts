// Runs the go.mod rules on a go.mod text: for the editor (an open go.mod) and the CLI. Findings
// use the engine's Finding shape (UTF-16 offsets), so the LSP conversions, fixes and hovers are
// the same as for Go files; rubric directives in go.mod comments silence them as in Go files.
import { effectiveSeverity, type RuleConfig } from '../engine/config';
import { buildSuppressions, directiveIn, isSuppressed } from '../engine/suppression';
import type { Finding } from '../engine/types';
import { LineIndex } from '../text/positions';
import { parseGoMod } from './goModFile';
import type { ModuleRule } from './setupRule';

export function checkGoModText(
  text: string,
  hasGoSum: boolean | undefined,
  config: RuleConfig,
  rules: readonly ModuleRule[],
  log: (message: string) => void = () => undefined,
): Finding[] {
  const mod = parseGoMod(text);
  const findings: Finding[] = [];
  for (const rule of rules) {
    const severity = effectiveSeverity(config, rule, undefined);
    if (severity === 'off') continue;
    try {
      rule.checkModule({
        mod,
        hasGoSum,
        report: (r) => findings.push({ code: rule.meta.code, start: r.start, end: r.end, message: r.message, severity, fix: r.fix, related: undefined }),
      });
    } catch (error) {
      log(`rule ${rule.meta.code} (${rule.meta.name}) failed on a go.mod and was skipped: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
  findings.sort((a, b) => a.start - b.start || a.code.localeCompare(b.code));
  if (findings.length === 0 || mod.comments.length === 0) return findings;
  // `//rubric:ignore GR004 reason` at the end of the line, or alone on the line above; file-ignore anywhere.
  const directives = mod.comments.flatMap((c) => directiveIn(c.text, c.start, rules) ?? []);
  if (directives.length === 0) return findings;
  const index = new LineIndex(text);
  const suppressions = buildSuppressions(directives, index);
  return findings.filter((f) => !isSuppressed(f, suppressions, index));
}
