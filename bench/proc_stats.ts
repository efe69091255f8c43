/**
 * CPU time and peak memory of processes, from Linux's /proc: what the benchmarks charge to each process
 * (the dispatcher, PostgreSQL's server processes, the benchmark process running a baseline).
 */

const TICK_MS = 1000 / 100; // USER_HZ is 100 on Linux

/** utime + stime (+ cutime + cstime with `children`) of a process, in ms; null when it is gone. */
export function cpuMs(pid: number | "self", children = false): number | null {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields from 3 (state) on
    const ticks = Number(f[11]) + Number(f[12]) + (children ? Number(f[13]) + Number(f[14]) : 0);
    return ticks * TICK_MS;
  } catch {
    return null;
  }
}

export function parentOf(pid: number): number | null {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return null;
  }
}

/** CPU of the postmaster (with its ended children) and of every live child of it, ms. */
export function serverCpuMs(postmaster: number): number | null {
  const own = cpuMs(postmaster, true);
  if (own === null) return null;
  let total = own;
  for (const entry of Deno.readDirSync("/proc")) {
    const pid = Number(entry.name);
    if (!Number.isInteger(pid) || parentOf(pid) !== postmaster) continue;
    total += cpuMs(pid) ?? 0;
  }
  return total;
}

export function peakRssMiB(): number {
  const status = Deno.readTextFileSync("/proc/self/status");
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return Math.round((kb / 1024) * 10) / 10;
}
