// Process measurements from /proc: resident memory of a process and of its descendants, and a
// runner that times a command while polling the peak RSS of its whole process tree.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** { rssKiB, hwmKiB } from /proc/<pid>/status, or undefined when the process is gone. */
export function memoryOf(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const field = (name) => {
    const m = new RegExp(`^${name}:\\s*(\\d+) kB`, 'm').exec(text);
    return m ? Number(m[1]) : 0;
  };
  return { rssKiB: field('VmRSS'), hwmKiB: field('VmHWM') };
}

/** Children of a process from /proc/<pid>/task/<tid>/children, or undefined when the kernel lacks it. */
function childrenOf(pid) {
  let tids;
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const out = [];
  for (const tid of tids) {
    let text;
    try {
      text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8');
    } catch (error) {
      if (error.code === 'ENOENT' && tid === tids[0] && !existsSync(`/proc/${pid}/task/${tid}/children`)) return undefined;
      continue;
    }
    for (const c of text.split(' ')) if (c.trim() !== '') out.push(Number(c));
  }
  return out;
}

/** All processes' children, from a scan of /proc/<pid>/stat (for kernels without the children files). */
function scanChildren() {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    // The command name is in parentheses and may hold spaces: the ppid is the 2nd field after ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(Number(name));
  }
  return children;
}

/** The pids of the process and of all its descendants (threads share their process's RSS). */
export function processTree(rootPid) {
  let scanned;
  const out = [];
  const stack = [rootPid];
  while (stack.length > 0) {
    const pid = stack.pop();
    out.push(pid);
    let kids = scanned ? scanned.get(pid) : childrenOf(pid);
    if (kids === undefined && !scanned) kids = (scanned = scanChildren()).get(pid);
    for (const c of kids ?? []) stack.push(c);
  }
  return out;
}

/**
 * Runs a command to completion, discarding its stdout; returns wall time, exit code and the peak
 * RSS of its process tree, sampled every `pollMs` (the sum of VmRSS over the tree; for the root
 * process its VmHWM is used too, which catches peaks between samples).
 */
export function runMeasured(command, args, { env = process.env, cwd = process.cwd(), pollMs = 50, timeoutMs = 30 * 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdoutBytes = 0;
    let outputLines = 0;
    const countLines = (c) => {
      for (let i = c.indexOf(10); i >= 0; i = c.indexOf(10, i + 1)) outputLines++;
    };
    let stdoutHead = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdoutBytes += c.length;
      countLines(c);
      if (stdoutHead.length < 4096) stdoutHead += c.toString('utf8');
    });
    child.stderr.on('data', (c) => {
      countLines(c);
      if (stderr.length < 100_000) stderr += c.toString('utf8');
    });
    let peakKiB = 0;
    let samples = 0;
    const sample = () => {
      let sum = 0;
      for (const pid of processTree(child.pid)) {
        const m = memoryOf(pid);
        if (!m) continue;
        sum += m.rssKiB;
        if (pid === child.pid) peakKiB = Math.max(peakKiB, m.hwmKiB);
      }
      peakKiB = Math.max(peakKiB, sum);
      samples++;
    };
    const poller = setInterval(sample, pollMs);
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearInterval(poller);
      clearTimeout(killer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearInterval(poller);
      clearTimeout(killer);
      resolve({ wallMs: performance.now() - started, code, signal, peakRssKiB: peakKiB, samples, stdoutBytes, outputLines, stdoutHead, stderr });
    });
    sample();
  });
}
