import type { Bus, Subscription } from '@gatehouse/bus/bus.port';
import { KeysTopic, type KeyRecord } from '@gatehouse/contracts/key';

/** The virtual keys from the compacted gatehouse.keys.v1 topic, indexed by the SHA-256 of their secret. */
export class KeyDirectory {
  private readonly byHash = new Map<string, KeyRecord>();
  private readonly hashById = new Map<string, string>();
  private sub: Subscription | null = null;
  private caughtUp = false;

  async start(bus: Bus): Promise<void> {
    this.sub = await bus.watch(KeysTopic, (id, value) => this.apply(id, value));
    this.caughtUp = true;
  }

  apply(id: string, value: KeyRecord | null): void {
    const previous = this.hashById.get(id);
    if (previous) this.byHash.delete(previous);
    this.hashById.delete(id);
    if (value) {
      this.byHash.set(value.key_sha256, value);
      this.hashById.set(id, value.key_sha256);
    }
  }

  get(sha256: string): KeyRecord | undefined {
    return this.byHash.get(sha256);
  }

  ready(): boolean {
    return this.caughtUp;
  }

  size(): number {
    return this.byHash.size;
  }

  async close(): Promise<void> {
    await this.sub?.close();
  }
}
