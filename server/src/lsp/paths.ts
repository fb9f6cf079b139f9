// File paths of document URIs: only file: URIs have one (untitled buffers and virtual files do not).
import { fileURLToPath } from 'node:url';

export function pathOption(uri: string): { path?: string } {
  if (!uri.startsWith('file:')) return {};
  try {
    return { path: fileURLToPath(uri) };
  } catch {
    return {};
  }
}
