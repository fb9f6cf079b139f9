// Identifier characters in Go source text, read without building a string per character: the
// anchored rules test the characters around every occurrence of their anchors.

const WORD_CHAR = /[\p{L}\p{N}_]/u;

/** Whether the character at `i` continues an identifier (a letter, a digit or `_`); false out of range. */
export function isWordCharAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
  // NaN (out of range) fails both tests above and lands here: text[i] is then undefined.
  return i >= 0 && i < text.length && WORD_CHAR.test(text[i]!);
}
