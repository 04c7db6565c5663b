import {
  describeGraphqlErrors,
  describeSaveError,
  PageChain,
  toSnapshot,
  userToday,
  type Connection,
  type SnapshotNode
} from 'c/npsData';

const page = (ids: string[], next: string | null): Connection<{ Id: string }> => ({
  edges: ids.map((Id) => ({ node: { Id } })),
  pageInfo: { hasNextPage: next !== null, endCursor: next },
  totalCount: 5
});

describe('PageChain', () => {
  it('chains pages by cursor and knows the next one to load', () => {
    const chain = new PageChain<{ Id: string }>();
    expect(chain.nextCursor).toBeNull();
    chain.add(null, page(['a', 'b'], 'c1'));
    expect(chain.nextCursor).toBe('c1');
    chain.add('c1', page(['c', 'd'], 'c2'));
    chain.add('c2', page(['e'], null));
    expect(chain.nodes.map((n) => n.Id)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(chain.nextCursor).toBeNull();
    expect(chain.totalCount).toBe(5);
  });

  it('replaces a page delivered again instead of counting its rows twice', () => {
    const chain = new PageChain<{ Id: string }>();
    chain.add(null, page(['a', 'b'], 'c1'));
    chain.add('c1', page(['c'], null));
    chain.add(null, page(['a', 'b'], 'c1'));
    expect(chain.nodes.map((n) => n.Id)).toEqual(['a', 'b', 'c']);
    chain.reset();
    expect(chain.nodes).toEqual([]);
    expect(chain.hasFirstPage).toBe(false);
  });
});

describe('describeGraphqlErrors', () => {
  it('names a field or an object the user may not see, and who can grant it', () => {
    expect(
      describeGraphqlErrors([
        {
          message:
            "Validation error of type FieldUndefined: Field 'Comment__c' in type 'NPS_Response__c' is undefined @ 'x'"
        }
      ])
    ).toBe(
      'You cannot see the field Comment__c on NPS_Response__c. Ask your Salesforce admin for read access to it (the CSM NPS User and CSM NPS Manager permission sets grant it), then reload the page.'
    );
    expect(
      describeGraphqlErrors([{ message: "Field 'NPS_Snapshot__c' in type 'RecordQuery' is undefined" }])
    ).toContain('You cannot see NPS_Snapshot__c records');
  });

  it('passes any other message on, once', () => {
    expect(describeGraphqlErrors(['timeout', { message: 'timeout' }])).toBe(
      'Salesforce could not read the NPS data: timeout. Reload the page; if it happens again, send this message to your Salesforce admin.'
    );
    expect(describeGraphqlErrors(undefined)).toContain('an unknown error');
  });
});

describe('describeSaveError', () => {
  it('reads the message of a failed record save', () => {
    expect(describeSaveError({ body: { message: 'Record locked.' } })).toBe(
      'Record locked. Check that you can edit this response, then try again.'
    );
    expect(
      describeSaveError({ body: { message: 'x', output: { errors: [{ message: 'Insufficient access' }] } } })
    ).toBe('Insufficient access. Check that you can edit this response, then try again.');
  });
});

describe('toSnapshot', () => {
  it('reads a snapshot node; a change without a previous period has no significance', () => {
    const node: SnapshotNode = {
      Id: 'a01',
      CSM__c: { value: null },
      Metric__c: { value: 'Company NPS' },
      Period_Label__c: { value: '2026-03' },
      Period_Start__c: { value: '2026-03-01' },
      Responses__c: { value: 4 },
      NPS__c: { value: 25 },
      Change__c: { value: null },
      Change_Significant__c: { value: false },
      Goal_Status__c: { value: 'Insufficient Data' }
    };
    expect(toSnapshot(node)).toMatchObject({
      csmId: null,
      periodLabel: '2026-03',
      responses: 4,
      nps: 25,
      change: null,
      changeSignificant: null,
      goalStatus: 'insufficient_data',
      promoters: 0
    });
    expect(toSnapshot({ ...node, Period_Label__c: { value: null } })).toBeNull();
  });
});

describe('userToday', () => {
  it('is the date in the user’s time zone (America/Los_Angeles in jest), which decides the current period', () => {
    expect(userToday(Date.parse('2026-01-01T03:00:00Z'))).toBe('2025-12-31');
    expect(userToday(Date.parse('2026-01-01T09:00:00Z'))).toBe('2026-01-01');
  });
});
