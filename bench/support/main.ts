/** Cleanups of a bench run, undone in reverse order; a failing one is logged and the others still run. */
export async function runCleanups(cleanups: Array<() => Promise<void> | void>, log: (msg: string) => void): Promise<void> {
  for (const c of cleanups.reverse()) await Promise.resolve(c()).catch((e: unknown) => log(`cleanup failed: ${String(e)}`));
}

/** Runs a bench's main(); a failure is printed with its stack and exits 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
