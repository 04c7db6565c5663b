// Typed readers of this project's Salesforce metadata (force-app), shared by the Node side: the
// metadata tests, the API-name cross-check, the local org and the sync. See README.md beside this file.
//
// The API-name cross-check (./apiNames.ts) is not re-exported: it needs `typescript` at run time,
// so only tests import it, directly.

export { findProjectRoot, packageDirectories, defaultSourceDir, listFiles } from './paths';
export {
  MetadataFileError,
  readMetadataXml,
  parseMetadataXml,
  elementTree,
  assertWellFormed,
  type ElementTree,
  type XmlNode
} from './xml';
export {
  loadMetadata,
  MetadataModel,
  MetadataLookupError,
  didYouMean,
  type CustomMetadataRecord,
  type FieldMetadata,
  type FieldType,
  type ListViewMetadata,
  type LoadMetadataOptions,
  type ObjectKind,
  type ObjectMetadata,
  type PicklistValue,
  type ValidationRuleMetadata,
  type ValueKind
} from './objects';
export {
  parseFormula,
  formulaReferences,
  evaluateFormula,
  FormulaError,
  type FormulaNode,
  type FormulaValue,
  type EvaluateOptions
} from './formula';
export { evaluateFormulaField, failedValidationRules } from './evaluate';
export {
  csmRecordIsolationProblems,
  loadPermissionSets,
  loadSharingRules,
  type PermissionSetMetadata,
  type ObjectPermission,
  type FieldPermission,
  type SharingRule
} from './permissionSets';
export {
  loadReports,
  loadReportTypes,
  loadDashboards,
  loadFolders,
  reportColumnField,
  type ReportMetadata,
  type ReportTypeMetadata,
  type DashboardMetadata,
  type FolderMetadata
} from './analytics';
