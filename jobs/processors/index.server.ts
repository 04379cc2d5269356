import type { Job } from "bullmq";
import { catalogue, isJobName, type QueueName } from "../catalogue";
import { sendReservationNotice } from "./notice/send-reservation-notice";
import { sendReportStatus } from "./reports/send-report-status";
import type { MailDeps } from "./deps";
import { sendStaffInvitation } from "./mail/send-staff-invitation";
import { sendLoginAlert, sendPasswordChanged, sendPasswordReset } from "./mail/send-password-mail";
import { sendReservationLink } from "./mail/send-reservation-link";
import { sendVendorInvitation } from "./mail/send-vendor-invitation";
import { processLineEvent, type LineJobDeps } from "./line/process-line-event";
import { processSendReminder } from "./reminders/process-send-reminder";
import { sweepReminders } from "~/features/reminders/sweep.server";
import { snapshotFriendCounts, snapshotTenantFriendCounts } from "./maintenance/friend-snapshots";
import { purgeConversation } from "./maintenance/purge-conversation";
import { purgeRetention } from "./maintenance/purge-retention";
import { processRosterImport } from "./roster/roster-import";
import { processStatusImport, processStatusNotice, purgeStatusLookups } from "./status/status-jobs";
import {
  processSendBroadcastChunk,
  processStartBroadcastRun,
  processSweepBroadcasts,
  type BroadcastJobDeps,
} from "./broadcast/broadcast";
import { processSendGarbagePushChunk, processSweepGarbagePush, type GarbageJobDeps } from "./garbage/garbage-push";
import { jobLog, type Logger } from "~/lib/log.server";

/**
 * `line` overrides the LINE base URLs and limiter (tests point it at the emulator); default: env.
 * `broadcast`: the chunk queue and the per-channel multicast pacer.
 * `log`: the worker's logger; each job gets a child (jobLog) carrying jobId, queue, job name and tenantId.
 */
export type ProcessorDeps = MailDeps &
  Pick<LineJobDeps, "line"> &
  Pick<BroadcastJobDeps, "broadcast"> &
  Pick<GarbageJobDeps, "garbagePush"> & { log?: Logger };

/** One processor function per queue: validates the payload against the catalogue, then dispatches. */
export function processorFor(queue: QueueName, deps: ProcessorDeps) {
  return async (job: Job) => {
    const log = deps.log && jobLog(deps.log, job);
    log?.debug("job started");
    const jobDeps = log ? { ...deps, log } : deps;
    if (!isJobName(job.name) || catalogue[job.name].queue !== queue)
      throw new Error(`job ${job.name} does not belong to queue ${queue}`);
    switch (job.name) {
      case "send-staff-invitation":
        return sendStaffInvitation(jobDeps, catalogue[job.name].payload.parse(job.data));
      case "send-password-reset":
        return sendPasswordReset(jobDeps, catalogue[job.name].payload.parse(job.data));
      case "send-password-changed":
        return sendPasswordChanged(jobDeps, catalogue[job.name].payload.parse(job.data));
      case "send-login-alert":
        return sendLoginAlert(jobDeps, catalogue[job.name].payload.parse(job.data));
      case "send-reservation-link":
        return sendReservationLink(jobDeps, catalogue[job.name].payload.parse(job.data));
      case "send-vendor-invitation":
        return sendVendorInvitation(jobDeps, catalogue[job.name].payload.parse(job.data));
      case "send-reservation-notice":
        return sendReservationNotice(jobDeps, catalogue[job.name].payload.parse(job.data));
      case "send-report-status":
        return sendReportStatus(jobDeps, catalogue[job.name].payload.parse(job.data));
      case "process-line-event":
        return processLineEvent(jobDeps, catalogue[job.name].payload.parse(job.data));
      case "sweep-reminders": {
        const { at } = catalogue[job.name].payload.parse(job.data);
        return sweepReminders(jobDeps.db, at ? new Date(at) : new Date());
      }
      case "send-reminder":
        return processSendReminder(jobDeps, catalogue[job.name].payload.parse(job.data), job);
      case "snapshot-friend-counts":
        return snapshotFriendCounts(jobDeps, catalogue[job.name].payload.parse(job.data));
      case "snapshot-tenant-friend-counts":
        return snapshotTenantFriendCounts(jobDeps, catalogue[job.name].payload.parse(job.data));
      case "purge-retention":
        catalogue[job.name].payload.parse(job.data);
        return purgeRetention(jobDeps);
      case "purge-conversation":
        catalogue[job.name].payload.parse(job.data);
        return purgeConversation(jobDeps);
      case "start-broadcast-run":
        return processStartBroadcastRun(jobDeps, catalogue[job.name].payload.parse(job.data));
      case "send-broadcast-chunk":
        return processSendBroadcastChunk(jobDeps, catalogue[job.name].payload.parse(job.data), job);
      case "sweep-broadcasts":
        return processSweepBroadcasts(jobDeps);
      case "sweep-garbage-push":
        return processSweepGarbagePush(jobDeps, catalogue[job.name].payload.parse(job.data));
      case "send-garbage-push-chunk":
        return processSendGarbagePushChunk(jobDeps, catalogue[job.name].payload.parse(job.data), job);
      case "roster-import":
        return processRosterImport(jobDeps, catalogue[job.name].payload.parse(job.data));
      case "status-import":
        return processStatusImport(jobDeps, catalogue[job.name].payload.parse(job.data));
      case "send-status-notice":
        return processStatusNotice(jobDeps, catalogue[job.name].payload.parse(job.data));
      case "purge-status-lookups":
        catalogue[job.name].payload.parse(job.data);
        return purgeStatusLookups(jobDeps);
      default: {
        const unhandled: never = job.name;
        throw new Error(`no processor for ${String(unhandled)}`);
      }
    }
  };
}
