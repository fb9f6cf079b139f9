// The glob syntax of Go Rubric's settings, compiled to regular expressions: rule keys
// (`GR2*`, `GR10?`) and exclude patterns (`**/*_mock.go`, `internal/gen/**`). Deliberately small,
// so that it can be documented in a sentence and has no surprises:
//
// - `*` matches any run of characters except `/`, `?` one character except `/`;
// - `**` as a whole path segment matches any number of segments, none included (`**/x`, `a/**/b`,
//   `a/**`); elsewhere (`a**b`) it is a plain `*`;
// - every other character stands for itself. `[`, `]`, `{`, `}`, `\` and a leading `!` are refused
//   with a message rather than taken literally, since users would expect gitignore's classes,
//   braces, escapes or negation from them.
//
// Exclude patterns follow gitignore where it matters: a pattern without a `/` (other than a
// trailing one) matches at any depth (`*_mock.go` is `**/*_mock.go`); a pattern with one is
// anchored at the base folder; a pattern matching a folder excludes everything inside it; a
// trailing `/` matches folders only. Patterns must be relative and stay inside the base folder.
import { isAbsolute, relative, sep } from 'node:path';

const UNSUPPORTED = /[[\]{}\\]/;

/** The regular expression source for one path segment (or a rule key): no anchors. */
function segmentSource(glob: string): string {
  let source = '';
  for (const ch of glob.replace(/\*{2,}/g, '*')) {
    if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else source += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return source;
}

/** Whether a rule key is a glob (rather than a code, a name or a phase). */
export function isGlob(key: string): boolean {
  return key.includes('*') || key.includes('?');
}

/** A rule-key glob, matched case-insensitively against a whole code or name. */
export function keyGlob(pattern: string): RegExp {
  return new RegExp(`^${segmentSource(pattern)}$`, 'i');
}

/** One compiled exclude pattern. */
export interface PathGlob {
  /** As written. */
  readonly pattern: string;
  /** Whether the pattern matches a path relative to its base folder (`/`-separated). */
  matches(relativePath: string): boolean;
}

/**
 * Compiles an exclude pattern, or says what is wrong with it (one sentence, naming the pattern):
 * empty, absolute, leaving the base folder with `..`, or using syntax this matcher does not have.
 */
export function compilePathGlob(pattern: string): PathGlob | { problem: string } {
  const quoted = JSON.stringify(pattern);
  if (pattern.trim() === '') return { problem: 'an exclude pattern is empty' };
  if (pattern.startsWith('/') || pattern.startsWith('~') || /^[A-Za-z]:/.test(pattern) || isAbsolute(pattern)) {
    return { problem: `exclude pattern ${quoted} is absolute; patterns are relative to the folder (write ${JSON.stringify(pattern.replace(/^(?:[A-Za-z]:)?[/\\~]+/, ''))})` };
  }
  if (pattern.startsWith('!')) return { problem: `exclude pattern ${quoted}: negation ("!") is not supported` };
  const bad = UNSUPPORTED.exec(pattern);
  if (bad) return { problem: `exclude pattern ${quoted}: "${bad[0]}" is not supported (only *, ? and ** are special)` };
  let body = pattern;
  const fromBase = body.startsWith('./');
  while (body.startsWith('./')) body = body.slice(2);
  const folderOnly = body.endsWith('/');
  if (folderOnly) body = body.slice(0, -1);
  const segments = body.split('/');
  if (segments.includes('..')) return { problem: `exclude pattern ${quoted} leaves the folder with ".."; patterns are confined to it` };
  if (body === '' || segments.some((s) => s === '' || s === '.')) return { problem: `exclude pattern ${quoted} has an empty or "." path segment` };

  // A pattern with no slash matches at any depth, as in gitignore; `./x` is anchored.
  const anchored = fromBase || segments.length > 1;
  let source = anchored ? '' : '(?:.*/)?';
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (segment === '**') source += last ? '.*' : '(?:.*/)?';
    else source += segmentSource(segment) + (last ? '' : '/');
  });
  const regex = new RegExp(`^${source}$`);
  return {
    pattern,
    matches(relativePath: string): boolean {
      // The path itself (unless only folders match), or any folder on the way to it.
      const parts = relativePath.split('/');
      const from = folderOnly ? parts.length - 1 : parts.length;
      for (let n = from; n >= 1; n--) if (regex.test(parts.slice(0, n).join('/'))) return true;
      return false;
    },
  };
}

/** Exclude patterns that share a base folder. */
export class PathExcluder {
  constructor(
    readonly base: string,
    readonly globs: readonly PathGlob[],
  ) {}

  /** Whether an absolute path inside the base folder matches one of the patterns (outside it, never). */
  excludes(path: string): boolean {
    if (this.globs.length === 0) return false;
    const rel = relativeWithin(this.base, path);
    if (!rel) return false;
    const slashed = sep === '/' ? rel : rel.split(sep).join('/');
    return this.globs.some((glob) => glob.matches(slashed));
  }
}

/** `path` relative to `dir` when it is inside it ('' for `dir` itself), else undefined. */
export function relativeWithin(dir: string, path: string): string | undefined {
  const rel = relative(dir, path);
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel) ? undefined : rel;
}

/** Whether `path` is `dir` or inside it. */
export function isWithin(dir: string, path: string): boolean {
  return relativeWithin(dir, path) !== undefined;
}

/** Compiles patterns for one base folder; the ones that do not compile come back as problems. */
export function pathExcluder(base: string, patterns: readonly string[]): { excluder: PathExcluder; problems: string[] } {
  const globs: PathGlob[] = [];
  const problems: string[] = [];
  for (const pattern of patterns) {
    const compiled = compilePathGlob(pattern);
    if ('problem' in compiled) problems.push(compiled.problem);
    else globs.push(compiled);
  }
  return { excluder: new PathExcluder(base, globs), problems };
}
