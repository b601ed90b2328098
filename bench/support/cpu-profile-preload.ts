import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

/**
 * `NODE_OPTIONS=--require dist/bench/support/cpu-profile-preload.js` with BENCH_CPU_PROFILE_DIR set:
 * profiles the whole process (NODE_OPTIONS may not carry --cpu-prof) and writes
 * <dir>/ingress-<pid>.cpuprofile when it exits (open it in Chrome DevTools).
 */
const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 200 });
  session.post('Profiler.start');
  process.once('exit', () => {
    session.post('Profiler.stop', (err, res) => {
      if (!err) writeFileSync(join(dir, `ingress-${process.pid}.cpuprofile`), JSON.stringify(res.profile));
    });
  });
}
