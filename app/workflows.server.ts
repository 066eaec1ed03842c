// Restoring a workflow from its stored snapshot (style guide §8, stack notes §4). The machine is the
// only judge of what may happen next: callers restore, ask `can()`, send, and persist — in one
// transaction with the version check and the audit entry.
import { createActor, type Actor, type AnyStateMachine, type EventFromLogic, type InputFrom, type SnapshotFrom } from "xstate";
import { AppError } from "./errors.server.ts";

export class CorruptSnapshotError extends Error {}

/**
 * An actor restored from a persisted snapshot. A snapshot naming a state the machine no longer has
 * would otherwise crash the process from a timer (stack pitfall 18): subscribe to errors first.
 * Stored snapshots carry the machine version; `migrations` upgrades older ones before restoring.
 */
export function restore<M extends AnyStateMachine>(
  machine: M,
  stored: { snapshot: unknown; machineVersion: number },
  currentVersion: number,
  input: InputFrom<M>,
  migrations: Record<number, (snapshot: unknown) => unknown> = {},
) {
  let snapshot = stored.snapshot;
  for (let v = stored.machineVersion; v < currentVersion; v++) {
    const migrate = migrations[v];
    if (!migrate) throw new CorruptSnapshotError(`No migration from machine version ${v} to ${v + 1}`);
    snapshot = migrate(snapshot);
  }
  if (stored.machineVersion > currentVersion) throw new CorruptSnapshotError(`Snapshot from a newer machine version ${stored.machineVersion}`);
  let failure: unknown = null;
  const actor = createActor(machine, { snapshot: snapshot as SnapshotFrom<M>, input });
  actor.subscribe({ error: (e) => (failure = e) });
  actor.start();
  if (failure || (actor.getSnapshot() as { status?: string }).status === "error") {
    actor.stop();
    throw new CorruptSnapshotError("The stored workflow snapshot does not fit the machine");
  }
  return actor;
}

/** A fresh actor's persisted initial snapshot, for a new row. */
export function initialSnapshot<M extends AnyStateMachine>(machine: M, input: InputFrom<M>) {
  const actor = createActor(machine, { input });
  actor.start();
  const persisted = actor.getPersistedSnapshot();
  actor.stop();
  return persisted as Record<string, unknown>;
}

/**
 * One workflow step: the machine's own reason refuses the event (422, nothing sent); otherwise it is
 * sent and the new snapshot comes back ready to persist. The actor is stopped either way.
 */
export function step<M extends AnyStateMachine>(
  actor: Actor<M>,
  event: EventFromLogic<M>,
  whyNot: (snapshot: SnapshotFrom<M>, event: EventFromLogic<M>) => string | null,
) {
  const refusal = whyNot(actor.getSnapshot(), event);
  if (refusal) {
    actor.stop();
    throw new AppError("not_allowed", refusal);
  }
  actor.send(event);
  const after = actor.getSnapshot();
  const persisted = actor.getPersistedSnapshot() as Record<string, unknown>;
  actor.stop();
  return { after, persisted, state: String((after as { value: unknown }).value) };
}
