// The preview's GraphQL UI API subset: the components' own queries parse, become the SOQL one would write
// by hand, and come back in the UI API's shapes (fields as { value }, parents nested, opaque cursors);
// what the API refuses is refused with the platform's wording. The org here is a fake that records SOQL.

import { parseGraphql, GraphqlSyntaxError } from '../graphql/parse';
import {
  decodeCursor,
  encodeCursor,
  executeGraphql,
  soqlString,
  type FieldDescribe,
  type ObjectDescribe,
  type UiApiOrg
} from '../graphql/uiApi';

// The components' queries import `gql` from lightning/graphql; here it keeps the text with its substitutions
// (Account NPS's CSM field), as the preview's does.
jest.mock(
  'lightning/graphql',
  () => ({
    gql: (strings: TemplateStringsArray, ...values: unknown[]) => ({
      source: strings.reduce((text, part, i) => text + String(values[i - 1]) + part)
    })
  }),
  { virtual: true }
);

type Queries = Record<string, unknown>;
let byCsm: Queries;
let csm: Queries;
let account: Queries;
const source = (query: unknown): string => (query as { source: string }).source;
/** Account NPS's query for a CSM field property (`Owner`, `CSM__c`). */
const accountQuery = (csmField: string): string => {
  const { csmFieldOf, responsesQuery } = account as {
    csmFieldOf: (setting: string) => unknown;
    responsesQuery: (csm: unknown) => unknown;
  };
  return source(responsesQuery(csmFieldOf(csmField)));
};

beforeAll(async () => {
  // Loaded after the mock above (imports are not hoisted by this project's Jest transform).
  byCsm = (await import('../../../force-app/main/default/lwc/npsByCsm/queries')) as Queries;
  csm = (await import('../../../force-app/main/default/lwc/csmNps/queries')) as Queries;
  account = (await import('../../../force-app/main/default/lwc/accountNps/queries')) as Queries;
});

const f = (name: string, type: string, extra: Partial<FieldDescribe> = {}): FieldDescribe => ({
  name,
  type,
  relationshipName: null,
  referenceTo: [],
  filterable: true,
  sortable: true,
  ...extra
});
const lookup = (name: string, relationshipName: string, to: string): FieldDescribe =>
  f(name, 'reference', { relationshipName, referenceTo: [to] });

const DESCRIBES: Record<string, ObjectDescribe> = {
  User: {
    name: 'User',
    fields: [f('Id', 'id'), f('Name', 'string'), lookup('ManagerId', 'Manager', 'User')]
  },
  Account: {
    name: 'Account',
    fields: [
      f('Id', 'id'),
      f('Name', 'string'),
      lookup('OwnerId', 'Owner', 'User'),
      lookup('CSM__c', 'CSM__r', 'User')
    ]
  },
  Contact: { name: 'Contact', fields: [f('Id', 'id'), f('Name', 'string')] },
  NPS_Snapshot__c: {
    name: 'NPS_Snapshot__c',
    fields: [
      f('Id', 'id'),
      lookup('CSM__c', 'CSM__r', 'User'),
      f('Metric__c', 'picklist', { picklistValues: [{ value: 'Company NPS', label: 'Company NPS' }] }),
      f('Period_Type__c', 'picklist'),
      f('Period_Label__c', 'string'),
      f('Period_Start__c', 'date'),
      ...[
        'Responses__c',
        'Promoters__c',
        'Passives__c',
        'Detractors__c',
        'NPS__c',
        'CI_Low__c',
        'CI_High__c',
        'Mean_Score__c',
        'Shrunk_NPS__c',
        'Change__c',
        'Probability_Above_Floor__c',
        'Probability_Improved__c'
      ].map((n) => f(n, 'double')),
      f('Change_Significant__c', 'boolean'),
      f('Goal_Status__c', 'picklist', { picklistValues: [{ value: 'Not Met', label: 'Not met' }] })
    ]
  },
  NPS_Response__c: {
    name: 'NPS_Response__c',
    fields: [
      f('Id', 'id'),
      f('Responded_At__c', 'datetime'),
      f('Score__c', 'double'),
      f('Metric__c', 'picklist'),
      f('Comment__c', 'textarea', { filterable: false, sortable: false }),
      f('Followed_Up__c', 'boolean'),
      f('Category__c', 'string'),
      lookup('Account__c', 'Account__r', 'Account'),
      lookup('Contact__c', 'Contact__r', 'Contact'),
      lookup('CSM__c', 'CSM__r', 'User')
    ]
  }
};

