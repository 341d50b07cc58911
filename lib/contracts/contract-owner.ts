import type { Owner } from './model.ts';
import type { RawTeam } from './raw-contract.ts';

/**
 * Who owns a contract's datasets: the contract's `team` when it names one (its email is the
 * member whose role is owner, else the first member), otherwise the domain's owner.
 */
export function contractOwner(team: RawTeam | undefined, domainOwner: Owner): Owner {
  if (team === undefined) return domainOwner;
  const members = team.members ?? [];
  const owner = members.find((member) => member.role?.toLowerCase() === 'owner') ?? members[0];
  return { team: team.name ?? domainOwner.team, email: owner?.username ?? domainOwner.email };
}
