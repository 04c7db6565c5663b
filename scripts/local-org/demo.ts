// The org every local org starts from (Organization, profiles, the integration user) and the demo
// data set: a Customer Success team, its book of accounts and 36 months of Salesforce Surveys
// answers, generated deterministically from a seed. Rows are written with prepared statements in
// large transactions (indexes are built afterwards), so a 1,000,000-response org takes seconds.
//
// What the data is built to exercise (see README.md, "Demo data"):
// - CSMs whose NPS improves, declines, holds high or low, or is noisy on a small book;
// - accounts reassigned when a CSM leaves or joins and in yearly rebalancing, with the changes in
//   AccountHistory as Salesforce writes them (an `EntityId` row with user Ids and a `Text` row with names);
// - accounts without a CSM (owned by the integration user), accounts created during the window;
// - a company NPS question in two survey versions (same DeveloperName, different question Ids), a
//   CSM NPS question added in version 2, a free-text question, a non-NPS survey (support CSAT),
//   started-but-not-completed responses that carry an NPS answer, unanswered invitations,
//   anonymous invitations (no participant) and invitations without a SurveySubject;
// - answers at all hours in the customers' own time zones, so that month boundaries differ by zone.

import { makeId } from './ids';
import { Random } from './prng';
import type { SObjectDef } from './schema';
import type Database from 'better-sqlite3';
import type { Store } from './store';
import { toStoredDateTime } from './time';
import type { Stored } from './values';

export interface OrgProfile {
  name: string;
  timeZoneSidKey: string;
  fiscalYearStartMonth: number;
  usesStartDateAsFiscalYearName: boolean;
}

export interface BaseOrg {
  organizationId: string;
  integrationUserId: string;
  username: string;
  profiles: Record<'admin' | 'standard' | 'customerSuccess', string>;
}

export interface DemoCsm {
  id: string;
  name: string;
  managerId: string;
  segment: Segment;
  pattern: Pattern;
  isActive: boolean;
  hiredAt: string;
  leftAt: string | null;
}

export interface DemoSummary {
  seed: string;
  /** NPS answers (company and CSM questions) in completed survey responses: what a sync reads. */
  responses: number;
  /** Completed relationship survey responses holding those answers. */
  completedSubmissions: number;
  windowStart: string;
  windowEnd: string;
  vpId: string;
  managerIds: string[];
  csms: DemoCsm[];
  integrationUserId: string;
  accounts: number;
  unassignedAccounts: number;
  contacts: number;
  reassignments: number;
  relationshipSurveyId: string;
  supportSurveyId: string;
  /** DeveloperNames of the questions, identical across survey versions. */
  questions: {
    companyNps: string;
    csmNps: string;
    comment: string;
    commentV1: string;
    supportRating: string;
  };
  rows: Record<string, number>;
  generationMs: number;
}

export type Segment = 'Enterprise' | 'Mid-Market' | 'SMB';
export type Pattern = 'improving' | 'declining' | 'steady-high' | 'steady' | 'steady-low' | 'noisy';

const DAY = 86_400_000;

const FIRST = [
  'Olivia',
  'Liam',
  'Emma',
  'Noah',
  'Ava',
  'Elijah',
  'Sophia',
  'Mateo',
  'Isabella',
  'Lucas',
  'Mia',
  'Levi',
  'Amelia',
  'Ezra',
  'Harper',
  'Asher',
  'Evelyn',
  'Leo',
  'Priya',
  'Arjun',
  'Mei',
  'Hiroshi',
  'Fatima',
  'Omar',
  'Ingrid',
  'Lars',
  'Chiara',
  'Marco',
  'Zoë',
  'Björn',
  'Aaliyah',
  'Kwame',
  'Sofía',
  'Diego',
  'Chloé',
  'Julien',
  'Hannah',
  'Jonas',
  'Nadia',
  'Samir',
  'Grace',
  'Daniel',
  'Ruth',
  'Tomás',
  'Yuki',
  'Ravi',
  'Anaïs',
  'Oskar',
  'Leila',
  'Connor',
  'Siobhan',
  'Kenji',
  'Ama',
  'Felix',
  'Marta',
  'Pavel',
  'Elena',
  'Rahul',
  'Jade',
  'Owen'
];
const LAST = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Gonzalez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Taylor',
  'Moore',
  'Jackson',
  'Martin',
  'Lee',
  'Perez',
  'Thompson',
  'White',
  'Harris',
  'Sanchez',
  'Clark',
  'Ramirez',
  'Lewis',
  'Robinson',
  'Walker',
  'Young',
  'Allen',
  'King',
  'Wright',
  'Scott',
  'Nguyen',
  'Hill',
  'Flores',
  'Green',
  'Müller',
  'Schmidt',
  'Dubois',
  'Rossi',
  'Kowalski',
  'Novak',
  'Andersson',
  'Nakamura',
  'Patel',
  'Okafor',
  "O'Brien",
  'Fitzgerald',
  'Silva',
  'Costa',
  'Ivanova',
  'Haddad',
  'Kim',
  'Park',
  'Chen',
  'Wang',
  'Singh',
  'Mensah',
  'Larsen',
  'Virtanen',
  'Byrne',
  'Moreau'
];
const COMPANY_A = [
  'Acme',
  'Blue',
  'Summit',
  'North',
  'Bright',
  'Iron',
  'Cedar',
  'Harbor',
  'Pioneer',
  'Atlas',
  'Silver',
  'Granite',
  'Evergreen',
  'Red',
  'Apex',
  'Crescent',
  'Falcon',
  'Keystone',
  'Lumen',
  'Meridian',
  'Nimbus',
  'Orchid',
  'Polar',
  'Quantum',
  'Riverside',
  'Sterling',
  'Tidal',
  'Union',
  'Vertex',
  'Willow',
  'Zenith',
  'Horizon',
  'Beacon',
  'Copper',
  'Delta',
  'Ember',
  'Frontier',
  'Golden',
  'Highland'
];
const COMPANY_B = [
  'Logistics',
  'Health',
  'Foods',
  'Analytics',
  'Bank',
  'Energy',
  'Robotics',
  'Media',
  'Retail',
  'Insurance',
  'Labs',
  'Systems',
  'Telecom',
  'Manufacturing',
  'Pharma',
  'Capital',
  'Software',
  'Freight',
  'Clinics',
  'Hotels',
  'Motors',
  'Textiles',
  'Agritech',
  'Biotech',
  'Engineering',
  'Consulting',
  'Education',
  'Airlines',
  'Utilities',
  'Games'
];
const COMPANY_C = [
  'Inc.',
  'LLC',
  'Corp.',
  'Group',
  'GmbH',
  'Ltd',
  'S.A.',
  'Co.',
  'Holdings',
  'AG',
  'Partners',
  'plc'
];
const INDUSTRY_BY_B: Record<string, string> = {
  Logistics: 'Transportation',
  Health: 'Healthcare',
  Foods: 'Food & Beverage',
  Analytics: 'Technology',
  Bank: 'Banking',
  Energy: 'Energy',
  Robotics: 'Machinery',
  Media: 'Media',
  Retail: 'Retail',
  Insurance: 'Insurance',
  Labs: 'Biotechnology',
  Systems: 'Technology',
  Telecom: 'Telecommunications',
  Manufacturing: 'Manufacturing',
  Pharma: 'Biotechnology',
  Capital: 'Finance',
  Software: 'Technology',
  Freight: 'Shipping',
  Clinics: 'Healthcare',
  Hotels: 'Hospitality',
  Motors: 'Manufacturing',
  Textiles: 'Manufacturing',
  Agritech: 'Agriculture',
  Biotech: 'Biotechnology',
  Engineering: 'Engineering',
  Consulting: 'Consulting',
  Education: 'Education',
  Airlines: 'Transportation',
  Utilities: 'Utilities',
  Games: 'Entertainment'
};
const TITLES = [
  'VP Operations',
  'Director of IT',
  'Head of Customer Experience',
  'CFO',
  'Operations Manager',
  'Systems Administrator',
  'COO',
  'Procurement Lead',
  'Analytics Manager',
  'Chief of Staff',
  'IT Manager',
  'Head of Sales Ops'
];
const TEAMS = ['East', 'Central', 'West', 'EMEA', 'APAC', 'Strategic', 'Growth', 'Digital'];