class FakeOrg implements UiApiOrg {
  readonly soql: string[] = [];
  constructor(private readonly records: Record<string, unknown>[] = []) {}
  async describe(name: string): Promise<ObjectDescribe | null> {
    return DESCRIBES[name] ?? null;
  }
  async query(soql: string): Promise<{ totalSize: number; records: Record<string, unknown>[] }> {
    this.soql.push(soql);
    if (soql.startsWith('SELECT COUNT()')) return { totalSize: this.records.length, records: [] };
    const limit = Number(/LIMIT (\d+)$/.exec(soql)?.[1] ?? this.records.length);
    return { totalSize: this.records.length, records: this.records.slice(0, limit) };
  }
}

const response = (id: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  Id: id,
  Responded_At__c: '2026-01-20T15:00:00.000+0000',
  Score__c: 3,
  Metric__c: 'Company NPS',
  Comment__c: null,
  Followed_Up__c: false,
  Account__r: { Id: '001000000000001AAA', Name: 'Acme' },
  Contact__r: null,
  CSM__r: { Id: '005000000000001AAA', Name: "Ada O'Hara" },
  ...extra
});

describe('parseGraphql', () => {
  it('reads every query of the components, with its operation name and variables', () => {
    const queries: [string, string, string[]][] = [
      [source(byCsm.SNAPSHOTS_QUERY), 'npsByCsmSnapshots', ['where', 'first', 'after', 'upperBound']],
      [source(byCsm.CELL_RESPONSES_QUERY), 'npsByCsmCellResponses', ['where', 'first', 'after']],
      [source(csm.SNAPSHOTS_QUERY), 'csmNpsSnapshots', ['where', 'first', 'after']],
      [source(csm.DETRACTORS_QUERY), 'csmNpsDetractors', ['where', 'first', 'after']],
      [accountQuery('Owner'), 'accountNpsResponses', ['accountId', 'first', 'after']],
      [accountQuery('CSM__c'), 'accountNpsResponses', ['accountId', 'first', 'after']]
    ];
    for (const [query, name, variables] of queries) {
      const [operation] = parseGraphql(query).definitions;
      expect(operation).toMatchObject({ kind: 'OperationDefinition', operation: 'query', name });
      expect(
        operation?.kind === 'OperationDefinition' && operation.variableDefinitions.map((v) => v.name)
      ).toEqual(variables);
    }
  });

  it('reads every kind of value, aliases, fragments, directives, comments and block strings', () => {
    const document = parseGraphql(`
      # a comment
      query q($n: Int = 3, $ids: [ID!]!) @live {
        uiapi { query { a: Account(first: -1.5e2, where: { Name: { in: ["x\\"y", """
            two
              lines
        """] }, Ok: { eq: true }, No: { eq: null }, E: { order: DESC } }) { ...F ... on AccountConnection @include(if: true) { totalCount } } } }
      }
      fragment F on AccountConnection { pageInfo { hasNextPage } }`);
    expect(document.definitions.map((d) => d.kind)).toEqual(['OperationDefinition', 'FragmentDefinition']);
    const text = JSON.stringify(document);
    expect(text).toContain('"alias":"a"');
    expect(text).toContain('x\\"y');
    expect(text).toContain('two\\n  lines');
    expect(text).toContain('"kind":"Float","value":"-1.5e2"');
    expect(text).toContain('"kind":"Enum","value":"DESC"');
  });

  it('says where a syntax error is (line and column)', () => {
    expect(() => parseGraphql('query {\n  uiapi(first: ) { x }\n}')).toThrow(GraphqlSyntaxError);
    try {
      parseGraphql('query {\n  uiapi(first: ) { x }\n}');
    } catch (error) {
      expect((error as GraphqlSyntaxError).location).toEqual({ line: 2, column: 16 });
      expect((error as Error).message).toBe('Syntax Error: Unexpected ")".');
    }
    expect(() => parseGraphql('{ a(s: "unterminated) }')).toThrow('Unterminated string');
  });
});

