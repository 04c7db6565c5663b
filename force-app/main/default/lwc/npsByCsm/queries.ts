// Everything NPS by CSM reads, in one place: its two GraphQL queries (snapshots for the matrix, the
// responses behind one cell), the filters they take, and the typed rows they give. Documented GraphQL UI
// API shapes only: uiapi.query.<Object>(first, after, where, orderBy) with edges/node/pageInfo.
import { gql } from 'lightning/graphql';
import type { Connection, ResponseNode, SnapshotNode } from 'c/npsData';

/**
 * Rows per page; constant for a paged collection, as the wire adapter expects. The snapshots use
 * upper-bound pagination (GraphQL API v59.0+): pages of 200 to 2,000 records up to `upperBound`. Without
 * it, record-connection paging stops at 4,000 records (GraphQL API Developer Guide, "Paginate with
 * Record Connections") — fewer than 200 CSMs × 24 months of snapshots.
 */
export const PAGE_SIZE = 200;
export const SNAPSHOT_PAGE_SIZE = 2000;
/** The most snapshots the matrix pages through (a generous ceiling, as the guide recommends). */
export const SNAPSHOT_UPPER_BOUND = 100_000;

export const SNAPSHOTS_OPERATION = 'npsByCsmSnapshots';
export const CELL_RESPONSES_OPERATION = 'npsByCsmCellResponses';

export const SNAPSHOTS_QUERY = gql`
  query npsByCsmSnapshots($where: NPS_Snapshot__c_Filter, $first: Int, $after: String, $upperBound: Int) {
    uiapi {
      query {
        NPS_Snapshot__c(
          first: $first
          after: $after
          upperBound: $upperBound
          where: $where
          orderBy: { Period_Start__c: { order: DESC } }
        ) {
          edges {
            node {
              Id
              CSM__c {
                value
              }
              CSM__r {
                Name {
                  value
                }
              }
              Metric__c {
                value
              }
              Period_Label__c {
                value
              }
              Period_Start__c {
                value
              }
              Responses__c {
                value
              }
              Promoters__c {
                value
              }
              Passives__c {
                value
              }
              Detractors__c {
                value
              }
              NPS__c {
                value
              }
              CI_Low__c {
                value
              }
              CI_High__c {
                value
              }
              Mean_Score__c {
                value
              }
              Shrunk_NPS__c {
                value
              }
              Change__c {
                value
              }
              Change_Significant__c {
                value
              }
              Goal_Status__c {
                value
              }
              Probability_Above_Floor__c {
                value
              }
              Probability_Improved__c {
                value
              }
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
          totalCount
        }
      }
    }
  }
`;

export const CELL_RESPONSES_QUERY = gql`
  query npsByCsmCellResponses($where: NPS_Response__c_Filter, $first: Int, $after: String) {
    uiapi {
      query {
        NPS_Response__c(
          first: $first
          after: $after
          where: $where
          orderBy: { Responded_At__c: { order: DESC } }
        ) {
          edges {
            node {
              Id
              Responded_At__c {
                value
              }
              Score__c {
                value
              }
              Metric__c {
                value
              }
              Comment__c {
                value
              }
              Followed_Up__c {
                value
              }
              Account__r {
                Name {
                  value
                }
              }
              Contact__r {
                Name {
                  value
                }
              }
              CSM__r {
                Name {
                  value
                }
              }
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
          totalCount
        }
      }
    }
  }
`;

export interface SnapshotsData {
  uiapi: { query: { NPS_Snapshot__c: Connection<SnapshotNode> } };
}

export interface CellResponsesData {
  uiapi: { query: { NPS_Response__c: Connection<ResponseNode> } };
}

/** Snapshots of one period type and metric; with `managerId`, only CSMs whose manager that user is. */
export function snapshotsWhere(options: {
  periodType: string;
  metric: string;
  managerId: string | null;
}): Record<string, unknown> {
  const conditions: Record<string, unknown>[] = [
    { Period_Type__c: { eq: options.periodType } },
    { Metric__c: { eq: options.metric } }
  ];
  if (options.managerId) conditions.push({ CSM__r: { ManagerId: { eq: options.managerId } } });
  return { and: conditions };
}

/**
 * The responses behind a cell: the metric, the CSMs of the cell (null = Unassigned), and answer times
 * within `bounds` (UTC instants enclosing the period's local dates in any time zone; the exact local
 * dates are kept afterwards).
 */
export function cellResponsesWhere(options: {
  metric: string;
  csmIds: readonly (string | null)[];
  bounds: { gte: string; lt: string };
}): Record<string, unknown> {
  const ids = options.csmIds.filter((id): id is string => id !== null);
  const csmConditions: Record<string, unknown>[] = [];
  if (ids.length === 1) csmConditions.push({ CSM__c: { eq: ids[0] } });
  else if (ids.length > 1) csmConditions.push({ CSM__c: { in: ids } });
  if (options.csmIds.includes(null)) csmConditions.push({ CSM__c: { eq: null } });
  const csm =
    csmConditions.length === 1 ? (csmConditions[0] as Record<string, unknown>) : { or: csmConditions };
  return {
    and: [
      { Metric__c: { eq: options.metric } },
      csm,
      { Responded_At__c: { gte: { value: options.bounds.gte } } },
      { Responded_At__c: { lt: { value: options.bounds.lt } } }
    ]
  };
}
