// Go string literals read as a sequence of characters, each with the source span it came from,
// so that a rule can ask what a literal's value starts or ends with and edit exactly the source
// that spells it (an escape such as `\n` is two source characters for one value character).
import type { Node } from 'web-tree-sitter';
import { isStringLiteral } from '../engine/syntax';

export interface StringUnit {
  /** The value this unit contributes ("" for a carriage return dropped from a raw string). */
  value: string;
  /** Offsets in the file text: [start, end) of the source spelling of this unit. */
  start: number;
  end: number;
  /** Whether the unit is spelled as an escape sequence rather than as itself. */
  escaped: boolean;
}

/** Source length of the escape starting with the backslash at `i` (`\n`, `\x41`, `\u00e9`, `\101`). */
function escapeLength(source: string, i: number): number {
  const kind = source[i + 1];
  if (kind === 'x') return 4;
  if (kind === 'u') return 6;
  if (kind === 'U') return 10;
  if (kind !== undefined && kind >= '0' && kind <= '7') return 4;
  return 2;
}

/** The value of a one-character escape; longer escapes are decoded as well, for completeness. */
function escapeValue(escape: string): string {
  const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"' };
  const kind = escape[1]!;
  if (kind in simple) return simple[kind]!;
  const digits = escape.slice(2);
  const code = kind === 'x' || kind === 'u' || kind === 'U' ? parseInt(digits, 16) : parseInt(escape.slice(1), 8);
  return Number.isNaN(code) || code > 0x10ffff ? '' : String.fromCodePoint(code);
}

/**
 * The characters of a string literal node, or undefined when it is not a string literal. Raw
 * strings drop carriage returns, as the Go compiler does, so a CRLF file gives the same value.
 */
export function stringUnits(literal: Node): StringUnit[] | undefined {
  if (!isStringLiteral(literal)) return undefined;
  const raw = literal.type === 'raw_string_literal';
  const source = literal.text.slice(1, -1);
  const base = literal.startIndex + 1;
  const units: StringUnit[] = [];
  for (let i = 0; i < source.length; ) {
    const code = source.codePointAt(i)!;
    const width = code > 0xffff ? 2 : 1;
    if (!raw && source[i] === '\\') {
      const length = escapeLength(source, i);
      units.push({ value: escapeValue(source.slice(i, i + length)), start: base + i, end: base + i + length, escaped: true });
      i += length;
      continue;
    }
    const value = raw && source[i] === '\r' ? '' : source.slice(i, i + width);
    units.push({ value, start: base + i, end: base + i + width, escaped: false });
    i += width;
  }
  return units;
}

/** The value of a literal's units. */
export function unitsValue(units: readonly StringUnit[]): string {
  return units.map((u) => u.value).join('');
}
