import { Injectable } from '@nestjs/common';
import { CompactedView } from '@gatehouse/bus';
import { TeamsTopic, type TeamRecord } from '@gatehouse/contracts';

/** Every team's limits this process knows, from the compacted gatehouse.teams.v1 topic (the ingress publishes the config teams there at start), by name. */
@Injectable()
export class TeamDirectory extends CompactedView<TeamRecord> {
  constructor() {
    super(TeamsTopic);
  }
}
