import type { Owner } from './model.ts';
import type { RawContract, RawTeam } from './raw-contract.ts';

type TeamMembers = NonNullable<RawTeam['members']>;

/**
 * Who owns a contract's datasets: the contract's `team` when it names one (its email is the
 * member whose role is owner, else the first member), otherwise the domain's owner. A team in
 * ODCS v3.0's list form is its members, with no name.
 */
export function contractOwner(team: RawContract['team'], domainOwner: Owner): Owner {
  if (team === undefined) return domainOwner;
  const { name, members = [] }: RawTeam = isMemberList(team) ? { members: team } : team;
  const owner = members.find((member) => member.role?.toLowerCase() === 'owner') ?? members[0];
  return { team: name ?? domainOwner.team, email: owner?.username ?? domainOwner.email };
}

// Array.isArray does not narrow a readonly array out of a union.
function isMemberList(team: RawTeam | TeamMembers): team is TeamMembers {
  return Array.isArray(team);
}
