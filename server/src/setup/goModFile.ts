// Reads a go.mod file the way cmd/go's modfile parser does, keeping offsets: directives written
// alone (`go 1.21`) or in blocks (`require ( ... )`), quoted or bare tokens, `//` comments. The
// setup rules point at the lines they concern, so every token keeps its place in the text
// (UTF-16 offsets, like the rest of the engine). A line that does not parse is kept with what it
// has: a go.mod being typed is still worth checking.

/** One token of a directive: its text (quotes removed) and where it is. */
export interface GoModToken {
  text: string;
  start: number;
  end: number;
}

/** One directive line: `go 1.21`, or one line of a `require ( ... )` block (verb "require"). */
export interface GoModDirective {
  verb: string;
  /** The tokens after the verb (for a block line, all of the line's tokens). */
  args: GoModToken[];
  /** From the verb (or, in a block, the line's first token) to the end of the last token. */
  start: number;
  end: number;
  /** The comment at the end of the line, without its `//`, if any (`// indirect`). */
  comment: string | undefined;
  /** Whether the line is inside a `verb ( ... )` block. */
  inBlock: boolean;
}

export interface GoModFile {
  text: string;
  directives: GoModDirective[];
  /** Every `//` comment with its offset (for rubric directives). */
  comments: { text: string; start: number }[];
}

// A token: a double-quoted string with escapes, a back-quoted string, `=>`, a parenthesis, or a
// run of anything else up to white space, a comment or a parenthesis.
const TOKEN = /"(?:[^"\\\n]|\\.)*"|`[^`\n]*`|=>|[()]|(?:(?!\/\/)[^\s()])+/g;

function unquote(token: string): string {
  if (token.startsWith('`')) return token.slice(1, -1);
  if (!token.startsWith('"')) return token;
  try {
    return JSON.parse(token) as string;
  } catch {
    return token.slice(1, -1);
  }
}

export function parseGoMod(text: string): GoModFile {
  const directives: GoModDirective[] = [];
  const comments: GoModFile['comments'] = [];
  let block: string | undefined;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd);
    const commentAt = commentStart(line);
    const code = commentAt < 0 ? line : line.slice(0, commentAt);
    const comment = commentAt < 0 ? undefined : line.slice(commentAt + 2).replace(/\r$/, '');
    if (comment !== undefined) comments.push({ text: `//${comment}`, start: lineStart + commentAt });
    const tokens: GoModToken[] = [];
    for (const match of code.matchAll(TOKEN)) {
      const start = lineStart + match.index;
      tokens.push({ text: unquote(match[0]), start, end: start + match[0].length });
    }
    if (tokens.length > 0) {
      const first = tokens[0]!;
      const last = tokens[tokens.length - 1]!;
      if (block !== undefined && first.text === ')') {
        block = undefined;
      } else if (block !== undefined) {
        directives.push({ verb: block, args: tokens, start: first.start, end: last.end, comment: comment?.trim(), inBlock: true });
      } else if (tokens.length === 2 && tokens[1]!.text === '(') {
        block = first.text;
      } else if (tokens.length === 3 && tokens[1]!.text === '(' && tokens[2]!.text === ')') {
        // `require ()`: an empty block.
      } else {
        directives.push({ verb: first.text, args: tokens.slice(1), start: first.start, end: last.end, comment: comment?.trim(), inBlock: false });
      }
    }
    lineStart = lineEnd + 1;
  }
  return { text, directives, comments };
}

/** Where a `//` comment starts on a line, outside quoted tokens; -1 when there is none. */
function commentStart(line: string): number {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === '`') {
      quote = c;
    } else if (c === '/' && line[i + 1] === '/') {
      return i;
    }
  }
  return -1;
}

/** The directives with a verb, in order. */
export function directivesOf(mod: GoModFile, verb: string): GoModDirective[] {
  return mod.directives.filter((d) => d.verb === verb);
}

/**
 * A replacement's target when it is a folder on this machine: `=> ../fork` or `=> /src/x`. cmd/go
 * takes a target for a local path when it starts with ./ or ../ or is absolute (also a Windows
 * drive or UNC path), and then it has no version.
 */
export function localReplacement(directive: GoModDirective): GoModToken | undefined {
  if (directive.verb !== 'replace') return undefined;
  const arrow = directive.args.findIndex((t) => t.text === '=>');
  const target = arrow >= 0 ? directive.args[arrow + 1] : undefined;
  if (!target || directive.args.length !== arrow + 2) return undefined;
  return isLocalPath(target.text) ? target : undefined;
}

function isLocalPath(path: string): boolean {
  return /^\.\.?(?:[/\\]|$)/.test(path) || path.startsWith('/') || /^[A-Za-z]:[/\\]/.test(path) || path.startsWith('\\\\');
}
