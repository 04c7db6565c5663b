// Everything the account's NPS reads, in one query: the account's current owner (its CSM now) and every
// NPS response of the account, newest first, paged. Documented GraphQL UI API shapes only.
import { gql } from 'lightning/graphql';
import type { Connection, Field, ResponseNode } from 'c/npsData';

/** Rows per page; constant for a paged collection, as the wire adapter expects. */
export const PAGE_SIZE = 200;

export const RESPONSES_OPERATION = 'accountNpsResponses';

export const RESPONSES_QUERY = gql`
  query accountNpsResponses($accountId: ID, $first: Int, $after: String) {
    uiapi {
      query {
        Account(where: { Id: { eq: $accountId } }, first: 1) {
          edges {
            node {
              Id
              Name {
                value
              }
              Owner {
                Name {
                  value
                }
              }
            }
          }
        }
        NPS_Response__c(
          first: $first
          after: $after
          where: { Account__c: { eq: $accountId } }
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

export interface AccountNode {
  Id: string;
  Name?: Field<string>;
  Owner?: { Name?: Field<string> } | null;
}

export interface ResponsesData {
  uiapi: {
    query: {
      Account: Connection<AccountNode>;
      NPS_Response__c: Connection<ResponseNode>;
    };
  };
}
