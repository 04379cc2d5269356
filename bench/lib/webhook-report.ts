/** Table cells of bench/webhook.ts's Markdown report (kept apart so the bench reads as its phases). */
type Cpu = { user: number; system: number };
export type StepSummary = {
  achievedPerSecond: number;
  ackMs: { p50: number | null; p90: number | null; p99: number | null; max: number | null };
  non200: number;
  over2s: number;
  serverCpuMsPerEvent: Cpu;
  postgresCpuMsPerEvent?: Cpu | null;
  loadGeneratorCpuMsPerEvent: number;
  loadavg1: number;
};

export function yn(b: boolean) {
  return b ? "yes" : "no";
}
export function stepLine(s: { offeredPerSecond: number; ours: StepSummary } | undefined) {
  return s
    ? `${s.offeredPerSecond}/s offered, ${s.ours.achievedPerSecond}/s achieved: p50 ${s.ours.ackMs.p50} ms, p99 ${s.ours.ackMs.p99} ms, non-200 ${s.ours.non200}`
    : "no such step";
}
function cpuCell(s: StepSummary) {
  return `${s.serverCpuMsPerEvent.user} + ${s.serverCpuMsPerEvent.system}`;
}
function pgCell(s: StepSummary) {
  return s.postgresCpuMsPerEvent ? `${s.postgresCpuMsPerEvent.user} + ${s.postgresCpuMsPerEvent.system}` : "–";
}
function lat(s: StepSummary) {
  return `${s.ackMs.p50} / ${s.ackMs.p90} / ${s.ackMs.p99} / ${s.ackMs.max}`;
}
export function row(offered: string, who: string, s: StepSummary) {
  return `| ${offered} | ${who} | ${s.achievedPerSecond} | ${lat(s)} | ${s.non200} | ${s.over2s} | ${cpuCell(s)} | ${pgCell(s)} | ${s.loadGeneratorCpuMsPerEvent} | ${s.loadavg1} |`;
}
export function short(s: StepSummary) {
  return `${s.achievedPerSecond} | ${lat(s)} | ${s.non200} | ${cpuCell(s)} | ${pgCell(s)} | ${s.loadGeneratorCpuMsPerEvent}`;
}