describe('executeGraphql (the UI API on SOQL)', () => {
  it("NPS by CSM's snapshots of a manager's team: filters, relationship filter, order, page size, count", async () => {
    const org = new FakeOrg([]);
    const where = byCsm.snapshotsWhere as (o: unknown) => unknown;
    const result = await executeGraphql(
      {
        query: source(byCsm.SNAPSHOTS_QUERY),
        operationName: 'npsByCsmSnapshots',
        variables: {
          where: where({ periodType: 'Quarter', metric: 'Company NPS', managerId: '005000000000009AAA' }),
          first: 200,
          after: null
        }
      },
      org
    );
    expect(result.errors).toBeUndefined();
    expect(org.soql[0]).toMatch(
      /^SELECT Id, CSM__c, CSM__r\.Id, CSM__r\.Name, Metric__c, Period_Label__c, .* FROM NPS_Snapshot__c /
    );
    expect(org.soql[0]).toContain(
      "WHERE (Period_Type__c = 'Quarter' AND Metric__c = 'Company NPS' AND CSM__r.ManagerId = '005000000000009AAA') ORDER BY Period_Start__c DESC, Id ASC LIMIT 201"
    );
    expect(org.soql[1]).toBe(
      "SELECT COUNT() FROM NPS_Snapshot__c WHERE (Period_Type__c = 'Quarter' AND Metric__c = 'Company NPS' AND CSM__r.ManagerId = '005000000000009AAA')"
    );
    expect(result.data).toEqual({
      uiapi: {
        query: {
          NPS_Snapshot__c: { edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 }
        }
      }
    });
  });

  it("a cell's responses: CSMs in a list or none (Unassigned), DateTime bounds as { value }", async () => {
    const org = new FakeOrg([]);
    const where = byCsm.cellResponsesWhere as (o: unknown) => unknown;
    await executeGraphql(
      {
        query: source(byCsm.CELL_RESPONSES_QUERY),
        variables: {
          where: where({
            metric: 'Company NPS',
            csmIds: ['005000000000001AAA', '005000000000002AAA', null],
            bounds: { gte: '2025-12-31T00:00:00.000Z', lt: '2026-04-02T00:00:00.000Z' }
          }),
          first: 200,
          after: null
        }
      },
      org
    );
    expect(org.soql[0]).toContain(
      "WHERE (Metric__c = 'Company NPS' AND (CSM__c IN ('005000000000001AAA', '005000000000002AAA') OR CSM__c = null) AND Responded_At__c >= 2025-12-31T00:00:00.000Z AND Responded_At__c < 2026-04-02T00:00:00.000Z) ORDER BY Responded_At__c DESC, Id ASC"
    );
  });

  it('answers in the UI API shapes: { value }, nested parents (null when empty), UTC instants, paging with cursors', async () => {
    const org = new FakeOrg([
      response('a01000000000001AAA'),
      response('a01000000000002AAA', { CSM__r: null }),
      response('a01000000000003AAA')
    ]);
    const query = accountQuery('Owner');
    const first = await executeGraphql(
      { query, variables: { accountId: '001000000000001AAA', first: 2, after: null } },
      org
    );
    expect(first.errors).toBeUndefined();
    expect(org.soql.find((s) => s.includes('FROM Account '))).toContain("WHERE Id = '001000000000001AAA'");
    expect(org.soql.find((s) => s.includes('FROM NPS_Response__c '))).toContain(
      "WHERE Account__c = '001000000000001AAA' ORDER BY Responded_At__c DESC, Id ASC LIMIT 3"
    );
    const page = (
      first.data as {
        uiapi: {
          query: {
            NPS_Response__c: {
              edges: { node: Record<string, unknown> }[];
              pageInfo: { hasNextPage: boolean; endCursor: string };
            };
          };
        };
      }
    ).uiapi.query.NPS_Response__c;
    expect(page.edges).toHaveLength(2);
    expect(page.edges[0]?.node).toEqual({
      Id: 'a01000000000001AAA',
      Responded_At__c: { value: '2026-01-20T15:00:00.000Z' },
      Score__c: { value: 3 },
      Metric__c: { value: 'Company NPS' },
      Comment__c: { value: null },
      Followed_Up__c: { value: false },
      Account__r: { Name: { value: 'Acme' } },
      Contact__r: null,
      CSM__r: { Name: { value: "Ada O'Hara" } }
    });
    expect(page.edges[1]?.node.CSM__r).toBeNull();
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(decodeCursor(page.pageInfo.endCursor)).toBe(2);

    const second = await executeGraphql(
      { query, variables: { accountId: '001000000000001AAA', first: 2, after: page.pageInfo.endCursor } },
      org
    );
    const next = (
      second.data as {
        uiapi: {
          query: {
            NPS_Response__c: { edges: { node: { Id: string } }[]; pageInfo: { hasNextPage: boolean } };
          };
        };
      }
    ).uiapi.query.NPS_Response__c;
    expect(next.edges.map((e) => e.node.Id)).toEqual(['a01000000000003AAA']);
    expect(next.pageInfo.hasNextPage).toBe(false);
  });

  it.each([
    ['Owner', 'Owner', 'Olga Owner'],
    ['CSM__c', 'CSM__r', 'Priya Shah']
  ])(
    "Account NPS's current CSM with the CSM field %s: the user of %s, under one alias",
    async (csmField, relationship, name) => {
      const org = new FakeOrg([
        {
          Id: '001000000000001AAA',
          Name: 'Acme',
          Owner: { Id: '005000000000001AAA', Name: 'Olga Owner' },
          CSM__r: { Id: '005000000000002AAA', Name: 'Priya Shah' }
        }
      ]);
      const result = await executeGraphql(
        {
          query: accountQuery(csmField),
          operationName: 'accountNpsResponses',
          variables: { accountId: '001000000000001AAA', first: 200, after: null }
        },
        org
      );
      expect(result.errors).toBeUndefined();
      expect(org.soql.find((s) => s.includes('FROM Account '))).toBe(
        `SELECT Id, Name, ${relationship}.Id, ${relationship}.Name FROM Account WHERE Id = '001000000000001AAA' ORDER BY Id ASC LIMIT 2`
      );
      const accountNode = (
        result.data as { uiapi: { query: { Account: { edges: { node: Record<string, unknown> }[] } } } }
      ).uiapi.query.Account.edges[0]?.node;
      expect(accountNode).toEqual({
        Id: '001000000000001AAA',
        Name: { value: 'Acme' },
        csm: { Name: { value: name } }
      });
    }
  );

  it("refuses Account NPS's query for a CSM field the org does not have, as the platform does", async () => {
    const result = await executeGraphql(
      {
        query: accountQuery('Missing__c'),
        operationName: 'accountNpsResponses',
        variables: { accountId: '001000000000001AAA', first: 200, after: null }
      },
      new FakeOrg([])
    );
    expect(result.errors?.[0]?.message).toContain("Field 'Missing__r' in type 'Account' is undefined");
  });

  it("CSM NPS's detractors: a formula field, a checkbox and a DateTime lower bound", async () => {
    const org = new FakeOrg([]);
    const where = csm.detractorsWhere as (o: unknown) => unknown;
    await executeGraphql(
      {
        query: source(csm.DETRACTORS_QUERY),
        variables: {
          where: where({ csmId: '005000000000001AAA', since: '2026-09-04T10:11:12.345Z' }),
          first: 200
        }
      },
      org
    );
    expect(org.soql[0]).toContain(
      "WHERE (CSM__c = '005000000000001AAA' AND Category__c = 'Detractor' AND Followed_Up__c = false AND Responded_At__c >= 2026-09-04T10:11:12.345Z)"
    );
  });

  it('quotes text safely: a value cannot end the SOQL string', () => {
    expect(soqlString("O'Brien \\ ' OR Name != '")).toBe("'O\\'Brien \\\\ \\' OR Name != \\''");
    expect(encodeCursor(200)).toBe(Buffer.from('v1:200').toString('base64'));
    expect(decodeCursor('not a cursor')).toBeNull();
  });

  it.each([
    [
      'an unknown field, in the platform’s words',
      '{ uiapi { query { NPS_Response__c { edges { node { Nope__c { value } } } } } } }',
      {},
      "Validation error of type FieldUndefined: Field 'Nope__c' in type 'NPS_Response__c' is undefined"
    ],
    [
      'an unknown object',
      '{ uiapi { query { Nope__c { edges { node { Id } } } } } }',
      {},
      "Field 'Nope__c' in type 'RecordQuery' is undefined"
    ],
    [
      'a field without its subfields',
      '{ uiapi { query { NPS_Response__c { edges { node { Score__c } } } } } }',
      {},
      "Field 'Score__c' of type 'DoubleValue' must have a selection of subfields."
    ],
    [
      'a DateTime compared with a bare string',
      '{ uiapi { query { NPS_Response__c(where: { Responded_At__c: { gte: "2026-01-01" } }) { edges { node { Id } } } } } }',
      {},
      'a DateTime filter takes { value: … }'
    ],
    [
      'text where a record Id is expected',
      'query q($id: ID) { uiapi { query { NPS_Response__c(where: { CSM__c: { eq: $id } }) { edges { node { Id } } } } } }',
      { id: "x' OR Id != '" },
      'is not a record Id'
    ],
    [
      'a long text area in a filter',
      '{ uiapi { query { NPS_Response__c(where: { Comment__c: { like: "%a%" } }) { edges { node { Id } } } } } }',
      {},
      'Comment__c cannot be filtered'
    ],
    [
      'more than 2000 rows a page',
      '{ uiapi { query { NPS_Response__c(first: 2001) { edges { node { Id } } } } } }',
      {},
      'first must be a whole number from 1 to 2000'
    ],
    [
      'record-connection paging past 4,000 records (as the platform does without upperBound)',
      `{ uiapi { query { NPS_Response__c(first: 200, after: "${Buffer.from('v1:3900').toString('base64')}") { edges { node { Id } } } } } }`,
      {},
      'record-connection pagination reaches 4000 records at most'
    ],
    [
      'upperBound with pages under 200',
      '{ uiapi { query { NPS_Response__c(first: 50, upperBound: 10000) { edges { node { Id } } } } } }',
      {},
      'with upperBound, first must be 200 to 2000'
    ],
    [
      'a cursor it did not give',
      '{ uiapi { query { NPS_Response__c(after: "abc") { edges { node { Id } } } } } }',
      {},
      'is not a cursor this API returned'
    ],
    ['a mutation', 'mutation { uiapi { x } }', {}, 'answers queries only'],
    [
      'an undeclared variable',
      '{ uiapi { query { NPS_Response__c(first: $n) { edges { node { Id } } } } } }',
      {},
      "Variable '$n' is not defined"
    ]
  ])('refuses %s', async (_what, query, variables, message) => {
    const org = new FakeOrg([]);
    const result = await executeGraphql({ query, variables }, org);
    expect(result.errors?.[0]?.message).toContain(message);
    expect(org.soql).toEqual([]);
  });
});
