import type { ModelConfig } from '@gatehouse/config';
import { GatewayError, own } from '@gatehouse/contracts';

/** The config of a model the client named (in the route table the request started with), or 404 model_not_found. */
export function configuredModel(models: Readonly<Record<string, ModelConfig>>, name: string): ModelConfig {
  const model = own(models, name);
  if (!model) {
    throw new GatewayError(404, 'not_found_error', `model "${name}" is not configured on this gateway (GET /v1/models lists the ones this key may use)`, {
      code: 'model_not_found',
      param: 'model',
    });
  }
  return model;
}
