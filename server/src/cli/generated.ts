// Recognises generated files from their first bytes, so that the CLI need not parse them: the
// engine gives a generated file no findings, but only learns that it is generated after a full
// parse, and generated files are large (29% of the Go standard library's bytes, 72% of a typical
// vendored library corpus) and make the wasm heap grow for good.
//
// It uses the engine's own test (isGeneratedHeader in server/src/engine/fileFacts.ts) on the same
// header, the text before the package clause, found here without a parse. It answers only when the
// file plainly starts with comments and blank space followed by `package`; anything else is left
// to the parser. test/cli.test.ts checks the agreement on edge cases and on the standard library.

import { isGeneratedHeader } from '../engine/fileFacts';

/** The text before the package clause, when only comments and blank space precede `package`. */
export function headerBeforePackage(text: string): string | undefined {
  let i = 0;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
      i++;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2f) {
      const eol = text.indexOf('\n', i);
      if (eol < 0) return undefined;
      i = eol + 1;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return undefined;
      i = end + 2;
    } else {
      break;
    }
  }
  // `package`, blank space, and the start of an identifier: a package clause the parser will see.
  return /^package[ \t]+[\p{L}_]/u.test(text.slice(i, i + 64)) ? text.slice(0, i) : undefined;
}

/** True when the file is certainly generated; false when it is not or when only a parse can tell. */
export function isPlainlyGenerated(text: string): boolean {
  const header = headerBeforePackage(text);
  return header !== undefined && isGeneratedHeader(header);
}