/** Regions: billing place and the customer's UTC offset in hours (standard time; DST is ignored by design). */
const REGIONS: {
  country: string;
  state: string | null;
  city: string;
  offset: number;
  tz: string;
  weight: number;
}[] = [
  { country: 'United States', state: 'NY', city: 'New York', offset: -5, tz: 'America/New_York', weight: 30 },
  { country: 'United States', state: 'IL', city: 'Chicago', offset: -6, tz: 'America/Chicago', weight: 15 },
  {
    country: 'United States',
    state: 'CA',
    city: 'San Francisco',
    offset: -8,
    tz: 'America/Los_Angeles',
    weight: 18
  },
  { country: 'United Kingdom', state: null, city: 'London', offset: 0, tz: 'Europe/London', weight: 12 },
  { country: 'Germany', state: null, city: 'Munich', offset: 1, tz: 'Europe/Berlin', weight: 10 },
  { country: 'Australia', state: 'NSW', city: 'Sydney', offset: 10, tz: 'Australia/Sydney', weight: 5 },
  { country: 'Canada', state: 'ON', city: 'Toronto', offset: -5, tz: 'America/Toronto', weight: 10 }
];

const PRAISE = [
  '{csm} has been fantastic: proactive, responsive and genuinely invested in our success.',
  'The quarterly business reviews are actually useful now. Great partnership.',
  'Onboarding was smooth and the product just works for our team.',
  'Support resolves our tickets quickly, and the reporting saves us hours every week.',
  'Love the new dashboards. Our executives finally look at the numbers.',
  "Reliable platform, great people. We've already recommended you to two partners.",
  '{csm} knows our business better than some of our own staff!',
  'Excellent value for money, and the API is solid.',
  'Every release gets better. The roadmap sessions with {csm} were very helpful.',
  'Fast, stable, and the team listens to feedback.'
];
const NEUTRAL = [
  'Good product overall, but the mobile app still feels like an afterthought.',
  'Does what we need. The price increase at renewal was a surprise, though.',
  "Solid, but we'd like more say in the roadmap.",
  'Fine for now; the export options are limited.',
  'Support is OK, but response times vary a lot.',
  "We're getting value, but adoption outside the operations team is low.",
  'Works well once set up. Setup took longer than promised.',
  'Happy with {csm}, less happy with the product gaps in reporting.'
];
const COMPLAINTS = [
  "We've had three different CSMs in a year; continuity is a real problem.",
  'Support tickets take weeks to resolve. Very frustrating.',
  'The Salesforce integration breaks after every release.',
  'The renewal price went up 18% with no new value for us.',
  'Performance has degraded badly: reports time out every day.',
  'Nobody from your side has checked in with us since onboarding.',
  'Too many bugs in the last release; we had to roll back our rollout.',
  'Billing errors two months in a row. Please fix this.',
  'We were promised SSO "next quarter" a year ago.',
  'Hard to reach anyone who can actually make a decision.'
];
const PREFIXES = ['', '', '', '', 'Honestly, ', 'To be fair, ', 'Overall: ', 'In short: '];
const SUFFIXES = [
  '',
  '',
  '',
  '',
  '',
  ' Thanks!',
  ' Please reach out.',
  ' 👍',
  ' Merci.',
  ' (see ticket #{n})'
];

function lowerFirst(text: string): string {
  return text.length > 1 && /^[A-Z][a-z]/.test(text) ? text[0]?.toLowerCase() + text.slice(1) : text;
}

function comment(
  rng: Random,
  category: 'promoter' | 'passive' | 'detractor',
  csmFirstName: string | null
): string {
  const pool = category === 'promoter' ? PRAISE : category === 'passive' ? NEUTRAL : COMPLAINTS;
  let text = rng.pick(pool);
  if (text.includes('{csm}') && !csmFirstName) text = rng.pick(pool.filter((t) => !t.includes('{csm}')));
  text = text.replace(/\{csm\}/g, csmFirstName ?? 'our CSM');
  const prefix = rng.pick(PREFIXES);
  if (prefix) text = prefix + lowerFirst(text);
  if (rng.chance(0.12)) {
    const other =
      category === 'detractor' ? rng.pick(NEUTRAL) : rng.pick(category === 'promoter' ? NEUTRAL : COMPLAINTS);
    text = `Pros: ${category === 'detractor' ? 'the product itself is fine' : text}\nCons: ${other.replace(/\{csm\}/g, csmFirstName ?? 'our CSM')}`;
  }
  if (rng.chance(0.002)) text += ' Great <b>support</b> & fast answers, "as usual".';
  return text + rng.pick(SUFFIXES).replace('{n}', String(rng.int(10000, 99999)));
}

interface CsmModel {
  idx: number;
  id: string;
  first: string;
  last: string;
  name: string;
  managerIdx: number;
  segment: Segment;
  pattern: Pattern;
  offset: number;
  hiredAt: number;
  leftAt: number | null;
  capacity: number;
}

interface AccountModel {
  id: string;
  name: string;
  segment: Segment;
  region: number;
  createdAt: number;
  effect: number;
  /** Owner changes: time and owner (a CSM index, or -1 for the integration user). */
  timeline: { at: number; owner: number }[];
  contacts: string[];
  neverAssigned: boolean;
}

/**
 * A column of a generated INSERT: a parameter (named after the column), the same value as
 * another parameter, a constant, or an SQL expression over parameters (`{name}`); `{ param }`
 * declares a parameter that only expressions use. Binding values — strings above all — is where
 * most of the time of a large insert goes, so constants, repeated values, values derived from
 * others (links, names) and low-cardinality Ids (as small numbers mapped by CASE) are not bound.
 */
type ColumnSpec =
  | string
  | { c: string; as: string }
  | { c: string; value: Stored }
  | { c: string; sql: string }
  | { param: string };

function sqlLiteral(value: Stored): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return `'${String(value).replace(/'/g, "''")}'`;
}

/** `CASE {param} WHEN 0 THEN 'a' WHEN 1 THEN 'b' … END`: bind an index instead of a repeated string. */
function pickSql(param: string, values: readonly Stored[]): string {
  return `(CASE {${param}} ${values.map((v, i) => `WHEN ${i} THEN ${sqlLiteral(v)}`).join(' ')} END)`;
}

/**
 * Buffered INSERTs: rows go to SQLite 64 at a time, as `INSERT … SELECT <expressions> FROM (VALUES …)`.
 * Bypasses DML rules: for generated data only. flushInserters() before reading.
 */
class BatchInserter {
  private static readonly ROWS = 64;
  private readonly full: Database.Statement;
  private readonly store: Store;
  private readonly head: string;
  private readonly rowSql: string;
  private readonly width: number;
  private readonly pending: Stored[];
  private rows = 0;

  constructor(store: Store, objectName: string, columns: ColumnSpec[]) {
    const object = store.object(objectName) as SObjectDef;
    this.store = store;
    const params: string[] = [];
    for (const c of columns) {
      if (typeof c === 'string') params.push(c);
      else if ('param' in c) params.push(c.param);
    }
    this.width = params.length;
    const ref = (name: string): string => {
      const i = params.indexOf(name);
      if (i < 0) throw new Error(`generated insert into ${objectName}: unknown parameter ${name}`);
      return `column${i + 1}`;
    };
    const targets = columns.filter(
      (c): c is Exclude<ColumnSpec, { param: string }> => typeof c === 'string' || !('param' in c)
    );
    const exprs = targets.map((c) => {
      if (typeof c === 'string') return ref(c);
      if ('as' in c) return ref(c.as);
      if ('value' in c) return sqlLiteral(c.value);
      return c.sql.replace(/\{(\w+)\}/g, (_, name: string) => ref(name));
    });
    this.head = `INSERT INTO "${object.table}" (${targets.map((c) => `"${typeof c === 'string' ? c : c.c}"`).join(', ')}) SELECT ${exprs.join(', ')} FROM (VALUES `;
    this.rowSql = `(${params.map(() => '?').join(', ')})`;
    this.full = store.db.prepare(
      `${this.head}${Array.from({ length: BatchInserter.ROWS }, () => this.rowSql).join(', ')})`
    );
    this.pending = new Array<Stored>(BatchInserter.ROWS * this.width);
  }

