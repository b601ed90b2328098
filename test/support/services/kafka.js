'use strict';
// Starts a throwaway single-node Kafka 3.9.1 broker (KRaft, broker+controller in one JVM)
// on free 127.0.0.1 ports in a fresh temp dir. Jars come from docker/kafka/pom.xml via Maven.
const { execFileSync, spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { Kafka, logLevel } = require('kafkajs');
const { repoRoot, requireExecutable, freePort, makeTempDir, sleep, stopPid, tail } = require('./process-tools');

const LIBS_DIR = path.join(repoRoot, '.cache', 'kafka', 'libs');
const POM = path.join(repoRoot, 'docker', 'kafka', 'pom.xml');
const START_TIMEOUT_MS = 30000;

function hasKafkaJars() {
  try {
    return fs.readdirSync(LIBS_DIR).some((f) => /^kafka_2\.13-.*\.jar$/.test(f));
  } catch {
    return false;
  }
}

/** Downloads the broker jars into .cache/kafka/libs once; later calls are free. */
function ensureKafkaJars() {
  if (hasKafkaJars()) return LIBS_DIR;
  const mvn = requireExecutable('mvn', 'install Maven (apt-get install -y maven) or set KAFKA_BROKERS=host:port');
  try {
    execFileSync(mvn, ['-q', '-B', '-f', POM, 'dependency:copy-dependencies', `-DoutputDirectory=${LIBS_DIR}`], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    const output = `${err.stdout || ''}${err.stderr || ''}`.trim().slice(-2000);
    throw new Error(`fetching Kafka jars with Maven failed (${POM}); set KAFKA_BROKERS to use an existing broker.\n${output}`);
  }
  if (!hasKafkaJars()) throw new Error(`Maven ran but no kafka_2.13 jar appeared in ${LIBS_DIR}`);
  return LIBS_DIR;
}

/** A KRaft cluster id: 16 random bytes, base64url without padding (what StorageTool random-uuid prints). */
function randomClusterId() {
  // Kafka's argument parser reads a leading '-' as an option, so such ids are drawn again.
  for (;;) {
    const id = crypto.randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function serverProperties(dir, brokerPort, controllerPort) {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${brokerPort},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${brokerPort}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    `log.dirs=${path.join(dir, 'data')}`,
    'num.partitions=3',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=3',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=3',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=true',
    'delete.topic.enable=true',
    '',
  ].join('\n');
}

const LOG4J = [
  'log4j.rootLogger=WARN, stdout',
  'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
  'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
  'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
  'log4j.logger.kafka=WARN',
  'log4j.logger.org.apache.kafka=WARN',
  'log4j.logger.state.change.logger=WARN',
  '',
].join('\n');

async function brokerAnswers(brokers) {
  const kafka = new Kafka({
    clientId: 'gatehouse-test-probe',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 2000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  // (an idempotent producer must allow a retry; the probe's caller retries the whole probe)
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 200 } });
  try {
    await admin.connect();
    await admin.listTopics();
    // Finding a group coordinator creates __consumer_offsets; done here, the first consumer
    // group a test joins does not wait for the coordinator to load.
    await admin.describeGroups(['gatehouse-test-warmup']);
    // An idempotent producer's connect asks for a producer id, which a fresh broker answers with
    // "the coordinator is loading" for a while: the apps' producers (idempotent) then back off and
    // one start took 21 s, another over 30 s. Done here, they get an id at once.
    await producer.connect();
    return true;
  } catch {
    return false;
  } finally {
    await Promise.all([admin.disconnect().catch(() => undefined), producer.disconnect().catch(() => undefined)]);
  }
}

/**
 * Starts a broker and resolves once a kafkajs admin can connect, list topics and reach the group
 * coordinator, and an idempotent producer gets its producer id.
 * @returns {Promise<{brokers: string, pid: number, dir: string, stop: () => Promise<void>, restart: (downMs?: number) => Promise<void>}>}
 */
async function startKafka() {
  const java = requireExecutable('java', 'install a JRE 17+ (apt-get install -y openjdk-17-jre-headless) or set KAFKA_BROKERS=host:port');
  const libs = ensureKafkaJars();
  const dir = makeTempDir('kafka');
  const [brokerPort, controllerPort] = await distinctFreePorts(2);
  const props = path.join(dir, 'server.properties');
  const log4j = path.join(dir, 'log4j.properties');
  const logFile = path.join(dir, 'kafka.log');
  fs.writeFileSync(props, serverProperties(dir, brokerPort, controllerPort));
  fs.writeFileSync(log4j, LOG4J);

  const jvmArgs = ['-Xmx512m', '-Xms128m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Djava.awt.headless=true', `-Dlog4j.configuration=file:${log4j}`, '-cp', `${libs}/*`];
  try {
    execFileSync(java, [...jvmArgs, 'kafka.tools.StorageTool', 'format', '-t', randomClusterId(), '-c', props], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`kafka storage format failed: ${`${err.stdout || ''}${err.stderr || ''}`.trim().slice(-2000)}`);
  }

  let child;
  let exited = null;
  const launch = () => {
    const out = fs.openSync(logFile, 'a');
    child = spawn(java, [...jvmArgs, 'kafka.Kafka', props], { cwd: dir, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    child.unref();
    exited = null;
    child.once('exit', (code, signal) => {
      exited = signal || code;
    });
  };
  launch();

  const brokers = `127.0.0.1:${brokerPort}`;
  const stop = async () => {
    await stopPid(child.pid, 5000);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const waitReady = async () => {
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!(await brokerAnswers([brokers]))) {
      if (exited !== null || Date.now() > deadline) {
        const why = exited !== null ? `exited (${exited})` : `not ready after ${START_TIMEOUT_MS} ms`;
        const log = tail(logFile);
        await stop();
        throw new Error(`Kafka broker ${why}. Log tail:\n${log}`);
      }
      await sleep(200);
    }
  };
  await waitReady();
  /** Stops the broker (SIGTERM, then SIGKILL after 5 s), keeps it down `downMs`, starts it again on the same ports and data. */
  const restart = async (downMs = 0) => {
    await stopPid(child.pid, 5000);
    await sleep(downMs);
    launch();
    await waitReady();
  };
  return { brokers, get pid() { return child.pid; }, dir, stop, restart };
}

async function distinctFreePorts(count) {
  const ports = new Set();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

module.exports = { startKafka, ensureKafkaJars };
