// Everything the CSM's NPS reads, in one place: the CSM's snapshots (both questions, newest first) and
// their detractors not yet followed up, as GraphQL queries with their filters. Documented GraphQL UI API
// shapes only: uiapi.query.<Object>(first, after, where, orderBy) with edges/node/pageInfo.
import { gql } from 'lightning/graphql';
import type { Connection, ResponseNode, SnapshotNode } from 'c/npsData';

/** Rows per page; constant for a paged collection, as the wire adapter expects. */
export const PAGE_SIZE = 200;

export const SNAPSHOTS_OPERATION = 'csmNpsSnapshots';
export const DETRACTORS_OPERATION = 'csmNpsDetractors';

export const SNAPSHOTS_QUERY = gql`
  query csmNpsSnapshots($where: NPS_Snapshot__c_Filter, $first: Int, $after: String) {
    uiapi {
      query {
        NPS_Snapshot__c(
          first: $first
          after: $after
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

export const DETRACTORS_QUERY = gql`
  query csmNpsDetractors($where: NPS_Response__c_Filter, $first: Int, $after: String) {
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

export interface DetractorsData {
  uiapi: { query: { NPS_Response__c: Connection<ResponseNode> } };
}

/** One CSM's snapshots of a period type, every question. */
export function snapshotsWhere(options: { csmId: string; periodType: string }): Record<string, unknown> {
  return { and: [{ CSM__c: { eq: options.csmId } }, { Period_Type__c: { eq: options.periodType } }] };
}

/** The CSM's detractors answered since `since` (an instant) and not yet followed up. */
export function detractorsWhere(options: { csmId: string; since: string }): Record<string, unknown> {
  return {
    and: [
      { CSM__c: { eq: options.csmId } },
      { Category__c: { eq: 'Detractor' } },
      { Followed_Up__c: { eq: false } },
      { Responded_At__c: { gte: { value: options.since } } }
    ]
  };
}
