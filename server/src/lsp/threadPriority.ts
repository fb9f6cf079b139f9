// Lowers the scheduling priority of the calling thread, where the OS allows it per thread.
//
// The package index's reader thread competes for the CPU with the server's thread, the editor
// and V8's own helpers; on a 2-core machine a folder read (tens of milliseconds of parsing)
// running beside a keystroke's check was measured to delay its diagnostics. The index can wait:
// at the lowest priority it takes only CPU time nothing more urgent wants.
import { readlinkSync } from 'node:fs';
import { constants, setPriority } from 'node:os';

/**
 * On Linux, a nice value is a per-thread attribute and setpriority(PRIO_PROCESS, tid) changes only
 * that thread; /proc/thread-self names the calling thread's id. Elsewhere (macOS, Windows) the
 * call would lower the whole process, so nothing is done. Returns whether the priority was lowered.
 */
export function lowerThisThreadPriority(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0 || tid === process.pid) return false;
    setPriority(tid, constants.priority.PRIORITY_LOW);
    return true;
  } catch {
    // No /proc, or not permitted: the thread keeps its priority.
    return false;
  }
}
