// Parses a Go fmt format string the way fmt does, mapping each verb to the argument it consumes,
// with exact offsets into the literal's source text. Explicit argument indexes ([n]) and '*'
// widths are honoured; a format fmt itself would reject yields `ok: false`.

export interface FormatVerb {
  /** The verb letter, e.g. "v", "w", "s". */
  verb: string;
  /** Offsets of the whole directive ("%-8v") within the parsed source text. */
  start: number;
  end: number;
  /** True when the directive has flags, width or precision ("%+v", "%8s"). */
  decorated: boolean;
  /** Zero-based index of the operand among the arguments after the format. */
  argIndex: number;
}

export interface ParsedFormat {
  ok: boolean;
  verbs: FormatVerb[];
}

const FLAGS = '+-# 0';

export function parseFormat(source: string): ParsedFormat {
  const verbs: FormatVerb[] = [];
  let arg = 0;
  let i = 0;
  while (i < source.length) {
    if (source[i] !== '%') {
      i++;
      continue;
    }
    const start = i;
    i++;
    if (source[i] === '%') {
      i++;
      continue;
    }
    let decorated = false;
    while (i < source.length && FLAGS.includes(source[i]!)) {
      decorated = true;
      i++;
    }
    const readIndex = (): boolean => {
      if (source[i] !== '[') return true;
      const close = source.indexOf(']', i);
      const n = Number(source.slice(i + 1, close));
      if (close < 0 || !Number.isInteger(n) || n < 1) return false;
      arg = n - 1;
      i = close + 1;
      return true;
    };
    const readNumberOrStar = (): void => {
      if (source[i] === '*') {
        arg++;
        i++;
        decorated = true;
        return;
      }
      while (i < source.length && source[i]! >= '0' && source[i]! <= '9') {
        decorated = true;
        i++;
      }
    };
    if (!readIndex()) return { ok: false, verbs };
    readNumberOrStar();
    if (source[i] === '.') {
      decorated = true;
      i++;
      if (!readIndex()) return { ok: false, verbs };
      readNumberOrStar();
    }
    if (!readIndex()) return { ok: false, verbs };
    if (i >= source.length) return { ok: false, verbs };
    // Verbs are single runes; a backslash here is an escape sequence in the source, not a verb.
    const cp = source.codePointAt(i)!;
    const verb = String.fromCodePoint(cp);
    if (verb === '\\' || verb === '"' || verb === '`') return { ok: false, verbs };
    i += verb.length;
    verbs.push({ verb, start, end: i, decorated, argIndex: arg });
    arg++;
  }
  return { ok: true, verbs };
}
