// Runs the go.mod rules on a go.mod text: for the editor (an open go.mod) and the CLI. Findings
// use the engine's Finding shape (UTF-16 offsets), so the LSP conversions, fixes and hovers are
// the same as for Go files; rubric directives in go.mod comments silence them as in Go files.
import { effectiveSeverity, findRule, type RuleConfig } from '../engine/config';
import type { Finding } from '../engine/types';
import { LineIndex } from '../text/positions';
import { parseGoMod } from './goModFile';
import type { ModuleRule } from './setupRule';

const DIRECTIVE = /^\/\/rubric:(ignore|file-ignore)\s+([A-Za-z0-9_,-]+)/;

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
  const index = new LineIndex(text);
  const fileCodes = new Set<string>();
  const lineCodes = new Map<number, Set<string>>();
  for (const comment of mod.comments) {
    const match = DIRECTIVE.exec(comment.text);
    if (!match) continue;
    const codes = match[2]!.split(',').flatMap((key) => findRule(rules, key)?.meta.code ?? []);
    if (match[1] === 'file-ignore') {
      for (const code of codes) fileCodes.add(code);
      continue;
    }
    const { line, character } = index.positionAt(comment.start);
    const target = index.lineText(line).slice(0, character).trim() === '' ? line + 1 : line;
    const set = lineCodes.get(target) ?? new Set<string>();
    for (const code of codes) set.add(code);
    lineCodes.set(target, set);
  }
  return findings.filter((f) => !fileCodes.has(f.code) && !lineCodes.get(index.positionAt(f.start).line)?.has(f.code));
}
