import type { Job } from "bullmq";
import { catalogue, isJobName, type QueueName } from "../catalogue";
import { sendReservationNotice } from "./mail/send-reservation-notice";
import { sendStaffInvitation, type MailDeps } from "./mail/send-staff-invitation";
import { processLineEvent, type LineJobDeps } from "./line/process-line-event";
import { processSendBroadcastChunk, processStartBroadcastRun, processSweepBroadcasts, type BroadcastJobDeps } from "./broadcast/broadcast";

/** `line` overrides the LINE base URLs and limiter (tests point it at the emulator); default: env. */
export type ProcessorDeps = MailDeps & Pick<LineJobDeps, "line"> & Pick<BroadcastJobDeps, "broadcast">;

/** One processor function per queue: validates the payload against the catalogue, then dispatches. */
export function processorFor(queue: QueueName, deps: ProcessorDeps) {
  return async (job: Job) => {
    if (!isJobName(job.name) || catalogue[job.name].queue !== queue) throw new Error(`job ${job.name} does not belong to queue ${queue}`);
    switch (job.name) {
      case "send-staff-invitation":
        return sendStaffInvitation(deps, catalogue[job.name].payload.parse(job.data));
      case "send-reservation-notice":
        return sendReservationNotice(deps, catalogue[job.name].payload.parse(job.data));
      case "process-line-event":
        return processLineEvent(deps, catalogue[job.name].payload.parse(job.data));
      case "start-broadcast-run":
        return processStartBroadcastRun(deps, catalogue[job.name].payload.parse(job.data));
      case "send-broadcast-chunk":
        return processSendBroadcastChunk(deps, catalogue[job.name].payload.parse(job.data), job);
      case "sweep-broadcasts":
        return processSweepBroadcasts(deps);
      default: {
        const unhandled: never = job.name;
        throw new Error(`no processor for ${String(unhandled)}`);
      }
    }
  };
}