  add(values: Stored[]): void {
    const offset = this.rows * this.width;
    for (let i = 0; i < this.width; i++) this.pending[offset + i] = values[i] as Stored;
    if (++this.rows === BatchInserter.ROWS) {
      this.full.run(...this.pending);
      this.rows = 0;
    }
  }

  flush(): void {
    if (this.rows === 0) return;
    const sql = `${this.head}${Array.from({ length: this.rows }, () => this.rowSql).join(', ')})`;
    this.store.db.prepare(sql).run(...this.pending.slice(0, this.rows * this.width));
    this.rows = 0;
  }
}

const inserters: BatchInserter[] = [];

/** An insert function for `columns` of an object; `values` are the parameters, in the order they appear. */
function inserter(store: Store, objectName: string, columns: ColumnSpec[]): (values: Stored[]) => void {
  const batch = new BatchInserter(store, objectName, columns);
  inserters.push(batch);
  return (values) => batch.add(values);
}

function flushInserters(): void {
  for (const batch of inserters.splice(0)) batch.flush();
}

/** Audit columns of a record that was never modified: values [Id, CreatedDate, CreatedById]. */
const AUDIT: ColumnSpec[] = [
  'Id',
  { c: 'IsDeleted', value: 0 },
  'CreatedDate',
  'CreatedById',
  { c: 'LastModifiedDate', as: 'CreatedDate' },
  { c: 'LastModifiedById', as: 'CreatedById' },
  { c: 'SystemModstamp', as: 'CreatedDate' }
];

/** Organization, profiles, the integration user (the API login user) and its password. */
export function seedBaseOrg(
  store: Store,
  profile: OrgProfile,
  username: string,
  createdAtMs: number
): BaseOrg {
  const orgId = makeId('00D', 1);
  const created = toStoredDateTime(createdAtMs);
  const org = store.object('Organization') as SObjectDef;
  const profiles = store.object('Profile') as SObjectDef;
  const users = store.object('User') as SObjectDef;
  const integrationUserId = makeId(users.keyPrefix, store.reserve(users.keyPrefix));
  const audit = (id: string): Stored[] => [id, created, integrationUserId];
  inserter(store, 'Organization', [
    ...AUDIT,
    'Name',
    'TimeZoneSidKey',
    'FiscalYearStartMonth',
    'UsesStartDateAsFiscalYearName',
    'DefaultLocaleSidKey',
    'LanguageLocaleKey',
    'OrganizationType',
    'IsSandbox',
    'InstanceName'
  ])([
    ...audit(orgId),
    profile.name,
    profile.timeZoneSidKey,
    profile.fiscalYearStartMonth,
    profile.usesStartDateAsFiscalYearName ? 1 : 0,
    'en_US',
    'en_US',
    'Enterprise Edition',
    0,
    'LOCAL'
  ]);
  void org;
  const addProfile = inserter(store, 'Profile', [...AUDIT, 'Name', 'UserType']);
  const profileIds = {
    admin: makeId(profiles.keyPrefix, store.reserve(profiles.keyPrefix)),
    standard: makeId(profiles.keyPrefix, store.reserve(profiles.keyPrefix)),
    customerSuccess: makeId(profiles.keyPrefix, store.reserve(profiles.keyPrefix))
  };
  addProfile([...audit(profileIds.admin), 'System Administrator', 'Standard']);
  addProfile([...audit(profileIds.standard), 'Standard User', 'Standard']);
  addProfile([...audit(profileIds.customerSuccess), 'Customer Success', 'Standard']);
  insertUser(store, {
    id: integrationUserId,
    first: 'Integration',
    last: 'User',
    username,
    email: 'integration@csm-nps.localorg.invalid',
    alias: 'integ',
    profileId: profileIds.admin,
    roleId: null,
    managerId: null,
    title: 'API integration (sync)',
    department: 'IT',
    timeZone: profile.timeZoneSidKey,
    active: true,
    created,
    createdBy: integrationUserId
  });
  flushInserters();
  return { organizationId: orgId, integrationUserId, username, profiles: profileIds };
}

interface NewUser {
  id: string;
  first: string;
  last: string;
  username: string;
  email: string;
  alias: string;
  profileId: string;
  roleId: string | null;
  managerId: string | null;
  title: string;
  department: string;
  timeZone: string;
  active: boolean;
  created: string;
  createdBy: string;
}

function insertUser(store: Store, u: NewUser): void {
  inserter(store, 'User', [
    ...AUDIT,
    'Username',
    'FirstName',
    'LastName',
    'Name',
    'Email',
    'Alias',
    'CommunityNickname',
    'IsActive',
    'ManagerId',
    'UserRoleId',
    'ProfileId',
    'Title',
    'Department',
    'TimeZoneSidKey',
    'LocaleSidKey',
    'LanguageLocaleKey',
    'EmailEncodingKey',
    'UserType'
  ])([
    u.id,
    u.created,
    u.createdBy,
    u.username,
    u.first,
    u.last,
    `${u.first} ${u.last}`,
    u.email,
    u.alias,
    u.alias,
    u.active ? 1 : 0,
    u.managerId,
    u.roleId,
    u.profileId,
    u.title,
    u.department,
    u.timeZone,
    'en_US',
    'en_US',
    'UTF-8',
    'Standard'
  ]);
}

export interface DemoOptions {
  seed: string;
  responses: number;
  /** End of the 36-month window (default: the start of the current UTC day). */
  nowMs: number;
  /** Keep AccountHistory only this many months back (Salesforce keeps 18 months in the UI, 24 through the API); null keeps all. */
  historyMonths: number | null;
  /** Unanswered invitations per completed response. */
  unansweredRatio: number;
  /** A custom User lookup on Account to fill like OwnerId (e.g. CSM__c), when the metadata has one. */
  csmField: string | null;
}

/** toISOString() for generated timestamps, with the date part cached per day (millions of calls). */
function fastIsoFormatter(): (ms: number) => string {
  const days = new Map<number, string>();
  const two = (n: number): string => (n < 10 ? `0${n}` : String(n));
  return (ms) => {
    const t = Math.floor(ms);
    const day = Math.floor(t / DAY);
    let date = days.get(day);
    if (date === undefined) {
      date = new Date(day * DAY).toISOString().slice(0, 11);
      days.set(day, date);
    }
    const rest = t - day * DAY;
    const h = Math.floor(rest / 3600_000);
    const m = Math.floor((rest % 3600_000) / 60_000);
    const sec = Math.floor((rest % 60_000) / 1000);
    const milli = rest % 1000;
    return `${date}${two(h)}:${two(m)}:${two(sec)}.${milli < 10 ? `00${milli}` : milli < 100 ? `0${milli}` : milli}Z`;
  };
}

function monthStartUtc(ms: number, monthsBack: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - monthsBack, 1);
}

