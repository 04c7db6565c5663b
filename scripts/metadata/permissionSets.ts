// Permission sets as data: what each grants on objects, fields, custom metadata types, tabs, apps and
// user permissions. The tests compare them with the least-privilege lists of the issue; other code
// (e.g. the local org deciding what a user may do) can read the same.

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
