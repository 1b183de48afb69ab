// The Registry page's commands, typed. Like the rest of `backend`, the only way to them.
import type {
  CreationTemplate, PullThroughInput, RegistryPolicyTemplate, ReplicationConfiguration, ScanningConfiguration,
} from '../bindings';
import { call } from './index';

export const registry = {
  overview: () => call('registry_overview'),
  regions: () => call('list_regions'),
  checkReplication: (config: ReplicationConfiguration) => call('check_replication', { config }),
  setReplication: (config: ReplicationConfiguration) => call('set_replication', { config }),
  /** The rules in sentences, with ECR's caveats (only images pushed after a rule; cross-account). */
  replicationWords: (config: ReplicationConfiguration) => call('replication_words', { config }),
  credentialSecrets: () => call('credential_secrets'),
  /** The token goes straight to Secrets Manager: the caller clears its copy right after. */
  addPullThroughRule: (input: PullThroughInput) => call('add_pull_through_rule', { input }),
  updatePullThroughRule: (input: PullThroughInput) => call('update_pull_through_rule', { input }),
  validatePullThroughRule: (prefix: string) => call('validate_pull_through_rule', { prefix }),
  removePullThroughRule: (prefix: string) => call('remove_pull_through_rule', { prefix }),
  checkTemplate: (template: CreationTemplate) => call('check_template', { template }),
  saveTemplate: (template: CreationTemplate) => call('save_template', { template }),
  removeTemplate: (prefix: string) => call('remove_template', { prefix }),
  scanning: () => call('scanning'),
  setScanning: (config: ScanningConfiguration) => call('set_scanning', { config }),
  setPolicy: (text: string) => call('set_registry_policy', { text }),
  clearPolicy: () => call('clear_registry_policy'),
  policyTemplate: (template: RegistryPolicyTemplate) => call('registry_policy_template', { template }),
  describePolicy: (text: string) => call('describe_repository_policy', { text }),
  setAccountSetting: (name: string, value: string) => call('set_account_setting', { name, value }),
  kmsAliases: () => call('list_kms_aliases'),
};

export type RegistryBackend = typeof registry;
