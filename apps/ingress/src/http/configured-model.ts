import type { GatehouseConfig, ModelConfig } from '@gatehouse/config';
import { GatewayError, own } from '@gatehouse/contracts';

/** The config of a model the client named, or 404 model_not_found. */
export function configuredModel(config: GatehouseConfig, name: string): ModelConfig {
  const model = own(config.models, name);
  if (!model) {
    throw new GatewayError(404, 'not_found_error', `model "${name}" is not configured on this gateway (GET /v1/models lists the ones this key may use)`, {
      code: 'model_not_found',
      param: 'model',
    });
  }
  return model;
}
