import pino from 'pino';

/**
 * Every bus adapter compiles the trace topic's check when it is created, so the first request's
 * trace does not pay ~130 ms of schema compilation (measured on standalone: the second of two
 * back-to-back first requests took 85-144 ms). Each case loads a fresh copy of the modules.
 */
describe('bus adapters prepare the plain topics\' codecs at creation', () => {
  const fresh = () => {
    let mods!: { codec: typeof import('./codec'); contracts: typeof import('@gatehouse/contracts'); inProcess: typeof import('./in-process/in-process-bus'); ipc: typeof import('./ipc/ipc-worker') };
    jest.isolateModules(() => {
      mods = {
        codec: require('./codec'),
        contracts: require('@gatehouse/contracts'),
        inProcess: require('./in-process/in-process-bus'),
        ipc: require('./ipc/ipc-worker'),
      };
    });
    return mods;
  };

  it('the in-process bus (standalone)', async () => {
    const { codec, contracts, inProcess } = fresh();
    expect(codec.codecPrepared(contracts.TracesTopic as never)).toBe(false);
    const bus = inProcess.createInProcessBus({ dataDir: null, logger: pino({ level: 'silent' }) });
    expect(codec.codecPrepared(contracts.TracesTopic as never)).toBe(true);
    await bus.close();
  });

  it('the IPC bus of a standalone worker', async () => {
    const { codec, contracts, ipc } = fresh();
    expect(codec.codecPrepared(contracts.TracesTopic as never)).toBe(false);
    const bus = ipc.createIpcWorkerBus({ send: () => true, on: () => undefined, off: () => undefined, connected: true });
    expect(codec.codecPrepared(contracts.TracesTopic as never)).toBe(true);
    await bus.close();
  });
});
