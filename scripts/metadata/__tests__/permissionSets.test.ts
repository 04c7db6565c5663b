// The permission sets grant exactly what issue 3 lists, least privilege, field by field:
//   CSM_NPS_User    read responses and snapshots (their own, through sharing), edit only Followed_Up__c;
//   CSM_NPS_Manager View All on both, read the settings;
//   CSM_NPS_Sync    create/edit/delete both (Modify All: the records belong to the CSMs), its sync state,
//                   read Account (and so AccountHistory), Contact, the settings, and every record of the
//                   Salesforce Surveys objects (View All, read only: the sync must see every answer).

import {
  csmRecordIsolationProblems,
  loadMetadata,
  loadPermissionSets,
  loadSharingRules,
  type ObjectPermission,
  type PermissionSetMetadata
} from '../index';

const model = loadMetadata();
const sets = loadPermissionSets();
const byName = (name: string): PermissionSetMetadata => {
  const set = sets.find((s) => s.name === name);
  if (!set) throw new Error(`permission set ${name} is missing from force-app/main/default/permissionsets`);
  return set;
};
const access = (set: PermissionSetMetadata): Record<string, Omit<ObjectPermission, 'object'>> =>
  Object.fromEntries(set.objectPermissions.map(({ object, ...rest }) => [object, rest]));
const fields = (set: PermissionSetMetadata): Record<string, string> =>
  Object.fromEntries(
    set.fieldPermissions.map((p) => [p.field, p.editable ? 'edit' : p.readable ? 'read' : 'none'])
  );
/** What a set should say for every custom field of `objects`: 'read', or 'edit' where `editable` says so (never for formulas). */
const expectedFields = (
  objects: string[],
  editable: (object: string, field: string) => boolean
): Record<string, string> =>
  Object.fromEntries(
    objects.flatMap((o) =>
      model
        .customFields(o)
        .map((f) => [`${o}.${f.apiName}`, !f.formula && editable(o, f.apiName) ? 'edit' : 'read'])
    )
  );

const READ = {
  allowCreate: false,
  allowRead: true,
  allowEdit: false,
  allowDelete: false,
  viewAllRecords: false,
  modifyAllRecords: false
};

test('there are exactly the three permission sets of the issue', () => {
  expect(sets.map((s) => s.name).sort()).toEqual(['CSM_NPS_Manager', 'CSM_NPS_Sync', 'CSM_NPS_User']);
  for (const set of sets) {
    expect(set.label.length).toBeGreaterThan(0);
    expect(set.description?.length ?? 0).toBeGreaterThan(40);
    expect(set.license).toBeNull(); // assignable to any user license that allows the permissions
    expect(set.description?.length ?? 0).toBeLessThanOrEqual(255); // PermissionSet.Description is 255 long
  }
});

describe('CSM_NPS_User: a CSM reads and ticks Followed Up, nothing more', () => {
  const set = byName('CSM_NPS_User');
  test('reads both objects; may edit responses only to reach Followed_Up__c; no create, delete, View All or Modify All', () => {
    expect(access(set)).toEqual({
      NPS_Response__c: { ...READ, allowEdit: true },
      NPS_Snapshot__c: READ
    });
  });
  test('every field is listed explicitly: all readable, only Followed_Up__c editable', () => {
    expect(fields(set)).toEqual(
      expectedFields(
        ['NPS_Response__c', 'NPS_Snapshot__c'],
        (o, f) => o === 'NPS_Response__c' && f === 'Followed_Up__c'
      )
    );
    expect(set.fieldPermissions.filter((p) => p.editable).map((p) => p.field)).toEqual([
      'NPS_Response__c.Followed_Up__c'
    ]);
  });
  test('no settings, no user permissions; the CSM NPS app and its tabs', () => {
    expect(set.customMetadataTypes).toEqual([]);
    expect(set.userPermissions).toEqual([]);
    expect(set.applications).toEqual([{ application: 'CSM_NPS', visible: true }]);
    expect(set.tabs.map((t) => `${t.tab}:${t.visibility}`).sort()).toEqual([
      'NPS_Response__c:Visible',
      'NPS_Snapshot__c:Visible'
    ]);
  });
});

