// The checkstyle XML format, which Jenkins, GitLab converters, reviewdog and many other CI tools
// read: a <file> per file with findings (in output order), an <error> per finding. Severities map
// to checkstyle's error, warning and info (information and hint); `source` is go-rubric.<code>.
// Lines and columns are those of the text format (1-based, byte columns). Files that could not be
// checked are reported on stderr only.
import type { Severity } from '../../engine/types';
import type { FindingRecord } from '../checkFile';
import type { FormatContext, Formatter } from './formatter';

const SEVERITY: Record<Severity, 'error' | 'warning' | 'info'> = { error: 'error', warning: 'warning', information: 'info', hint: 'info' };

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };

/**
 * Text as an XML 1.0 attribute value: markup characters as entities, tabs and line breaks as
 * character references (a raw one would be read back as a space), and what XML 1.0 cannot hold at
 * all (other control characters, lone surrogates) as U+FFFD.
 */
export function xmlAttribute(text: string): string {
  return text
    .replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/[&<>"'\t\n\r]/g, (c) => ENTITIES[c]!);
}

export function checkstyleFormatter(context: FormatContext): Formatter {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<checkstyle version="4.3">'];
  let open: string | undefined;
  return {
    finding(f: FindingRecord) {
      if (f.path !== open) {
        if (open !== undefined) lines.push('  </file>');
        lines.push(`  <file name="${xmlAttribute(f.path)}">`);
        open = f.path;
      }
      lines.push(
        `    <error line="${f.line}" column="${f.column}" severity="${SEVERITY[f.severity]}" message="${xmlAttribute(f.message)}" source="go-rubric.${xmlAttribute(f.code)}"/>`,
      );
    },
    end() {
      if (open !== undefined) lines.push('  </file>');
      lines.push('</checkstyle>');
      context.out(lines.join('\n'));
    },
  };
}
