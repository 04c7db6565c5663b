// Text shown for data errors: one place, so an admin can translate it later (Custom Labels).
export const LABELS = {
  noFieldAccess:
    'You cannot see the field {0} on {1}. Ask your Salesforce admin for read access to it (the CSM NPS User and CSM NPS Manager permission sets grant it), then reload the page.',
  noObjectAccess:
    'You cannot see {0} records. Ask your Salesforce admin for read access to {0} (the CSM NPS User and CSM NPS Manager permission sets grant it), then reload the page.',
  queryFailed:
    'Salesforce could not read the NPS data: {0}. Reload the page; if it happens again, send this message to your Salesforce admin.',
  unknownError: 'an unknown error',
  saveFailed: '{0}. Check that you can edit this response, then try again.'
} as const;
