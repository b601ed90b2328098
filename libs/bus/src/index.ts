/** Public surface of libs/bus: the Bus port, the compacted-topic view and the adapters. */
export * from './bus.port';
export * from './compacted-view';
export * from './in-process/in-process-bus';
export * from './ipc/ipc-primary';
export * from './ipc/ipc-worker';
export * from './kafka/kafka-bus';
export { kafkaGroupId } from './kafka/kafka-subscriber';
