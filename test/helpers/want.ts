// Reads Go analysistest-style expectations: `// want "regexp"` (or `// want `regexp``) on the
// line where a finding is expected; several patterns on one line expect several findings.

export interface Want {
  line: number; // 0-based
  pattern: RegExp;
  source: string;
}

const WANT = /\/\/ want\s+(.*)$/;
const PATTERN = /"((?:[^"\\]|\\.)*)"|`([^`]*)`/g;

export function readWants(text: string): Want[] {
  const wants: Want[] = [];
  text.split(/\r?\n/).forEach((lineText, line) => {
    const match = WANT.exec(lineText);
    if (!match) return;
    for (const p of match[1]!.matchAll(PATTERN)) {
      const source = p[1] !== undefined ? JSON.parse(`"${p[1]}"`) as string : p[2]!;
      wants.push({ line, pattern: new RegExp(source), source });
    }
  });
  return wants;
}

export interface Got {
  line: number;
  message: string;
}

/** Matches findings to wants one to one; returns human-readable problems (empty when all match). */
export function compareWants(wants: Want[], got: Got[]): string[] {
  const problems: string[] = [];
  const unmatched = [...wants];
  for (const g of got) {
    const i = unmatched.findIndex((w) => w.line === g.line && w.pattern.test(g.message));
    if (i >= 0) unmatched.splice(i, 1);
    else problems.push(`line ${g.line + 1}: unexpected finding: ${g.message}`);
  }
  for (const w of unmatched) problems.push(`line ${w.line + 1}: no finding matching /${w.source}/`);
  return problems;
}
