import type { Job } from "bullmq";
import type { Db } from "#db/client.server";
import { sendChunk, startRun, type BroadcastDeps, type ChunkQueue } from "~/features/broadcasts/run.server";
import { sweepBroadcasts } from "~/features/broadcasts/sweep.server";
import type { LineApiConfig } from "~/integrations/line/client.server";
import type { ChannelLimiter } from "~/integrations/line/retry.server";
import { catalogue, type JobPayload } from "../../catalogue";
import type { Queues } from "../../queues.server";

/** What the worker hands the broadcast jobs beyond the common deps: where chunks are queued, and the pacer. */
export type BroadcastWiring = { queue: ChunkQueue; pacer: ChannelLimiter | null };
export type BroadcastJobDeps = {
  db: Db;
  key: Buffer;
  appOrigin: string;
  line?: LineApiConfig;
  broadcast?: BroadcastWiring;
};

/** Chunk jobs keyed by (run, seq): queueing the same chunk twice while it is waiting adds nothing. */
export const chunkJobId = (runId: string, seq: number) => `bc-${runId}-${seq}`;

export function chunkQueue(queues: Queues): ChunkQueue {
  const def = catalogue["send-broadcast-chunk"];
  return {
    async addChunks(tenantId, runId, seqs) {
      // A small first batch, so the first multicasts leave while the rest are still being queued.
      for (let i = 0, n = 20; i < seqs.length; i += n, n = 500) {
        await queues.queues.broadcast.addBulk(
          seqs.slice(i, i + n).map((seq) => ({
            name: "send-broadcast-chunk",
            data: { tenantId, runId, seq },
            // Removed when done either way: the chunk row is the record, and the sweep may queue it again.
            opts: { ...def.options, jobId: chunkJobId(runId, seq), removeOnComplete: true, removeOnFail: true },
          })),
        );
      }
    },
  };
}

function depsOf(d: BroadcastJobDeps): BroadcastDeps {
  if (!d.broadcast) throw new Error("broadcast jobs need the worker's broadcast wiring (queue and pacer)");
  return {
    db: d.db,
    key: d.key,
    appOrigin: d.appOrigin,
    line: d.line,
    queue: d.broadcast.queue,
    pacer: d.broadcast.pacer,
  };
}

export const processStartBroadcastRun = (d: BroadcastJobDeps, p: JobPayload<"start-broadcast-run">) =>
  startRun(depsOf(d), p);

export function processSendBroadcastChunk(
  d: BroadcastJobDeps,
  p: JobPayload<"send-broadcast-chunk">,
  job: Pick<Job, "attemptsMade" | "opts">,
) {
  return sendChunk(depsOf(d), p, { finalAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1) });
}

export const processSweepBroadcasts = (d: BroadcastJobDeps) => sweepBroadcasts(depsOf(d));
