import { z } from 'zod';

/** Messages between standalone worker processes and the primary that owns the bus (tagged gh_bus). */
export const WorkerToPrimary = z.discriminatedUnion('gh_bus', [
  z.object({ gh_bus: z.literal('publish'), topic: z.string(), key: z.string(), value: z.string().nullable() }),
  z.object({ gh_bus: z.literal('watch'), topic: z.string() }),
  /** Barrier: answered with `synced` once every worker has applied every change published before it. */
  z.object({ gh_bus: z.literal('sync'), id: z.string() }),
  z.object({ gh_bus: z.literal('pong'), id: z.string() }),
]);
export type WorkerToPrimary = z.infer<typeof WorkerToPrimary>;

export const PrimaryToWorker = z.discriminatedUnion('gh_bus', [
  z.object({ gh_bus: z.literal('replay'), topic: z.string(), entries: z.array(z.tuple([z.string(), z.string()])) }),
  z.object({ gh_bus: z.literal('change'), topic: z.string(), key: z.string(), value: z.string().nullable() }),
  z.object({ gh_bus: z.literal('error'), topic: z.string(), message: z.string() }),
  z.object({ gh_bus: z.literal('ping'), id: z.string() }),
  z.object({ gh_bus: z.literal('synced'), id: z.string() }),
]);
export type PrimaryToWorker = z.infer<typeof PrimaryToWorker>;

/** The part of a worker handle (cluster.Worker or a child process) the bridge needs. */
export interface IpcPeer {
  send(message: unknown, callback?: (error: Error | null) => void): boolean;
}