export function generateDemo(store: Store, base: BaseOrg, options: DemoOptions): DemoSummary {
  const started = Date.now();
  const rng = new Random(`csm-nps:${options.seed}`);
  const n = Math.max(0, Math.floor(options.responses));
  const windowEnd = options.nowMs;
  const windowStart = monthStartUtc(windowEnd, 35);
  const span = windowEnd - windowStart;
  const iso = fastIsoFormatter();
  const scale = Math.sqrt(Math.max(1, n) / 8000);
  const csmCount = Math.max(25, Math.min(400, Math.round(25 * scale)));
  const managerCount = Math.max(4, Math.ceil(csmCount / 7));
  const accountCount = Math.max(1500, Math.round(1500 * scale));
  const rows: Record<string, number> = {};
  const count = (name: string, k = 1): void => {
    rows[name] = (rows[name] ?? 0) + k;
  };
  // Sequence numbers are reserved in blocks: one write per 10,000 Ids instead of one per Id.
  const ids = (objectName: string): (() => string) => {
    const object = store.object(objectName) as SObjectDef;
    let next = 0;
    let end = 0;
    return () => {
      if (next >= end) {
        next = store.reserve(object.keyPrefix, 10_000);
        end = next + 10_000;
      }
      return makeId(object.keyPrefix, next++);
    };
  };
  const integration = base.integrationUserId;
  const created0 = iso(windowStart - 400 * DAY);
  const audit = (id: string, at: string, by: string): Stored[] => [id, at, by];

  const run = store.db.transaction(() => {
    // --- roles and people -------------------------------------------------------------------
    const roleId = ids('UserRole');
    const addRole = inserter(store, 'UserRole', [
      ...AUDIT,
      'Name',
      'DeveloperName',
      'ParentRoleId',
      'RollupDescription'
    ]);
    const vpRole = roleId();
    addRole([
      ...audit(vpRole, created0, integration),
      'VP Customer Success',
      'VP_Customer_Success',
      null,
      'VP Customer Success'
    ]);
    count('UserRole');
    const userId = ids('User');
    const usedNames = new Set<string>();
    const personName = (): { first: string; last: string } => {
      for (;;) {
        const first = rng.pick(FIRST);
        const last = rng.pick(LAST);
        if (!usedNames.has(`${first} ${last}`)) {
          usedNames.add(`${first} ${last}`);
          return { first, last };
        }
      }
    };
    const emailOf = (first: string, last: string): string =>
      `${first}.${last}`
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .replace(/[^A-Za-z.]/g, '')
        .toLowerCase();
    const vpName = personName();
    const vpId = userId();
    insertUser(store, {
      id: vpId,
      first: vpName.first,
      last: vpName.last,
      username: `${emailOf(vpName.first, vpName.last)}@csm-nps.localorg`,
      email: `${emailOf(vpName.first, vpName.last)}@northwind.example`,
      alias: 'vpcs',
      profileId: base.profiles.customerSuccess,
      roleId: vpRole,
      managerId: null,
      title: 'VP Customer Success',
      department: 'Customer Success',
      timeZone: 'America/New_York',
      active: true,
      created: created0,
      createdBy: integration
    });
    count('User');
    const managers: {
      id: string;
      first: string;
      name: string;
      roleId: string;
      csmRoleId: string;
      team: string;
    }[] = [];
    for (let m = 0; m < managerCount; m++) {
      const team =
        TEAMS[m % TEAMS.length] + (m >= TEAMS.length ? ` ${Math.floor(m / TEAMS.length) + 1}` : '');
      const mRole = roleId();
      const cRole = roleId();
      addRole([
        ...audit(mRole, created0, integration),
        `CS Manager - ${team}`,
        `CS_Manager_${team.replace(/\W/g, '_')}`,
        vpRole,
        `CS Manager - ${team}`
      ]);
      addRole([
        ...audit(cRole, created0, integration),
        `CSM - ${team}`,
        `CSM_${team.replace(/\W/g, '_')}`,
        mRole,
        `CSM - ${team}`
      ]);
      count('UserRole', 2);
      const p = personName();
      const id = userId();
      insertUser(store, {
        id,
        first: p.first,
        last: p.last,
        username: `${emailOf(p.first, p.last)}@csm-nps.localorg`,
        email: `${emailOf(p.first, p.last)}@northwind.example`,
        alias: `${p.first.slice(0, 1)}${p.last.slice(0, 4)}`.toLowerCase().replace(/[^a-z]/g, 'x'),
        profileId: base.profiles.customerSuccess,
        roleId: mRole,
        managerId: vpId,
        title: `Customer Success Manager Lead, ${team}`,
        department: 'Customer Success',
        timeZone: m % 3 === 2 ? 'America/Los_Angeles' : m % 3 === 1 ? 'America/Chicago' : 'America/New_York',
        active: true,
        created: created0,
        createdBy: integration
      });
      count('User');
      managers.push({
        id,
        first: p.first,
        name: `${p.first} ${p.last}`,
        roleId: mRole,
        csmRoleId: cRole,
        team
      });
    }
    // Patterns in fixed proportions so that every demo shows each story.
    const patternPlan: Pattern[] = [];
    const plan: [Pattern, number][] = [
      ['improving', 0.2],
      ['declining', 0.16],
      ['steady-high', 0.16],
      ['steady', 0.24],
      ['steady-low', 0.12],
      ['noisy', 0.12]
    ];
    for (const [pattern, share] of plan)
      for (let i = 0; i < Math.round(share * csmCount); i++) patternPlan.push(pattern);
    while (patternPlan.length < csmCount) patternPlan.push('steady');
    rng.shuffle(patternPlan);
    const csms: CsmModel[] = [];
    for (let c = 0; c < csmCount; c++) {
      const p = personName();
      const managerIdx = c % managerCount;
      const pattern = patternPlan[c] as Pattern;
      const segment: Segment =
        pattern === 'noisy' ? 'Enterprise' : c % 10 < 3 ? 'Enterprise' : c % 10 < 6 ? 'Mid-Market' : 'SMB';
      // ~15% join during the window, ~12% leave (and are deactivated); improving/declining stories stay all window.
      const story = pattern === 'improving' || pattern === 'declining';
      const joins = !story && rng.chance(0.15);
      const leaves = !story && !joins && rng.chance(0.14);
      const hiredAt = joins ? windowStart + rng.int(90, 700) * DAY : windowStart - rng.int(120, 1500) * DAY;
      const leftAt = leaves ? windowStart + rng.int(200, Math.floor(span / DAY) - 60) * DAY : null;
      csms.push({
        idx: c,
        id: userId(),
        first: p.first,
        last: p.last,
        name: `${p.first} ${p.last}`,
        managerIdx,
        segment,
        pattern,
        offset: rng.normal() * 0.15,
        hiredAt,
        leftAt,
        capacity: pattern === 'noisy' ? 0.25 : 1
      });
    }
    for (const c of csms) {
      const manager = managers[c.managerIdx] as (typeof managers)[number];
      insertUser(store, {
        id: c.id,
        first: c.first,
        last: c.last,
        username: `${emailOf(c.first, c.last)}@csm-nps.localorg`,
        email: `${emailOf(c.first, c.last)}@northwind.example`,
        alias: `${c.first.slice(0, 1)}${c.last.slice(0, 4)}`.toLowerCase().replace(/[^a-z]/g, 'x'),
        profileId: base.profiles.customerSuccess,
        roleId: manager.csmRoleId,
        managerId: manager.id,
        title: `Customer Success Manager, ${c.segment}`,
        department: 'Customer Success',
        timeZone:
          c.managerIdx % 3 === 2
            ? 'America/Los_Angeles'
            : c.managerIdx % 3 === 1
              ? 'America/Chicago'
              : 'America/New_York',
        active: c.leftAt === null,
        created: iso(Math.min(c.hiredAt, windowEnd - DAY)),
        createdBy: integration
      });
      count('User');
    }
    const activeAt = (c: CsmModel, t: number): boolean =>
      c.hiredAt <= t && (c.leftAt === null || c.leftAt > t);
    const bySegment = (segment: Segment, t: number, exclude: number): CsmModel[] =>
      csms.filter((c) => c.segment === segment && c.idx !== exclude && activeAt(c, t));
    const pickCsm = (segment: Segment, t: number, exclude = -1, preferManager = -1): number => {
      let pool = bySegment(segment, t, exclude);
      if (preferManager >= 0) {
        const team = pool.filter((c) => c.managerIdx === preferManager);
        if (team.length) pool = team;
      }
      if (pool.length === 0) pool = csms.filter((c) => c.idx !== exclude && activeAt(c, t));
      if (pool.length === 0) return -1;
      const weights = new Float64Array(pool.length);
      let total = 0;
      pool.forEach((c, i) => {
        total += c.capacity;
        weights[i] = total;
      });
      return (pool[rng.weighted(weights)] as CsmModel).idx;
    };

    // --- accounts and their owners over time --------------------------------------------------
    const accountId = ids('Account');
    const accounts: AccountModel[] = [];
    const usedCompanyNames = new Set<string>();
    const regionWeights = new Float64Array(REGIONS.length);
    REGIONS.reduce((sum, r, i) => (regionWeights[i] = sum + r.weight), 0);
    for (let a = 0; a < accountCount; a++) {
      const r = rng.next();
      const segment: Segment = r < 0.12 ? 'Enterprise' : r < 0.45 ? 'Mid-Market' : 'SMB';
      let name = '';
      for (let tries = 0; ; tries++) {
        name = `${rng.pick(COMPANY_A)} ${rng.pick(COMPANY_B)} ${rng.pick(COMPANY_C)}`;
        if (tries > 20) name = `${name} ${a}`;
        if (!usedCompanyNames.has(name)) break;
      }
      usedCompanyNames.add(name);
      const createdInWindow = rng.chance(0.22);
      const createdAt = createdInWindow
        ? windowStart + rng.next() * (span - 30 * DAY)
        : windowStart - rng.int(30, 2500) * DAY;
      accounts.push({
        id: accountId(),
        name,
        segment,
        region: rng.weighted(regionWeights),
        createdAt,
        effect: rng.normal() * 0.6,
        timeline: [],
        contacts: [],
        neverAssigned: rng.chance(0.04)
      });
    }
    const owned = new Map<number, Set<number>>();
    csms.forEach((c) => owned.set(c.idx, new Set()));
    let reassignments = 0;
    const history: { account: number; at: number; from: number; to: number; by: string }[] = [];
    const setOwner = (a: number, at: number, owner: number, by: string, initial: boolean): void => {
      const account = accounts[a] as AccountModel;
      const previous = account.timeline.length
        ? (account.timeline[account.timeline.length - 1] as { owner: number }).owner
        : null;
      if (previous === owner) return;
      if (previous !== null && previous >= 0) owned.get(previous)?.delete(a);
      if (owner >= 0) owned.get(owner)?.add(a);
      account.timeline.push({ at, owner });
      if (!initial && previous !== null) {
        history.push({ account: a, at, from: previous, to: owner, by });
        reassignments++;
      }
    };
    type Event = { at: number; kind: 'create' | 'leave' | 'hire' | 'rebalance'; index: number };
    const events: Event[] = [];
    accounts.forEach((acc, a) =>
      events.push({ at: Math.max(acc.createdAt, windowStart), kind: 'create', index: a })
    );
    for (const c of csms) {
      if (c.leftAt !== null) events.push({ at: c.leftAt, kind: 'leave', index: c.idx });
      if (c.hiredAt > windowStart) events.push({ at: c.hiredAt + 14 * DAY, kind: 'hire', index: c.idx });
    }
    accounts.forEach((acc, a) => {
      if (acc.neverAssigned) return;
      for (let y = 0; y < 3; y++)
        if (rng.chance(0.1))
          events.push({ at: windowStart + (y + rng.next()) * 365 * DAY, kind: 'rebalance', index: a });
    });
    events.sort((x, y) => x.at - y.at || x.index - y.index);
    for (const ev of events) {
      if (ev.at >= windowEnd) continue;
      if (ev.kind === 'create') {
        const acc = accounts[ev.index] as AccountModel;
        const owner = acc.neverAssigned ? -1 : pickCsm(acc.segment, ev.at);
        setOwner(
          ev.index,
          acc.createdAt < windowStart ? windowStart - DAY : acc.createdAt,
          owner,
          integration,
          true
        );
      } else if (ev.kind === 'leave') {
        const leaving = csms[ev.index] as CsmModel;
        const manager = (managers[leaving.managerIdx] as (typeof managers)[number]).id;
        for (const a of [...(owned.get(ev.index) ?? [])]) {
          setOwner(
            a,
            ev.at + rng.int(0, 3) * 3600_000,
            pickCsm(leaving.segment, ev.at, ev.index, leaving.managerIdx),
            manager,
            false
          );
        }
      } else if (ev.kind === 'hire') {
        const hire = csms[ev.index] as CsmModel;
        if (!activeAt(hire, ev.at)) continue;
        const candidates = accounts
          .map((acc, a) => ({ acc, a }))
          .filter(
            ({ acc }) =>
              acc.segment === hire.segment &&
              !acc.neverAssigned &&
              acc.timeline.length > 0 &&
              acc.createdAt <= ev.at
          );
        const take = Math.round(
          (candidates.length / Math.max(1, bySegment(hire.segment, ev.at, -1).length)) * 0.7 * hire.capacity
        );
        const manager = (managers[hire.managerIdx] as (typeof managers)[number]).id;
        for (const { a } of rng.shuffle(candidates).slice(0, take))
          setOwner(a, ev.at + rng.int(0, 48) * 3600_000, ev.index, manager, false);
      } else {
        const acc = accounts[ev.index] as AccountModel;
        const current = acc.timeline.length
          ? (acc.timeline[acc.timeline.length - 1] as { owner: number }).owner
          : -1;
        if (acc.timeline.length === 0 || acc.createdAt > ev.at || current < 0) continue;
        const next = pickCsm(acc.segment, ev.at, current);
        const csm = csms[current] as CsmModel;
        if (next >= 0)
          setOwner(ev.index, ev.at, next, (managers[csm.managerIdx] as (typeof managers)[number]).id, false);
      }
    }
    const ownerIdOf = (owner: number): string => (owner < 0 ? integration : (csms[owner] as CsmModel).id);
    const ownerNameOf = (owner: number): string =>
      owner < 0 ? 'Integration User' : (csms[owner] as CsmModel).name;

    const accountObject = store.object('Account') as SObjectDef;
    const csmField = options.csmField
      ? (accountObject.fieldIndex.get(options.csmField.toLowerCase()) ?? null)
      : null;
    const accountCols: ColumnSpec[] = [
      'Id',
      { c: 'IsDeleted', value: 0 },
      'CreatedDate',
      'CreatedById',
      'LastModifiedDate',
      'LastModifiedById',
      'SystemModstamp',
      'Name',
      'Type',
      'Industry',
      'AnnualRevenue',
      'NumberOfEmployees',
      'BillingCity',
      'BillingState',
      'BillingCountry',
      'Website',
      'OwnerId',
      'AccountNumber',
      'Description'
    ];
    if (csmField?.column) accountCols.push(csmField.column);
    const addAccount = inserter(store, 'Account', accountCols);
    const addHistory = inserter(store, 'AccountHistory', [
      'Id',
      { c: 'IsDeleted', value: 0 },
      'CreatedDate',
      'CreatedById',
      'AccountId',
      'Field',
      'DataType',
      'OldValue',
      'NewValue'
    ]);
    const historyId = ids('AccountHistory');
    const historyFrom =
      options.historyMonths === null ? -Infinity : monthStartUtc(windowEnd, options.historyMonths);
    let unassigned = 0;
    accounts.forEach((acc, a) => {
      const finalOwner = acc.timeline.length
        ? (acc.timeline[acc.timeline.length - 1] as { owner: number }).owner
        : -1;
      if (finalOwner < 0) unassigned++;
      const region = REGIONS[acc.region] as (typeof REGIONS)[number];
      const b = acc.name.split(' ')[1] ?? '';
      const employees =
        acc.segment === 'Enterprise'
          ? rng.int(1000, 60000)
          : acc.segment === 'Mid-Market'
            ? rng.int(100, 999)
            : rng.int(5, 99);
      const created = iso(acc.createdAt);
      const domain = acc.name
        .split(' ')
        .slice(0, 2)
        .join('')
        .toLowerCase()
        .replace(/[^a-z]/g, '');
      const lastChange = acc.timeline.length
        ? (acc.timeline[acc.timeline.length - 1] as { at: number }).at
        : acc.createdAt;
      const modified = iso(Math.max(acc.createdAt, Math.min(lastChange, windowEnd - 1)));
      const values: Stored[] = [
        acc.id,
        created,
        integration,
        modified,
        integration,
        modified,
        acc.name,
        rng.chance(0.8) ? 'Customer - Direct' : 'Customer - Channel',
        INDUSTRY_BY_B[b] ?? 'Other',
        employees * rng.int(80, 260) * 1000,
        employees,
        region.city,
        region.state,
        region.country,
        `https://www.${domain}.example`,
        ownerIdOf(finalOwner),
        `ACC-${String(a + 1).padStart(6, '0')}`,
        `${acc.segment} customer in ${region.city}.`
      ];
      if (csmField?.column) values.push(finalOwner < 0 ? null : ownerIdOf(finalOwner));
      addAccount(values);
      count('Account');
      if (acc.createdAt >= windowStart && acc.createdAt >= historyFrom) {
        addHistory([historyId(), created, integration, acc.id, 'created', null, null, null]);
        count('AccountHistory');
      }
    });
    history.sort((x, y) => x.at - y.at);
    for (const h of history) {
      if (h.at < historyFrom || h.at >= windowEnd) continue;
      const acc = accounts[h.account] as AccountModel;
      const at = iso(h.at);
      addHistory([historyId(), at, h.by, acc.id, 'Owner', 'EntityId', ownerIdOf(h.from), ownerIdOf(h.to)]);
      addHistory([historyId(), at, h.by, acc.id, 'Owner', 'Text', ownerNameOf(h.from), ownerNameOf(h.to)]);
      count('AccountHistory', 2);
      if (csmField) {
        // The custom CSM lookup is empty while an account has no CSM.
        const fromId = h.from < 0 ? null : ownerIdOf(h.from);
        const toId = h.to < 0 ? null : ownerIdOf(h.to);
        addHistory([historyId(), at, h.by, acc.id, csmField.name, 'EntityId', fromId, toId]);
        addHistory([
          historyId(),
          at,
          h.by,
          acc.id,
          csmField.name,
          'Text',
          fromId && ownerNameOf(h.from),
          toId && ownerNameOf(h.to)
        ]);
        count('AccountHistory', 2);
      }
    }
    // A few unrelated tracked changes, as real history tables hold.
    for (let i = 0; i < Math.round(accountCount * 0.02); i++) {
      const acc = rng.pick(accounts);
      const at =
        Math.max(acc.createdAt, windowStart) +
        rng.next() * (windowEnd - Math.max(acc.createdAt, windowStart));
      if (at < historyFrom) continue;
      addHistory([
        historyId(),
        iso(at),
        integration,
        acc.id,
        'Type',
        'Text',
        'Customer - Channel',
        'Customer - Direct'
      ]);
      count('AccountHistory');
    }

    // --- contacts -----------------------------------------------------------------------------
    const addContact = inserter(store, 'Contact', [
      ...AUDIT,
      'AccountId',
      'FirstName',
      'LastName',
      'Name',
      'Email',
      'Title',
      { c: 'OwnerId', value: integration },
      'MailingCountry'
    ]);
    const contactId = ids('Contact');
    for (const acc of accounts) {
      const k =
        acc.segment === 'Enterprise'
          ? rng.int(5, 9)
          : acc.segment === 'Mid-Market'
            ? rng.int(3, 5)
            : rng.int(1, 3);
      const domain = acc.name
        .split(' ')
        .slice(0, 2)
        .join('')
        .toLowerCase()
        .replace(/[^a-z]/g, '');
      const created = iso(acc.createdAt + DAY);
      for (let i = 0; i < Math.ceil(k * Math.min(3, scale)); i++) {
        const first = rng.pick(FIRST);
        const last = rng.pick(LAST);
        const id = contactId();
        const email = `${first}.${last}`
          .normalize('NFD')
          .replace(/[\u0300-\u036f]/g, '')
          .replace(/[^A-Za-z.]/g, '')
          .toLowerCase();
        addContact([
          ...audit(id, created, integration),
          acc.id,
          first,
          last,
          `${first} ${last}`,
          `${email}@${domain}.example`,
          rng.pick(TITLES),
          (REGIONS[acc.region] as (typeof REGIONS)[number]).country
        ]);
        acc.contacts.push(id);
        count('Contact');
      }
    }

    // --- surveys ------------------------------------------------------------------------------
    const surveyId = ids('Survey');
    const versionId = ids('SurveyVersion');
    const questionId = ids('SurveyQuestion');
    const relationshipSurvey = surveyId();
    const supportSurvey = surveyId();
    const v1 = versionId();
    const v2 = versionId();
    const sv = versionId();
    const addSurvey = inserter(store, 'Survey', [
      ...AUDIT,
      'Name',
      'DeveloperName',
      'ActiveVersionId',
      'LatestVersionId',
      'TotalVersionsCount',
      'SurveyType',
      'Description',
      'OwnerId'
    ]);
    const addVersion = inserter(store, 'SurveyVersion', [
      ...AUDIT,
      'Name',
      'SurveyId',
      'VersionNumber',
      'SurveyStatus',
      'Description',
      'IsTemplate'
    ]);
    const addQuestion = inserter(store, 'SurveyQuestion', [
      ...AUDIT,
      'Name',
      'DeveloperName',
      'QuestionName',
      'QuestionType',
      'QuestionOrder',
      'SurveyVersionId',
      'IsDeprecated'
    ]);
    const vp2Start = monthStartUtc(windowEnd, 21);
    const surveyCreated = iso(windowStart - 30 * DAY);
    addSurvey([
      ...audit(relationshipSurvey, surveyCreated, vpId),
      'Customer Relationship Survey',
      'customer_relationship_survey',
      v2,
      v2,
      2,
      'Standard',
      'Quarterly relationship NPS to every customer contact',
      vpId
    ]);
    addSurvey([
      ...audit(supportSurvey, surveyCreated, vpId),
      'Support Case Satisfaction',
      'support_case_satisfaction',
      sv,
      sv,
      1,
      'Standard',
      'Sent when a support case is closed',
      vpId
    ]);
    addVersion([
      ...audit(v1, surveyCreated, vpId),
      'Customer Relationship Survey',
      relationshipSurvey,
      1,
      'Obsolete',
      'Company NPS and a reason',
      0
    ]);
    addVersion([
      ...audit(v2, iso(vp2Start - 7 * DAY), vpId),
      'Customer Relationship Survey',
      relationshipSurvey,
      2,
      'Active',
      'Adds the CSM NPS question',
      0
    ]);
    addVersion([
      ...audit(sv, surveyCreated, vpId),
      'Support Case Satisfaction',
      supportSurvey,
      1,
      'Active',
      null,
      0
    ]);
    count('Survey', 2);
    count('SurveyVersion', 3);
    const companyText = 'How likely are you to recommend Northwind to a friend or colleague?';
    const csmText = 'How likely are you to recommend your Customer Success Manager to a colleague?';
    const q = {
      v1Company: questionId(),
      v1Comment: questionId(),
      v2Company: questionId(),
      v2Csm: questionId(),
      v2Comment: questionId(),
      support: questionId(),
      supportComment: questionId()
    };
    const question = (
      id: string,
      version: string,
      dev: string,
      text: string,
      type: string,
      order: number,
      at: string
    ): void => {
      addQuestion([...audit(id, at, vpId), text.slice(0, 250), dev, text, type, order, version, 0]);
      count('SurveyQuestion');
    };
    question(q.v1Company, v1, 'likely_to_recommend', companyText, 'NPS', 1, surveyCreated);
    question(
      q.v1Comment,
      v1,
      'what_could_we_do_better',
      'What could we do better?',
      'FreeText',
      2,
      surveyCreated
    );
    question(q.v2Company, v2, 'likely_to_recommend', companyText, 'NPS', 1, iso(vp2Start - 7 * DAY));
    question(q.v2Csm, v2, 'csm_likely_to_recommend', csmText, 'NPS', 2, iso(vp2Start - 7 * DAY));
    question(
      q.v2Comment,
      v2,
      'reason_for_score',
      'What is the main reason for your scores?',
      'FreeText',
      3,
      iso(vp2Start - 7 * DAY)
    );
    question(
      q.support,
      sv,
      'support_rating',
      'How satisfied are you with how we handled your case?',
      'Rating',
      1,
      surveyCreated
    );
    question(
      q.supportComment,
      sv,
      'support_comment',
      'Anything else you would like to tell us?',
      'FreeText',
      2,
      surveyCreated
    );

    // --- invitations, responses, answers --------------------------------------------------------
    type Kind = 0 | 1 | 2 | 3; // completed relationship, started, unanswered, support
    // Response volume grows over the window (density 0.7 + 0.6x on [0, 1]).
    const drawTime = (): number => {
      const x = (-0.7 + Math.sqrt(0.49 + 1.2 * rng.next())) / 0.6;
      return windowStart + x * span;
    };
    // `n` counts NPS answers in completed responses (company, plus CSM from survey version 2 on):
    // exactly what a sync of this org reads. Submissions are drawn until they hold n answers.
    const timeList: number[] = [];
    const kindList: Kind[] = [];
    const csmList: boolean[] = [];
    let npsAnswers = 0;
    while (npsAnswers < n) {
      const at = drawTime();
      const withCsm = at >= vp2Start && npsAnswers + 2 <= n && rng.chance(0.7);
      npsAnswers += withCsm ? 2 : 1;
      timeList.push(at);
      kindList.push(0);
      csmList.push(withCsm);
    }
    const submissions = timeList.length;
    const extra = (kind: Kind, howMany: number): void => {
      for (let i = 0; i < howMany; i++) {
        timeList.push(drawTime());
        kindList.push(kind);
        csmList.push(false);
      }
    };
    extra(1, Math.round(submissions * 0.02));
    extra(2, Math.round(submissions * options.unansweredRatio));
    extra(3, Math.round(submissions * 0.05));
    const total = timeList.length;
    const times = Float64Array.from(timeList);
    const kinds = Uint8Array.from(kindList);
    const withCsmAnswer = Uint8Array.from(csmList, (b) => (b ? 1 : 0));
    timeList.length = 0;
    const order = new Uint32Array(total);
    for (let i = 0; i < total; i++) order[i] = i;
    order.sort((x, y) => (times[x] as number) - (times[y] as number));

    const accountWeights = new Float64Array(accounts.length);
    accounts.reduce(
      (sum, acc, i) =>
        (accountWeights[i] =
          sum + (acc.segment === 'Enterprise' ? 3 : acc.segment === 'Mid-Market' ? 1.5 : 1)),
      0
    );
    const invitationId = ids('SurveyInvitation');
    const responseId = ids('SurveyResponse');
    const answerId = ids('SurveyQuestionResponse');
    const subjectId = ids('SurveySubject');
    // Rows the integration user created and never changed: values [Id, CreatedDate].
    const byIntegration: ColumnSpec[] = [
      'Id',
      { c: 'IsDeleted', value: 0 },
      'CreatedDate',
      { c: 'CreatedById', value: integration },
      { c: 'LastModifiedDate', as: 'CreatedDate' },
      { c: 'LastModifiedById', value: integration },
      { c: 'SystemModstamp', as: 'CreatedDate' }
    ];
    const surveysByIndex = [relationshipSurvey, supportSurvey];
    const versionsByIndex = [v1, v2, sv];
    const questionsByIndex = [
      q.v1Company,
      q.v1Comment,
      q.v2Company,
      q.v2Csm,
      q.v2Comment,
      q.support,
      q.supportComment
    ];
    const statuses = ['Completed', 'Started', 'NotStarted'];
    // Parameters, in order: Id, CreatedDate, n, s, ParticipantId, st, OptionsCollectAnonymousResponse.
    const addInvitation = inserter(store, 'SurveyInvitation', [
      ...byIntegration,
      { param: 'n' },
      { c: 'Name', sql: "'SI-' || printf('%08d', {n})" },
      { param: 's' },
      { c: 'SurveyId', sql: pickSql('s', surveysByIndex) },
      'ParticipantId',
      { c: 'ContactId', as: 'ParticipantId' },
      {
        c: 'InvitationLink',
        sql: "'https://northwind-demo.my.site.com/survey/runtimeApp.app?invitationId=' || {Id}"
      },
      { param: 'st' },
      { c: 'ResponseStatus', sql: pickSql('st', statuses) },
      { c: 'InviteExpiryDateTime', sql: "strftime('%Y-%m-%dT%H:%M:%fZ', {CreatedDate}, '+30 days')" },
      { c: 'IsDefault', value: 0 },
      { c: 'OptionsAllowGuestUserResponse', value: 0 },
      { c: 'OptionsAllowParticipantAccessTheirResponse', value: 0 },
      'OptionsCollectAnonymousResponse',
      { c: 'OwnerId', value: integration }
    ]);
    // Parameters: Id, CreatedDate, n, s, v, InvitationId, SubmitterId, st, CompletionDateTime.
    const addResponse = inserter(store, 'SurveyResponse', [
      ...byIntegration,
      { param: 'n' },
      { c: 'Name', sql: "'SR-' || printf('%08d', {n})" },
      { param: 's' },
      { c: 'SurveyId', sql: pickSql('s', surveysByIndex) },
      { param: 'v' },
      { c: 'SurveyVersionId', sql: pickSql('v', versionsByIndex) },
      'InvitationId',
      'SubmitterId',
      { param: 'st' },
      { c: 'Status', sql: pickSql('st', statuses) },
      'CompletionDateTime',
      { c: 'Language', value: 'en_US' },
      { c: 'OwnerId', value: integration }
    ]);
    // Parameters: Id, CreatedDate, ResponseId, InvitationId, q, v, NumberValue, text.
    // ResponseShortText holds text answers (and chosen choices); numeric answers leave it empty.
    const addAnswer = inserter(store, 'SurveyQuestionResponse', [
      ...byIntegration,
      'ResponseId',
      'InvitationId',
      { param: 'q' },
      { c: 'QuestionId', sql: pickSql('q', questionsByIndex) },
      { param: 'v' },
      { c: 'SurveyVersionId', sql: pickSql('v', versionsByIndex) },
      'NumberValue',
      { param: 'text' },
      { c: 'Datatype', sql: "(CASE WHEN {NumberValue} IS NULL THEN 'String' ELSE 'Int' END)" },
      { c: 'ResponseValue', sql: 'COALESCE({text}, CAST({NumberValue} AS TEXT))' },
      { c: 'ResponseShortText', sql: 'substr({text}, 1, 255)' },
      { c: 'IsTrueOrFalse', value: 0 }
    ]);
    // Parameters: Id, CreatedDate, Name, ParentId, SubjectId, s.
    const addSubject = inserter(store, 'SurveySubject', [
      ...byIntegration,
      'Name',
      'ParentId',
      'SubjectId',
      { c: 'SubjectEntityType', value: 'Account' },
      { param: 's' },
      { c: 'SurveyId', sql: pickSql('s', surveysByIndex) },
      { c: 'SurveyInvitationId', as: 'ParentId' },
      { c: 'SurveyResponseId', value: null }
    ]);
    const ownerAt = (acc: AccountModel, t: number): { owner: number; changedAt: number | null } => {
      let owner = acc.timeline.length ? (acc.timeline[0] as { owner: number }).owner : -1;
      let changedAt: number | null = null;
      for (let i = 1; i < acc.timeline.length; i++) {
        const e = acc.timeline[i] as { at: number; owner: number };
        if (e.at > t) break;
        owner = e.owner;
        changedAt = e.at;
      }
      return { owner, changedAt };
    };
    const effect = (c: CsmModel, t: number): number => {
      const frac = (t - windowStart) / span;
      const shape =
        c.pattern === 'improving'
          ? -0.9 + 1.9 * frac
          : c.pattern === 'declining'
            ? 0.9 - 1.8 * frac
            : c.pattern === 'steady-high'
              ? 0.8
              : c.pattern === 'steady-low'
                ? -0.6
                : c.pattern === 'noisy'
                  ? 0.2
                  : 0.1;
      return shape + c.offset;
    };
    const segmentBase: Record<Segment, number> = { Enterprise: 8.3, 'Mid-Market': 8.1, SMB: 7.8 };
    const clampScore = (x: number): number => Math.max(0, Math.min(10, Math.round(x)));
    const hourWeights = new Float64Array(24);
    for (let h = 0, sum = 0; h < 24; h++) {
      sum += h >= 8 && h < 18 ? 10 : h >= 18 && h < 23 ? 3 : 0.6;
      hourWeights[h] = sum;
    }
    let invitationNo = 0;
    let responseNo = 0;
    for (let j = 0; j < total; j++) {
      const i = order[j] as number;
      const kind = kinds[i] as Kind;
      let acc = accounts[rng.weighted(accountWeights)] as AccountModel;
      for (let tries = 0; tries < 10 && acc.createdAt > (times[i] as number); tries++)
        acc = accounts[rng.weighted(accountWeights)] as AccountModel;
      const region = REGIONS[acc.region] as (typeof REGIONS)[number];
      // The customer answers on that local day, mostly in business hours.
      const localDay = Math.floor(((times[i] as number) + region.offset * 3600_000) / DAY) * DAY;
      let t =
        localDay - region.offset * 3600_000 + rng.weighted(hourWeights) * 3600_000 + rng.int(0, 3599) * 1000;
      // Keep answers inside the window and after the account exists, without piling them on one instant.
      const floor = Math.max(acc.createdAt + DAY, windowStart);
      if (t < floor) t = floor + rng.int(3600, (3 * DAY) / 1000) * 1000;
      if (t >= windowEnd) t = windowEnd - rng.int(60, 3 * 3600) * 1000;
      const contact = acc.contacts.length ? rng.pick(acc.contacts) : null;
      const anonymous = kind !== 3 && rng.chance(0.03);
      const participant = anonymous ? null : contact;
      // The survey version is that of the day the invitation went out (before the local-time shift).
      const version = kind === 3 ? sv : (times[i] as number) >= vp2Start ? v2 : v1;
      const invitedAt = t - rng.int(1, 10) * DAY - rng.int(0, 86399) * 1000;
      const inv = invitationId();
      const invCreated = iso(invitedAt);
      const status = kind === 0 || kind === 3 ? 0 : kind === 1 ? 1 : 2;
      const surveyIndex = kind === 3 ? 1 : 0;
      const versionIndex = kind === 3 ? 2 : version === v2 ? 1 : 0;
      addInvitation([inv, invCreated, ++invitationNo, surveyIndex, participant, status, anonymous ? 1 : 0]);
      count('SurveyInvitation');
      if (!(kind !== 3 && rng.chance(0.02))) {
        addSubject([subjectId(), invCreated, acc.name.slice(0, 80), inv, acc.id, surveyIndex]);
        count('SurveySubject');
      }
      if (kind === 2) continue;
      const resp = responseId();
      const completedAt = iso(t);
      const respCreated = iso(t - rng.int(60, 900) * 1000);
      addResponse([
        resp,
        respCreated,
        ++responseNo,
        surveyIndex,
        versionIndex,
        inv,
        participant,
        status,
        kind === 1 ? null : completedAt
      ]);
      count('SurveyResponse');
      const answer = (question: string, number: number | null, text: string | null, at: string): void => {
        addAnswer([
          answerId(),
          at,
          resp,
          inv,
          questionsByIndex.indexOf(question),
          versionIndex,
          number,
          text
        ]);
        count('SurveyQuestionResponse');
      };
      const answeredAt = kind === 1 ? respCreated : completedAt;
      if (kind === 3) {
        const rating = Math.max(1, Math.min(5, Math.round(4 + rng.normal() * 1.1)));
        answer(q.support, rating, null, answeredAt);
        if (rng.chance(0.2))
          answer(
            q.supportComment,
            null,
            comment(rng, rating >= 4 ? 'promoter' : rating === 3 ? 'passive' : 'detractor', null),
            answeredAt
          );
        continue;
      }
      const { owner, changedAt } = ownerAt(acc, t);
      const csm = owner >= 0 ? (csms[owner] as CsmModel) : null;
      const csmEffect = csm ? effect(csm, t) : -0.4;
      const dip = changedAt !== null && t - changedAt < 90 * DAY ? -0.5 : 0;
      const sd = csm?.pattern === 'noisy' ? 2.4 : 1.9;
      const latent =
        segmentBase[acc.segment] + acc.effect + csmEffect + dip + 0.15 * ((t - windowStart) / span);
      // NPS answers have a fat low tail: a few angry customers answer 0–4 whatever the trend.
      const angry = rng.chance(0.02 + 0.04 * Math.max(0, 7.5 - latent));
      const score = angry ? rng.int(0, 4) : clampScore(latent + rng.normal() * sd);
      answer(version === v2 ? q.v2Company : q.v1Company, score, null, answeredAt);
      if (kind === 1) continue;
      if (withCsmAnswer[i] === 1) {
        answer(q.v2Csm, clampScore(latent + 0.3 + 0.6 * csmEffect + rng.normal() * 1.3), null, answeredAt);
      }
      const category = score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
      const p = category === 'detractor' ? 0.55 : category === 'promoter' ? 0.35 : 0.25;
      if (rng.chance(p))
        answer(
          version === v2 ? q.v2Comment : q.v1Comment,
          null,
          comment(rng, category, csm ? csm.first : null),
          answeredAt
        );
    }

    flushInserters();
    return {
      vpId,
      managerIds: managers.map((m) => m.id),
      csms: csms.map((c) => ({
        id: c.id,
        name: c.name,
        managerId: (managers[c.managerIdx] as (typeof managers)[number]).id,
        segment: c.segment,
        pattern: c.pattern,
        isActive: c.leftAt === null,
        hiredAt: iso(c.hiredAt),
        leftAt: c.leftAt === null ? null : iso(c.leftAt)
      })),
      unassigned,
      reassignments,
      relationshipSurvey,
      supportSurvey,
      submissions
    };
  });
  const result = run();
  return {
    seed: options.seed,
    responses: n,
    completedSubmissions: result.submissions,
    windowStart: iso(windowStart),
    windowEnd: iso(windowEnd),
    vpId: result.vpId,
    managerIds: result.managerIds,
    csms: result.csms,
    integrationUserId: integration,
    accounts: accountCount,
    unassignedAccounts: result.unassigned,
    contacts: rows.Contact ?? 0,
    reassignments: result.reassignments,
    relationshipSurveyId: result.relationshipSurvey,
    supportSurveyId: result.supportSurvey,
    questions: {
      companyNps: 'likely_to_recommend',
      csmNps: 'csm_likely_to_recommend',
      comment: 'reason_for_score',
      commentV1: 'what_could_we_do_better',
      supportRating: 'support_rating'
    },
    rows,
    generationMs: Date.now() - started
  };
}
