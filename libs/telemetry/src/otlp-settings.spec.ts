import { parseEnv } from '@gatehouse/config';
import { parseOtlpHeaders, resolveOtlpSettings } from './otlp-settings';

const env = (vars: Record<string, string>) => parseEnv(vars);

describe('OTLP settings', () => {
  it('are off without an endpoint in the config or the environment, and when OTEL_SDK_DISABLED=true', () => {
    expect(resolveOtlpSettings(undefined, env({}))).toBeNull();
    expect(resolveOtlpSettings(undefined, env({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318', OTEL_SDK_DISABLED: 'true' }))).toBeNull();
  });

  it('take the standard variables: /v1/traces appended to the base endpoint, headers decoded, protobuf by default', () => {
    const s = resolveOtlpSettings(undefined, env({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318/', OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=a%20b,tenant=t1', OTEL_TRACES_SAMPLER_ARG: '0.25' }));
    expect(s).toMatchObject({ url: 'http://otel:4318/v1/traces', protocol: 'http/protobuf', headers: { 'x-api-key': 'a b', tenant: 't1' }, sampler: 'parentbased_traceidratio', ratio: 0.25, serviceName: 'gatehouse' });
  });

  it('use a signal-specific endpoint as given', () => {
    expect(resolveOtlpSettings(undefined, env({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector.example/custom/traces' }))?.url).toBe('https://collector.example/custom/traces');
  });

  it('let telemetry.otlp in the config win field by field over the environment', () => {
    const s = resolveOtlpSettings(
      { endpoint: 'http://cfg:4318/v1/traces', protocol: 'http/json', headers: { tenant: 'cfg' }, sampling_ratio: 0.5, max_queue_size: 10, max_batch_size: 5, export_interval_ms: 100, timeout_ms: 1000 },
      env({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env:4318', OTEL_EXPORTER_OTLP_HEADERS: 'tenant=env,auth=k', OTEL_TRACES_SAMPLER_ARG: '0.1' }),
    );
    expect(s).toMatchObject({ url: 'http://cfg:4318/v1/traces', protocol: 'http/json', headers: { tenant: 'cfg', auth: 'k' }, ratio: 0.5, maxQueueSize: 10, maxBatchSize: 5 });
  });

  it('refuse gRPC and malformed values at start-up, naming the variable', () => {
    expect(() => env({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(/OTEL_EXPORTER_OTLP_PROTOCOL.*gRPC is not supported/s);
    expect(() => env({ OTEL_TRACES_SAMPLER_ARG: '2' })).toThrow(/OTEL_TRACES_SAMPLER_ARG/);
    expect(() => env({ OTEL_EXPORTER_OTLP_ENDPOINT: 'otel:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  });

  it('parse the header list leniently: blanks and entries without a name are skipped', () => {
    expect(parseOtlpHeaders(' a=1 , =x, b = 2,c')).toEqual({ a: '1', b: '2' });
  });
});
