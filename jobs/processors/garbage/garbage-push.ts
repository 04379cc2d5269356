import type { Job } from "bullmq";
import { sendGarbagePushChunk, sweepGarbagePush, type PushDeps, type PushQueue } from "~/features/garbage/push.server";
import { catalogue, type JobPayload } from "../../catalogue";
import type { Queues } from "../../queues.server";
import type { BroadcastJobDeps } from "../broadcast/broadcast";

/** Garbage push chunk jobs keyed by (run, seq): queueing one twice while it waits adds nothing. */
export const garbageChunkJobId = (runId: string, seq: number) => `gp-${runId}-${seq}`;

export function garbagePushQueue(queues: Queues): PushQueue {
  const def = catalogue["send-garbage-push-chunk"];
  return {
    async addChunks(tenantId, runId, seqs) {
      for (let i = 0; i < seqs.length; i += 500)
        await queues.queues.broadcast.addBulk(
          seqs.slice(i, i + 500).map((seq) => ({
            name: "send-garbage-push-chunk",
            data: { tenantId, runId, seq },
            opts: { ...def.options, jobId: garbageChunkJobId(runId, seq), removeOnComplete: true, removeOnFail: true },
          })),
        );
    },
  };
}

export type GarbageJobDeps = BroadcastJobDeps & { garbagePush?: PushQueue };

/** The worker's broadcast pacer is shared: broadcasts and garbage pushes together stay at the channel's rate. */
function depsOf(d: GarbageJobDeps): PushDeps {
  if (!d.garbagePush || !d.broadcast) throw new Error("garbage push jobs need the worker's queue and pacer");
  return { db: d.db, key: d.key, line: d.line, queue: d.garbagePush, pacer: d.broadcast.pacer };
}

export const processSweepGarbagePush = (d: GarbageJobDeps, p: JobPayload<"sweep-garbage-push">) =>
  sweepGarbagePush(depsOf(d), p.at ? new Date(p.at) : new Date());

export const processSendGarbagePushChunk = (
  d: GarbageJobDeps,
  p: JobPayload<"send-garbage-push-chunk">,
  job: Pick<Job, "attemptsMade" | "opts">,
) => sendGarbagePushChunk(depsOf(d), p, { finalAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1) });
