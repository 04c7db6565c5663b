// Who and what the preview's pickers offer, read from the org on each page load (so a sync or an edit
// shows at once): managers ("view as"), CSMs ("logged in as"), accounts with NPS responses, and sensible
// defaults — the manager with the largest team, the CSM with the most detractors waiting for a follow-up,
// the account with the most responses — so that each page opens on something worth seeing.

import type { RestOrgClient } from '../orgClient';

export interface Person {
  id: string;
  name: string;
  isActive: boolean;
  timeZone: string;
  role: string | null;
  managerId: string | null;
}

export interface AccountChoice {
  id: string;
  name: string;
  responses: number;
}

export interface Directory {
  managers: Person[];
  csms: Person[];
  accounts: AccountChoice[];
  defaultManagerId: string | null;
  defaultCsmId: string | null;
  defaultAccountId: string | null;
  orgTimeZone: string;
  byId: Map<string, Person>;
}

type Row = Record<string, unknown>;

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

export async function loadDirectory(org: RestOrgClient): Promise<Directory> {
  const [users, organization, responseCounts, waiting] = await Promise.all([
    org.query('SELECT Id, Name, IsActive, TimeZoneSidKey, ManagerId, UserRole.Name FROM User ORDER BY Name'),
    org.query('SELECT TimeZoneSidKey FROM Organization'),
    org.query(
      'SELECT Account__c, COUNT(Id) n FROM NPS_Response__c WHERE Account__c != null GROUP BY Account__c'
    ),
    org.query(
      "SELECT CSM__c, COUNT(Id) n FROM NPS_Response__c WHERE Category__c = 'Detractor' AND Followed_Up__c = false AND Responded_At__c = LAST_N_DAYS:90 AND CSM__c != null GROUP BY CSM__c"
    )
  ]);
  const people: Person[] = users.records.map((u: Row) => ({
    id: String(u.Id),
    name: String(u.Name ?? u.Id),
    isActive: u.IsActive !== false,
    timeZone: String(u.TimeZoneSidKey ?? 'UTC'),
    role: ((u.UserRole as Row | null)?.Name as string | undefined) ?? null,
    managerId: (u.ManagerId as string | null) ?? null
  }));
  const byId = new Map(people.map((p) => [p.id, p]));
  const reports = new Map<string, number>();
  for (const p of people) if (p.managerId) reports.set(p.managerId, (reports.get(p.managerId) ?? 0) + 1);
  const managers = people.filter((p) => reports.has(p.id)).sort(byName);
  // CSMs report to a manager and manage nobody (the demo org's shape: VP → managers → CSMs).
  const csms = people.filter((p) => p.managerId !== null && !reports.has(p.id)).sort(byName);

  const counts = new Map(responseCounts.records.map((r: Row) => [String(r.Account__c), Number(r.n)]));
  let accounts: AccountChoice[];
  if (counts.size > 0) {
    const named = await org.query(
      'SELECT Id, Name FROM Account WHERE Id IN (SELECT Account__c FROM NPS_Response__c) ORDER BY Name'
    );
    accounts = named.records.map((a: Row) => ({
      id: String(a.Id),
      name: String(a.Name),
      responses: counts.get(String(a.Id)) ?? 0
    }));
  } else {
    const named = await org.query('SELECT Id, Name FROM Account ORDER BY Name LIMIT 2000');
    accounts = named.records.map((a: Row) => ({ id: String(a.Id), name: String(a.Name), responses: 0 }));
  }
  const mostResponses = [...accounts].sort((a, b) => b.responses - a.responses || byName(a, b))[0];
  const largestTeam = [...managers]
    .filter((m) => m.managerId !== null) // a manager of CSMs, not the VP at the top
    .sort((a, b) => (reports.get(b.id) ?? 0) - (reports.get(a.id) ?? 0) || byName(a, b))[0];
  const mostWaiting = [...waiting.records].sort((a: Row, b: Row) => Number(b.n) - Number(a.n))[0];
  const activeCsm = csms.find((c) => c.isActive);
  return {
    managers,
    csms,
    accounts,
    defaultManagerId: largestTeam?.id ?? managers[0]?.id ?? null,
    defaultCsmId: (mostWaiting?.CSM__c as string | undefined) ?? activeCsm?.id ?? null,
    defaultAccountId: mostResponses?.id ?? null,
    orgTimeZone: String((organization.records[0] as Row | undefined)?.TimeZoneSidKey ?? 'UTC'),
    byId
  };
}
