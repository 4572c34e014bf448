import type { WebClient } from "@slack/web-api";
import { claimRun } from "./claims.js";
import { findDueBatches, recordBatch, recordBatchMessage } from "../services/verification.js";
import { renderBatch, sendDirectMessage } from "../slack/co-credit/summaries.js";
import type { SlackDeps } from "../slack/context.js";

/** How often the batch check runs. A due batch waits at most this long after it became due. */
export const VERIFICATION_CHECK_INTERVAL_MS = 15 * 60 * 1000;

/**
 * Sends every due verification batch: one direct message per attending with the entries that
 * wait for them. A batch is recorded before its message goes out, so a failed post is not
 * retried by the next run and an entry is never sent twice at one version.
 * Returns the number of batches sent.
 */
export async function sendDueVerificationBatches(deps: SlackDeps, client: WebClient): Promise<number> {
  const batches = await findDueBatches(deps.ctx);
  let sent = 0;

  for (const batch of batches) {
    // Two instances that find the same due batch find the same oldest entry, so one claim wins.
    const oldest = batch.encounters[0]!;
    const claim = await claimRun(deps.ctx, "verification_batch", batch.programId, `${batch.deciderSlackId}:${oldest.id}v${oldest.version}`);
    if (claim === null) continue;

    const requestId = await recordBatch(deps.ctx, batch);
    const rendered = await renderBatch(deps, requestId);
    if (!rendered) continue;

    const posted = await sendDirectMessage(deps, client, batch.deciderSlackId, rendered.reply);
    if (posted.channel && posted.ts) {
      await recordBatchMessage(deps.ctx, requestId, posted.channel, posted.ts);
      sent += 1;
    }
    deps.ctx.logger.info({ requestId, attendingSlackId: batch.deciderSlackId, entries: batch.encounters.length, posted: Boolean(posted.ts) }, "verification batch sent");
  }
  return sent;
}

/**
 * Starts the periodic batch check; the returned function stops it. The timer does not keep
 * the process alive on its own. Every instance checks, and a claim per batch in the JobRun
 * table lets only one of them send it.
 */
export function startVerificationBatchJob(deps: SlackDeps, client: WebClient, intervalMs = VERIFICATION_CHECK_INTERVAL_MS): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sendDueVerificationBatches(deps, client)
      .catch((error: unknown) => deps.ctx.logger.error({ err: error }, "verification batch check failed"))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  deps.ctx.logger.info({ intervalMs }, "verification batch job started");
  return () => clearInterval(timer);
}
