// Permission sets as data: what each grants on objects, fields, custom metadata types, tabs, apps and
// user permissions. The tests compare them with the least-privilege lists of the issue; other code
// (e.g. the local org deciding what a user may do) can read the same. Plus the sharing rules, and the
// check that a CSM cannot reach other CSMs' NPS records (csmRecordIsolationProblems).

import { existsSync } from 'node:fs';
import path from 'node:path';
import { defaultSourceDir, listFiles } from './paths';
import { bool, list, readMetadataXml, text } from './xml';

export interface ObjectPermission {
  object: string;
  allowCreate: boolean;
  allowRead: boolean;
  allowEdit: boolean;
  allowDelete: boolean;
  viewAllRecords: boolean;
  modifyAllRecords: boolean;
}

export interface FieldPermission {
  /** "Object__c.Field__c" */
  field: string;
  readable: boolean;
  editable: boolean;
}

export interface PermissionSetMetadata {
  name: string;
  label: string;
  description: string | null;
  license: string | null;
  objectPermissions: ObjectPermission[];
  fieldPermissions: FieldPermission[];
  /** Custom metadata types (and custom settings) the set gives read access to. */
  customMetadataTypes: string[];
  userPermissions: string[];
  tabs: { tab: string; visibility: string }[];
  applications: { application: string; visible: boolean }[];
  file: string;
}

export function loadPermissionSets(sourceDir: string = defaultSourceDir()): PermissionSetMetadata[] {
  return listFiles(path.join(sourceDir, 'permissionsets'), (f) => f.endsWith('.permissionset-meta.xml')).map(
    (file) => {
      const node = readMetadataXml(file, 'PermissionSet');
      return {
        name: path.basename(file, '.permissionset-meta.xml'),
        label: text(node, 'label') ?? '',
        description: text(node, 'description') ?? null,
        license: text(node, 'license') ?? null,
        objectPermissions: list(node, 'objectPermissions').map((p) => ({
          object: text(p, 'object') ?? '',
          allowCreate: bool(p, 'allowCreate'),
          allowRead: bool(p, 'allowRead'),
          allowEdit: bool(p, 'allowEdit'),
          allowDelete: bool(p, 'allowDelete'),
          viewAllRecords: bool(p, 'viewAllRecords'),
          modifyAllRecords: bool(p, 'modifyAllRecords')
        })),
        fieldPermissions: list(node, 'fieldPermissions').map((p) => ({
          field: text(p, 'field') ?? '',
          readable: bool(p, 'readable'),
          editable: bool(p, 'editable')
        })),
        customMetadataTypes: [
          ...list(node, 'customMetadataTypeAccesses')
            .filter((a) => bool(a, 'enabled'))
            .map((a) => text(a, 'name') ?? ''),
          ...list(node, 'customSettingAccesses')
            .filter((a) => bool(a, 'enabled'))
            .map((a) => text(a, 'name') ?? '')
        ],
        userPermissions: list(node, 'userPermissions')
          .filter((u) => bool(u, 'enabled'))
          .map((u) => text(u, 'name') ?? ''),
        tabs: list(node, 'tabSettings').map((t) => ({
          tab: text(t, 'tab') ?? '',
          visibility: text(t, 'visibility') ?? ''
        })),
        applications: list(node, 'applicationVisibilities').map((a) => ({
          application: text(a, 'application') ?? '',
          visible: bool(a, 'visible')
        })),
        file
      };
    }
  );
}

/** A sharing rule (criteria- or owner-based) from `sharingRules/<Object>.sharingRules-meta.xml`. */
export interface SharingRule {
  object: string;
  name: string;
  kind: 'criteria' | 'owner' | 'guest';
  accessLevel: string;
  file: string;
}

