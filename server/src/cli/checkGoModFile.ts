// The CLI's check of one go.mod file (GR002-GR004), reported like a Go file's findings.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RuleConfig } from '../engine/config';
import { moduleRules } from '../rules';
import { checkGoModText } from '../setup/checkGoMod';
import { LineIndex } from '../text/positions';
import { locate, type FileReport } from './checkFile';

const NAMES = new Map(moduleRules.map((r) => [r.meta.code, r.meta.name]));

export function checkGoModFile(path: string, display: string, config: RuleConfig): FileReport {
  const report: FileReport = { findings: [], problems: [], logs: [] };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    report.problems.push(error instanceof Error ? error.message : String(error));
    return report;
  }
  const findings = checkGoModText(text, existsSync(join(dirname(path), 'go.sum')), config, moduleRules, (m) => report.logs.push(m));
  const index = new LineIndex(text);
  report.findings = findings.map((f) => locate(display, f, index, NAMES.get(f.code) ?? f.code));
  return report;
}