test("CSM_NPS_User cannot reach other CSMs' rows: Private sharing inside and out, no sharing rule, no View All, Modify All, create or delete", () => {
  expect(
    csmRecordIsolationProblems(
      byName('CSM_NPS_User'),
      ['NPS_Response__c', 'NPS_Snapshot__c'].map((name) => model.getObject(name)),
      loadSharingRules()
    )
  ).toEqual([]);
});

describe('CSM_NPS_Manager: a manager reads everything', () => {
  const set = byName('CSM_NPS_Manager');
  test('View All on both objects, read only', () => {
    expect(access(set)).toEqual({
      NPS_Response__c: { ...READ, viewAllRecords: true },
      NPS_Snapshot__c: { ...READ, viewAllRecords: true }
    });
  });
  test('every field readable, none editable', () => {
    expect(fields(set)).toEqual(expectedFields(['NPS_Response__c', 'NPS_Snapshot__c'], () => false));
  });
  test('reads the NPS settings; the CSM NPS app and its tabs, including the NPS by CSM page', () => {
    expect(set.customMetadataTypes).toEqual(['NPS_Setting__mdt']);
    expect(set.userPermissions).toEqual([]);
    expect(set.applications).toEqual([{ application: 'CSM_NPS', visible: true }]);
    expect(set.tabs.map((t) => t.tab).sort()).toEqual(['NPS_Response__c', 'NPS_Snapshot__c', 'NPS_by_CSM']);
  });
});

describe('CSM_NPS_Sync: the integration user writes the results and reads the sources', () => {
  const set = byName('CSM_NPS_Sync');
  const WRITE_ALL = {
    allowCreate: true,
    allowRead: true,
    allowEdit: true,
    allowDelete: true,
    viewAllRecords: true,
    modifyAllRecords: true
  };
  const READ_ALL = { ...READ, viewAllRecords: true };
  test('object access', () => {
    expect(access(set)).toEqual({
      // Records are owned by the CSMs (sharing Private): only Modify All lets the sync update, re-own and delete them.
      NPS_Response__c: WRITE_ALL,
      NPS_Snapshot__c: WRITE_ALL,
      // Its own state (watermark): one row per source, never deleted by the sync.
      NPS_Sync_State__c: { ...READ, allowCreate: true, allowEdit: true },
      // AccountHistory has no permission of its own: its rows are readable with read access to the Account.
      Account: READ,
      Contact: READ,
      // Salesforce Surveys, read only. SurveyVersion and SurveyQuestion have no object permission of their
      // own (access follows Survey), nor has SurveyQuestionResponse (it follows SurveyResponse). View All:
      // these records are often Private in the sharing settings, and the sync must read every answer,
      // not only those its user owns or is shared; View All on read-only access grants nothing else.
      Survey: READ_ALL,
      SurveyInvitation: READ_ALL,
      SurveyResponse: READ_ALL
      // Not SurveySubject (Survey Subjects): it is not granted here because we could not confirm that every
      // org accepts it as an objectPermissions entry, and an invalid one fails the whole deploy. docs/ADMIN.md
      // tells admins to give Read on Survey Subjects where their org lists it.
    });
  });
  test('every field of its objects readable and editable, formulas read-only', () => {
    expect(fields(set)).toEqual(
      expectedFields(['NPS_Response__c', 'NPS_Snapshot__c', 'NPS_Sync_State__c'], () => true)
    );
  });
  test('reads the NPS settings; API access; no app, no tabs', () => {
    expect(set.customMetadataTypes).toEqual(['NPS_Setting__mdt']);
    // User records need no object permission (not settable in a permission set): every internal user reads them.
    expect(set.userPermissions).toEqual(['ApiEnabled']);
    expect(set.applications).toEqual([]);
    expect(set.tabs).toEqual([]);
  });
});

test('no permission set grants a field that does not exist, or edit on a formula', () => {
  for (const set of sets) {
    for (const permission of set.fieldPermissions) {
      const [object, field] = permission.field.split('.') as [string, string];
      const meta = model.getField(object, field);
      if (meta.formula)
        expect({ field: permission.field, editable: permission.editable }).toEqual({
          field: permission.field,
          editable: false
        });
    }
  }
});