/** Every sharing rule in the source (none when there is no sharingRules folder). */
export function loadSharingRules(sourceDir: string = defaultSourceDir()): SharingRule[] {
  const folder = path.join(sourceDir, 'sharingRules');
  if (!existsSync(folder)) return [];
  return listFiles(folder, (f) => f.endsWith('.sharingRules-meta.xml')).flatMap((file) => {
    const node = readMetadataXml(file, 'SharingRules');
    const object = path.basename(file, '.sharingRules-meta.xml');
    const rules = (tag: string, kind: SharingRule['kind']) =>
      list(node, tag).map((rule) => ({
        object,
        name: text(rule, 'fullName') ?? text(rule, 'label') ?? '(unnamed)',
        kind,
        accessLevel: text(rule, 'accessLevel') ?? '',
        file
      }));
    return [
      ...rules('sharingCriteriaRules', 'criteria'),
      ...rules('sharingOwnerRules', 'owner'),
      ...rules('sharingGuestRules', 'guest')
    ];
  });
}

/** User permissions that reach every record whatever the sharing says. */
const SEES_EVERY_RECORD = ['ViewAllData', 'ModifyAllData', 'TransferAnyEntity', 'ManageSharing'];

/**
 * What would let a CSM holding `set` read another CSM's NPS records (verbatims included), write what
 * the sync computed, or delete anything (DESIGN.md § Data model: OwnerId = the CSM, sharing Private).
 * Each problem names the object, the setting and what it opens; none means the set is least privilege:
 * Private org-wide defaults (internal and external), no sharing rule on the two objects, no View All,
 * Modify All, create or delete, no user permission that sees every record, and `editableFields` only.
 */
export function csmRecordIsolationProblems(
  set: PermissionSetMetadata,
  objects: readonly { apiName: string; sharingModel: string | null; externalSharingModel: string | null }[],
  sharingRules: readonly SharingRule[],
  editableFields: readonly string[] = ['NPS_Response__c.Followed_Up__c']
): string[] {
  const problems: string[] = [];
  for (const name of ['NPS_Response__c', 'NPS_Snapshot__c']) {
    const object = objects.find((o) => o.apiName === name);
    if (!object) {
      problems.push(`${name}: the object is missing from the metadata`);
      continue;
    }
    if (object.sharingModel !== 'Private')
      problems.push(
        `${name}: org-wide default ${object.sharingModel ?? '(none)'} instead of Private: every CSM would see every row`
      );
    if (object.externalSharingModel !== null && object.externalSharingModel !== 'Private')
      problems.push(`${name}: external org-wide default ${object.externalSharingModel} instead of Private`);
    for (const rule of sharingRules.filter((r) => r.object === name))
      problems.push(
        `${name}: ${rule.kind} sharing rule ${rule.name} (${rule.accessLevel}) opens rows beyond their owner`
      );
    const access = set.objectPermissions.find((p) => p.object === name);
    if (!access) continue;
    if (access.viewAllRecords)
      problems.push(`${name}: View All in ${set.name}: a CSM would read every CSM's rows`);
    if (access.modifyAllRecords)
      problems.push(`${name}: Modify All in ${set.name}: a CSM would change every CSM's rows`);
    if (access.allowDelete) problems.push(`${name}: Delete in ${set.name}: a CSM could remove answers`);
    if (access.allowCreate)
      problems.push(`${name}: Create in ${set.name}: a CSM could add answers of their own`);
    const editable = editableFields.filter((f) => f.startsWith(`${name}.`));
    if (access.allowEdit && editable.length === 0)
      problems.push(`${name}: Edit in ${set.name}: nothing on it is the CSM's to change`);
  }
  for (const field of set.fieldPermissions) {
    if (field.editable && !editableFields.includes(field.field))
      problems.push(`${field.field}: editable in ${set.name}: only ${editableFields.join(', ')} may be`);
  }
  for (const permission of set.userPermissions.filter((p) => SEES_EVERY_RECORD.includes(p)))
    problems.push(`${permission} in ${set.name}: reaches every record whatever the sharing`);
  return problems;
}
