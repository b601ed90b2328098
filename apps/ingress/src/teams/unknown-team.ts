import { GatewayError } from '@gatehouse/contracts';

export const unknownTeam = (team: string) =>
  new GatewayError(404, 'not_found_error', `no team "${team}" (PUT /admin/teams/${team} sets its limits)`, { param: 'team' });
