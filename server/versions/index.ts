/** Frozen versions of a task's work: which one counts (./pick.ts), reading them (./read.ts), freezing one (./freeze.ts). */
export { finalVersion, inVersionOrder, latestVersion, latestVersionBy, type TaskVersion } from "./pick";
export { readFinalVersion, readLatestVersion, readLatestVersionBy, readVersions } from "./read";
export {
  authorRoleOf,
  fixedVersion,
  freezeFixedVersion,
  freezeVersion,
  submittedVersion,
  type FrozenVersion,
  type VersionContent,
} from "./freeze";
