// The one place where `check --format` picks its output format.
import { checkstyleFormatter } from './checkstyle';
import type { FormatContext, Formatter } from './formatter';
import { githubFormatter } from './github';
import { jsonFormatter } from './json';
import { sarifFormatter } from './sarif';
import { textFormatter } from './text';

export const FORMATS = {
  text: textFormatter,
  json: jsonFormatter,
  sarif: sarifFormatter,
  github: githubFormatter,
  checkstyle: checkstyleFormatter,
} satisfies Record<string, (context: FormatContext) => Formatter>;

export type Format = keyof typeof FORMATS;

export function isFormat(name: string): name is Format {
  return Object.hasOwn(FORMATS, name);
}

export function createFormatter(format: Format, context: FormatContext): Formatter {
  return FORMATS[format](context);
}
