// Messages between the language server's package index (packageIndexer.ts) and its reader thread
// (indexWorker.ts).
import type { FileSummary } from '../engine/packageSummary';

export type IndexRequest =
  /** Read a folder's .go files (unless `files` is false: read already) and list its subfolders, when `recurse`. */
  | { kind: 'folder'; id: number; dir: string; recurse: boolean; files: boolean }
  /** Read one file again (it changed on disk, or its buffer was closed). */
  | { kind: 'reread'; id: number; path: string };

export type IndexReply =
  /** One file of the folder being read. */
  | { kind: 'file'; id: number; path: string; summary: FileSummary }
  /** The folder's end: every file of it has been sent. `error` when reading it failed. */
  | { kind: 'folder'; id: number; dir: string; subdirs: string[]; error?: string }
  /** A re-read file: undefined when it is gone or unreadable. */
  | { kind: 'reread'; id: number; path: string; summary: FileSummary | undefined };
