/** Exponentially weighted moving average of upstream latency per target, for the least-latency strategy. */
export class LatencyStats {
  private readonly ewma = new Map<string, number>();

  constructor(private readonly alpha = 0.2) {}

  record(targetKey: string, latencyMs: number): void {
    const prev = this.ewma.get(targetKey);
    this.ewma.set(targetKey, prev === undefined ? latencyMs : prev + this.alpha * (latencyMs - prev));
  }

  has(targetKey: string): boolean {
    return this.ewma.has(targetKey);
  }

  /** Unmeasured targets score 0 so each gets tried and measured. */
  score(targetKey: string): number {
    return this.ewma.get(targetKey) ?? 0;
  }
}

export const targetKey = (provider: string, model: string): string => `${provider}/${model}`;
