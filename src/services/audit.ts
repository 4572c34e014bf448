import type { Tx } from "../db/client.js";

export type AuditAction = "create" | "update" | "delete";
export type AuditEntity = "encounter" | "dr_count" | "person";

/** Writes one audit row inside the caller's transaction. Snapshots are stored as JSON text. */
export async function writeAudit(
  tx: Tx,
  entry: { actorSlackId: string; action: AuditAction; entity: AuditEntity; entityId: number; before?: unknown; after?: unknown },
): Promise<void> {
  await tx.auditEvent.create({
    data: {
      actorSlackId: entry.actorSlackId,
      action: entry.action,
      entity: entry.entity,
      entityId: entry.entityId,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
    },
  });
}
