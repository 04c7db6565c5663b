// Everything the account's NPS reads, in one query: the account's current CSM (the Account field that App
// Builder names: Owner, or a custom lookup to User) and every NPS response of the account, newest first,
// paged. Documented GraphQL UI API shapes only. The query is built at run time from the CSM field
// (lightning/graphql parses a gql template with substitutions when it runs), once per field.
import { gql, type GraphqlDocument } from 'lightning/graphql';
import type { Connection, Field, ResponseNode } from 'c/npsData';

/** Rows per page; constant for a paged collection, as the wire adapter expects. */
export const PAGE_SIZE = 200;

export const RESPONSES_OPERATION = 'accountNpsResponses';

/** The CSM field when App Builder names none: the account owner, as the sync's default. */
export const DEFAULT_CSM_FIELD = 'Owner';

/** The Account field that holds the CSM, as the query reads it. */
export interface CsmField {
  /** As an admin names it: `Owner`, or a custom lookup's API name such as `CSM__c`. */
  field: string;
  /** The relationship the query follows to the user: `Owner`, `CSM__r`. */
  relationship: string;
}

/** A name part of an API name: a letter, then letters and digits, single underscores between them. */
const NAME = '[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*';
/** A custom field, with or without a namespace prefix: `CSM__c`, `acme__CSM__c`. */
const CUSTOM_FIELD = new RegExp(`^((?:${NAME}__)?${NAME})__c$`, 'i');

/**
 * The CSM field from the App Builder property, as the sync reads `csmField` / `CSM_Field__c`: empty means
 * Owner; `Owner` or `OwnerId` is the owner; otherwise the API name of a custom field (…__c). Null when the
 * value is neither, so that no query is built from it.
 */
export function csmFieldOf(setting: unknown): CsmField | null {
  if (setting !== undefined && setting !== null && typeof setting !== 'string') return null;
  const value = (setting ?? '').trim();
  if (value === '' || /^owner(id)?$/i.test(value)) return { field: 'Owner', relationship: 'Owner' };
  const custom = CUSTOM_FIELD.exec(value);
  if (!custom) return null;
  const name = custom[1] as string;
  return { field: `${name}__c`, relationship: `${name}__r` };
}

const queries = new Map<string, GraphqlDocument>();

/**
 * The query for a CSM field (one document per field, so the wire sees the same query while it pages).
 * The user is aliased `csm` whatever the field, so the data has one shape.
 */
export function responsesQuery(csm: CsmField): GraphqlDocument {
  const cached = queries.get(csm.relationship);
  if (cached) return cached;
  const query = buildQuery(csm.relationship);
  queries.set(csm.relationship, query);
  return query;
}

function buildQuery(relationship: string): GraphqlDocument {
  return gql`
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
              csm: ${relationship} {
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
}

export interface AccountNode {
  Id: string;
  Name?: Field<string>;
  /** The current CSM (the configured field's user), aliased. */
  csm?: { Name?: Field<string> } | null;
}

export interface ResponsesData {
  uiapi: {
    query: {
      Account: Connection<AccountNode>;
      NPS_Response__c: Connection<ResponseNode>;
    };
  };
}
