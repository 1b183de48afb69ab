//! What ECR configures for a whole registry (one per account and region): replication,
//! pull-through cache rules, repository creation templates, scanning, the registry policy and
//! the account settings. The types take ECR's own JSON shapes (camelCase, as the AWS CLI prints
//! and reads them), so a file written for `aws ecr put-replication-configuration` is read as is.
//! Limits and patterns are those of the ECR API reference.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::FieldProblem;

fn problem(out: &mut Vec<FieldProblem>, field: impl Into<String>, message: impl Into<String>) {
    out.push(FieldProblem { field: field.into(), message: message.into() });
}

// ---------------------------------------------------------------------------------------------
// Replication

/// ECR's `ReplicationConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReplicationConfiguration {
    pub rules: Vec<ReplicationRule>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReplicationRule {
    pub destinations: Vec<ReplicationDestination>,
    /// No filter: every repository.
    #[serde(default)]
    pub repository_filters: Vec<RepositoryFilter>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReplicationDestination {
    pub region: String,
    /// The destination account (12 digits); this account for a cross-region rule.
    pub registry_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RepositoryFilter {
    pub filter: String,
    /// `PREFIX_MATCH`, the only type ECR has.
    pub filter_type: String,
}

pub const MAX_REPLICATION_RULES: usize = 10;
pub const MAX_REPLICATION_DESTINATIONS: usize = 25;
pub const MAX_REPLICATION_FILTERS: usize = 100;

/// A repository-name prefix as ECR's filters and prefixes take it: runs of `[a-z0-9]`
/// separated by one `.`, `_` or `-`, in `/`-separated parts, optionally ending with `/`.
fn is_name_prefix(p: &str) -> bool {
    let body = p.strip_suffix('/').unwrap_or(p);
    !body.is_empty()
        && body.split('/').all(|part| {
            !part.is_empty()
                && part.split(['.', '_', '-']).all(|run| !run.is_empty() && run.bytes().all(is_lower_alnum))
        })
}

fn is_lower_alnum(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

fn is_account(id: &str) -> bool {
    id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit())
}

fn is_region(r: &str) -> bool {
    crate::validate::region(r).is_ok()
}

/// Problems ECR would refuse the configuration for, each on the field it concerns
/// (`rules[0].destinations[1].region`…). `account` and `region` are the source registry's.
pub fn check_replication(config: &ReplicationConfiguration, account: &str, region: &str) -> Vec<FieldProblem> {
    let mut out = Vec::new();
    if config.rules.len() > MAX_REPLICATION_RULES {
        problem(
            &mut out,
            "rules",
            format!("ECR allows at most {MAX_REPLICATION_RULES} rules; this has {}.", config.rules.len()),
        );
    }
    let mut unique = BTreeSet::new();
    for (i, rule) in config.rules.iter().enumerate() {
        if rule.destinations.is_empty() {
            problem(&mut out, format!("rules[{i}].destinations"), "Add at least one destination.");
        }
        for (j, d) in rule.destinations.iter().enumerate() {
            let field = format!("rules[{i}].destinations[{j}]");
            if !is_region(&d.region) {
                problem(
                    &mut out,
                    format!("{field}.region"),
                    format!("“{}” is not a region name such as us-west-2.", d.region),
                );
            }
            if !is_account(&d.registry_id) {
                problem(&mut out, format!("{field}.registry_id"), "An account id is 12 digits.");
            }
            if d.region == region && d.registry_id == account {
                problem(
                    &mut out,
                    format!("{field}.region"),
                    "This is the registry the images are pushed to: pick another region or account.",
                );
            }
            unique.insert(d.clone());
        }
        if rule.repository_filters.len() > MAX_REPLICATION_FILTERS {
            problem(
                &mut out,
                format!("rules[{i}].repository_filters"),
                format!("ECR allows at most {MAX_REPLICATION_FILTERS} filters a rule."),
            );
        }
        for (j, f) in rule.repository_filters.iter().enumerate() {
            let field = format!("rules[{i}].repository_filters[{j}]");
            if f.filter_type != "PREFIX_MATCH" {
                problem(&mut out, format!("{field}.filter_type"), "ECR's only filter type is PREFIX_MATCH.");
            }
            if f.filter.len() < 2 || f.filter.len() > 256 || !is_name_prefix(&f.filter) {
                problem(
                    &mut out,
                    format!("{field}.filter"),
                    format!(
                        "“{}”: the start of repository names (2–256 lower-case letters, digits, “.”, “_”, “-”, “/”), such as api/ or prod-.",
                        crate::format::without_controls(&f.filter)
                    ),
                );
            }
        }
    }
    if unique.len() > MAX_REPLICATION_DESTINATIONS {
        problem(
            &mut out,
            "rules",
            format!(
                "ECR allows at most {MAX_REPLICATION_DESTINATIONS} different destinations in all; this has {}.",
                unique.len()
            ),
        );
    }
    out
}

/// The configuration in words, a sentence a rule, and the caveats ECR's console leaves out.
pub fn replication_in_words(config: &ReplicationConfiguration, account: &str) -> Vec<String> {
    if config.rules.is_empty() {
        return vec!["No replication: images stay in this region.".into()];
    }
    let mut out: Vec<String> = config
        .rules
        .iter()
        .map(|rule| {
            let which = if rule.repository_filters.is_empty() {
                "every repository".to_string()
            } else {
                let prefixes: Vec<String> = rule.repository_filters.iter().map(|f| format!("“{}”", f.filter)).collect();
                format!("repositories whose names start with {}", join_or(&prefixes))
            };
            let to: Vec<String> = rule
                .destinations
                .iter()
                .map(|d| {
                    if d.registry_id == account {
                        d.region.clone()
                    } else {
                        format!("{} of account {}", d.region, d.registry_id)
                    }
                })
                .collect();
            format!("Images pushed to {which} are copied to {}.", join_and(&to))
        })
        .collect();
    out.push("ECR replicates only images pushed after a rule exists; earlier images stay where they are.".into());
    if config.rules.iter().flat_map(|r| &r.destinations).any(|d| d.registry_id != account) {
        out.push(
            "A destination in another account receives images only when that account's registry policy allows this account to replicate (ecr:CreateRepository and ecr:ReplicateImage).".into(),
        );
    }
    out
}

fn join_with(items: &[String], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {word} {last}", init.join(", ")),
    }
}

fn join_and(items: &[String]) -> String {
    join_with(items, "and")
}

fn join_or(items: &[String]) -> String {
    join_with(items, "or")
}

/// The registry policy the destination account sets so that `source_account` may replicate
/// into it (region `destination_region`).
pub fn replication_policy_template(
    source_account: &str,
    destination_account: &str,
    destination_region: &str,
) -> String {
    let policy = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "ReplicationFromSourceAccount",
            "Effect": "Allow",
            "Principal": {"AWS": format!("arn:aws:iam::{source_account}:root")},
            "Action": ["ecr:CreateRepository", "ecr:ReplicateImage"],
            "Resource": format!("arn:aws:ecr:{destination_region}:{destination_account}:repository/*"),
        }]
    });
    serde_json::to_string_pretty(&policy).expect("a JSON value prints")
}

/// A registry policy letting `principal_arn` create repositories and import images through the
/// pull-through cache rule of `prefix`.
pub fn pull_through_policy_template(account: &str, region: &str, principal_arn: &str, prefix: &str) -> String {
    let policy = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "PullThroughCacheCreation",
            "Effect": "Allow",
            "Principal": {"AWS": principal_arn},
            "Action": ["ecr:CreateRepository", "ecr:BatchImportUpstreamImage"],
            "Resource": format!("arn:aws:ecr:{region}:{account}:repository/{prefix}/*"),
        }]
    });
    serde_json::to_string_pretty(&policy).expect("a JSON value prints")
}

/// A registry policy to start from, for the Policy tab and the replication rules' caveat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "template", rename_all = "snake_case")]
pub enum RegistryPolicyTemplate {
    /// For this registry: let `source_account` replicate its images into it.
    AllowReplicationFrom { source_account: String },
    /// For another account's registry (`destination_account` in `region`): what it must set
    /// so that this registry may replicate into it.
    ForReplicationDestination { destination_account: String, region: String },
    /// For this registry: let `principal_arn` create repositories and import images through
    /// the pull-through cache rule of `prefix`.
    AllowPullThroughCreation { principal_arn: String, prefix: String },
}

impl RegistryPolicyTemplate {
    /// The policy's JSON, for the registry of `account` in `region` (the active one).
    pub fn render(&self, account: &str, region: &str) -> String {
        match self {
            Self::AllowReplicationFrom { source_account } => {
                replication_policy_template(source_account, account, region)
            }
            Self::ForReplicationDestination { destination_account, region } => {
                replication_policy_template(account, destination_account, region)
            }
            Self::AllowPullThroughCreation { principal_arn, prefix } => {
                pull_through_policy_template(account, region, principal_arn, prefix)
            }
        }
    }
}

/// One destination's state for one image (`DescribeImageReplicationStatus`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReplicationStatus {
    pub region: String,
    pub registry_id: String,
    /// ECR's word: `IN_PROGRESS`, `COMPLETE`, `FAILED`.
    pub status: String,
    pub failure_code: Option<String>,
    /// The status in a sentence, with the failure in words.
    pub words: String,
}

/// A replication status in a sentence.
pub fn replication_status_words(region: &str, status: &str, failure_code: Option<&str>) -> String {
    match status {
        "COMPLETE" => format!("In {region}: copied."),
        "IN_PROGRESS" => format!("In {region}: being copied."),
        "FAILED" => {
            let why = match failure_code.unwrap_or_default() {
                "" => "ECR gave no reason".to_string(),
                c if c.contains("POLICY") || c.contains("PERMISSION") || c.contains("ACCESS") => {
                    format!("the destination registry's policy does not allow it ({c}); set it from the template on the Registry page of that account")
                }
                c if c.contains("KMS") => format!("the destination's KMS key could not be used ({c})"),
                c if c.contains("LIMIT") || c.contains("QUOTA") => {
                    format!("a limit of the destination was reached ({c})")
                }
                c => format!("ECR says {c}"),
            };
            format!("In {region}: failed, {why}.")
        }
        other => format!("In {region}: {other}."),
    }
}

// ---------------------------------------------------------------------------------------------
// Pull-through cache

/// The upstream registries ECR's pull-through cache supports (`UpstreamRegistry`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Upstream {
    #[serde(rename = "ecr")]
    Ecr,
    EcrPublic,
    DockerHub,
    GithubContainerRegistry,
    GitlabContainerRegistry,
    Quay,
    K8s,
    AzureContainerRegistry,
    Chainguard,
}

impl Upstream {
    pub const ALL: [Upstream; 9] = [
        Upstream::EcrPublic,
        Upstream::DockerHub,
        Upstream::GithubContainerRegistry,
        Upstream::GitlabContainerRegistry,
        Upstream::Quay,
        Upstream::K8s,
        Upstream::AzureContainerRegistry,
        Upstream::Chainguard,
        Upstream::Ecr,
    ];

    /// ECR's word for it (`UpstreamRegistry`).
    pub fn word(self) -> &'static str {
        match self {
            Upstream::Ecr => "ecr",
            Upstream::EcrPublic => "ecr-public",
            Upstream::DockerHub => "docker-hub",
            Upstream::GithubContainerRegistry => "github-container-registry",
            Upstream::GitlabContainerRegistry => "gitlab-container-registry",
            Upstream::Quay => "quay",
            Upstream::K8s => "k8s",
            Upstream::AzureContainerRegistry => "azure-container-registry",
            Upstream::Chainguard => "chainguard",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Upstream::Ecr => "Another ECR registry",
            Upstream::EcrPublic => "ECR Public",
            Upstream::DockerHub => "Docker Hub",
            Upstream::GithubContainerRegistry => "GitHub Container Registry",
            Upstream::GitlabContainerRegistry => "GitLab Container Registry",
            Upstream::Quay => "Quay",
            Upstream::K8s => "Kubernetes (registry.k8s.io)",
            Upstream::AzureContainerRegistry => "Azure Container Registry",
            Upstream::Chainguard => "Chainguard",
        }
    }

    /// The upstream URL ECR expects (`upstreamRegistryUrl`); Azure and ECR name one registry.
    pub fn url(self) -> Option<&'static str> {
        match self {
            Upstream::EcrPublic => Some("public.ecr.aws"),
            Upstream::DockerHub => Some("registry-1.docker.io"),
            Upstream::GithubContainerRegistry => Some("ghcr.io"),
            Upstream::GitlabContainerRegistry => Some("registry.gitlab.com"),
            Upstream::Quay => Some("quay.io"),
            Upstream::K8s => Some("registry.k8s.io"),
            Upstream::Chainguard => Some("cgr.dev"),
            Upstream::AzureContainerRegistry | Upstream::Ecr => None,
        }
    }

    /// The upstream a URL names.
    pub fn from_url(url: &str) -> Option<Upstream> {
        let host = url.trim_start_matches("https://").trim_end_matches('/');
        if let Some(u) = Upstream::ALL.into_iter().find(|u| u.url() == Some(host)) {
            return Some(u);
        }
        if host.ends_with(".azurecr.io") {
            return Some(Upstream::AzureContainerRegistry);
        }
        let ecr = host.split('.').collect::<Vec<_>>();
        if ecr.len() >= 6 && is_account(ecr[0]) && ecr[1] == "dkr" && ecr[2] == "ecr" {
            return Some(Upstream::Ecr);
        }
        None
    }

    /// Whether ECR requires a Secrets Manager credential for this upstream.
    pub fn needs_credential(self) -> bool {
        matches!(
            self,
            Upstream::DockerHub
                | Upstream::GithubContainerRegistry
                | Upstream::GitlabContainerRegistry
                | Upstream::AzureContainerRegistry
                | Upstream::Chainguard
        )
    }

    /// An image of this upstream to show the pull command with (path below the prefix).
    pub fn example_image(self) -> &'static str {
        match self {
            Upstream::DockerHub => "library/alpine:3",
            Upstream::EcrPublic => "docker/library/alpine:3",
            Upstream::K8s => "pause:3.9",
            Upstream::Quay => "prometheus/node-exporter:latest",
            Upstream::GithubContainerRegistry => "OWNER/IMAGE:TAG",
            Upstream::GitlabContainerRegistry => "GROUP/PROJECT/IMAGE:TAG",
            Upstream::AzureContainerRegistry => "IMAGE:TAG",
            Upstream::Chainguard => "chainguard/static:latest",
            Upstream::Ecr => "REPOSITORY:TAG",
        }
    }
}

/// The prefix Secrets Manager secrets of pull-through credentials must have.
pub const CREDENTIAL_SECRET_PREFIX: &str = "ecr-pullthroughcache/";

/// A pull-through cache rule as Berth shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PullThroughRule {
    pub ecr_repository_prefix: String,
    pub upstream_registry_url: String,
    pub upstream: Option<Upstream>,
    pub upstream_repository_prefix: Option<String>,
    pub credential_arn: Option<String>,
    pub custom_role_arn: Option<String>,
    pub created_at: Option<crate::Timestamp>,
    pub updated_at: Option<crate::Timestamp>,
    /// `docker pull HOST/PREFIX/…` of an example image.
    pub pull_command: String,
}

/// What a user asks for when adding a rule. The credential is either an existing secret's ARN
/// or a user name with a token that goes to Secrets Manager (never to a file or a log).
#[derive(Debug, Clone, Deserialize, TS)]
pub struct PullThroughInput {
    pub ecr_repository_prefix: String,
    pub upstream_registry_url: String,
    pub upstream_repository_prefix: Option<String>,
    pub credential_arn: Option<String>,
    /// A new secret `ecr-pullthroughcache/PREFIX` from a user name and a token.
    pub username: Option<String>,
    #[ts(type = "string | null")]
    pub token: Option<crate::Secret>,
    pub custom_role_arn: Option<String>,
}

/// A pull-through prefix (`ecrRepositoryPrefix`, `upstreamRepositoryPrefix`): 2–30 characters
/// of a repository-name prefix, or `ROOT`.
fn check_prefix(out: &mut Vec<FieldProblem>, field: &str, p: &str, max: usize) {
    if p == "ROOT" {
        return;
    }
    if p.len() < 2 || p.len() > max || !is_name_prefix(p) || p.ends_with('/') {
        problem(
            out,
            field,
            format!(
                "“{}”: 2–{max} lower-case letters, digits, “.”, “_”, “-” and “/”, such as docker-hub (or ROOT).",
                crate::format::without_controls(p)
            ),
        );
    }
}

pub fn check_pull_through(input: &PullThroughInput) -> Vec<FieldProblem> {
    let mut out = Vec::new();
    check_prefix(&mut out, "ecr_repository_prefix", &input.ecr_repository_prefix, 30);
    if let Some(p) = &input.upstream_repository_prefix {
        check_prefix(&mut out, "upstream_repository_prefix", p, 30);
    }
    let upstream = Upstream::from_url(&input.upstream_registry_url);
    match upstream {
        None => problem(
            &mut out,
            "upstream_registry_url",
            format!(
                "“{}” is not an upstream ECR caches: Docker Hub (registry-1.docker.io), ECR Public (public.ecr.aws), ghcr.io, registry.gitlab.com, quay.io, registry.k8s.io, NAME.azurecr.io, cgr.dev or another ECR registry.",
                crate::format::without_controls(&input.upstream_registry_url)
            ),
        ),
        Some(u) => {
            let has_secret = input.credential_arn.is_some() || input.username.is_some();
            if u.needs_credential() && !has_secret {
                problem(
                    &mut out,
                    "credential_arn",
                    format!("{} needs a credential: pick a secret or type a user name and token.", u.label()),
                );
            }
            if u == Upstream::Ecr && input.custom_role_arn.is_none() {
                problem(&mut out, "custom_role_arn", "Caching another ECR registry needs an IAM role that can pull from it.");
            }
            if !u.needs_credential() && has_secret {
                problem(&mut out, "credential_arn", format!("{} takes no credential.", u.label()));
            }
        }
    }
    if let Some(arn) = &input.credential_arn {
        let name = arn.rsplit_once(":secret:").map(|(_, n)| n).unwrap_or("");
        if !arn.starts_with("arn:aws") || !name.starts_with(CREDENTIAL_SECRET_PREFIX) {
            problem(
                &mut out,
                "credential_arn",
                format!("ECR reads only secrets whose names start with {CREDENTIAL_SECRET_PREFIX}; this is not the ARN of one."),
            );
        }
    }
    if input.username.is_some() != input.token.is_some() {
        problem(&mut out, "token", "Type both the user name and the token (or pick an existing secret).");
    }
    if input.username.is_some() && input.credential_arn.is_some() {
        problem(&mut out, "credential_arn", "Pick a secret or type a user name and token, not both.");
    }
    out
}

/// A Secrets Manager secret a pull-through rule may use.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
pub struct CredentialSecret {
    pub name: String,
    pub arn: String,
}

/// The name of the secret Berth creates for a rule's typed credential.
pub fn credential_secret_name(prefix: &str) -> String {
    format!("{CREDENTIAL_SECRET_PREFIX}{}", prefix.replace('/', "-"))
}

/// The pull command of an example image through the rule of `prefix`.
/// With an upstream repository prefix (not ROOT), ECR maps `PREFIX/NAME` to
/// `UPSTREAM_PREFIX/NAME` upstream, so the example leaves that part out.
pub fn pull_command(
    registry_host: &str,
    prefix: &str,
    upstream: Option<Upstream>,
    upstream_prefix: Option<&str>,
) -> String {
    let example = upstream.map(|u| u.example_image()).unwrap_or("REPOSITORY:TAG");
    let image = match upstream_prefix.map(|p| p.trim_end_matches('/')).filter(|p| !p.is_empty() && *p != "ROOT") {
        None => example,
        Some(up) => example.strip_prefix(up).and_then(|rest| rest.strip_prefix('/')).unwrap_or("REPOSITORY:TAG"),
    };
    if prefix == "ROOT" {
        format!("docker pull {registry_host}/{image}")
    } else {
        format!("docker pull {registry_host}/{prefix}/{image}")
    }
}

/// ValidatePullThroughCacheRule's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PullThroughValidation {
    pub ecr_repository_prefix: String,
    pub is_valid: bool,
    pub failure: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Repository creation templates

/// When ECR applies a template (`RCTAppliedFor`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AppliedFor {
    PullThroughCache,
    Replication,
    CreateOnPush,
}

impl AppliedFor {
    pub fn word(self) -> &'static str {
        match self {
            AppliedFor::PullThroughCache => "PULL_THROUGH_CACHE",
            AppliedFor::Replication => "REPLICATION",
            AppliedFor::CreateOnPush => "CREATE_ON_PUSH",
        }
    }

    pub fn parse(s: &str) -> Option<AppliedFor> {
        match s.trim().to_ascii_uppercase().replace('-', "_").as_str() {
            "PULL_THROUGH_CACHE" => Some(AppliedFor::PullThroughCache),
            "REPLICATION" => Some(AppliedFor::Replication),
            "CREATE_ON_PUSH" => Some(AppliedFor::CreateOnPush),
            _ => None,
        }
    }
}

/// A repository creation template: a repository spec with a prefix (the spec's `name`; `ROOT`
/// for every repository no other template covers). ECR's templates have no scan setting: the
/// registry's scanning rules decide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CreationTemplate {
    pub prefix: String,
    pub description: Option<String>,
    pub applied_for: Vec<AppliedFor>,
    pub settings: crate::model::RepositorySpec,
    pub custom_role_arn: Option<String>,
    pub created_at: Option<crate::Timestamp>,
    pub updated_at: Option<crate::Timestamp>,
}

pub fn check_template(t: &CreationTemplate) -> Vec<FieldProblem> {
    let mut out = Vec::new();
    if t.prefix != "ROOT" && (t.prefix.len() < 2 || t.prefix.len() > 256 || !is_name_prefix(&t.prefix)) {
        problem(
            &mut out,
            "prefix",
            format!(
                "“{}”: the start of repository names (lower-case letters, digits, “.”, “_”, “-”, “/”), such as team-a/, or ROOT.",
                crate::format::without_controls(&t.prefix)
            ),
        );
    }
    if t.applied_for.is_empty() {
        problem(
            &mut out,
            "applied_for",
            "Pick when ECR applies it: pull-through cache, replication or create on push.",
        );
    }
    if t.description.as_deref().is_some_and(|d| d.len() > 256) {
        problem(&mut out, "description", "At most 256 characters.");
    }
    if t.settings.scan_on_push {
        problem(&mut out, "scan_on_push", "Templates have no scan setting: the registry's scanning rules apply.");
    }
    // The spec's checks, with a name that always passes: the prefix was checked above.
    let mut spec = t.settings.clone();
    spec.name = "template".into();
    out.extend(crate::policy::check_spec(&spec).into_iter().filter(|p| p.field != "name"));
    // ECR applies a template's key later, as the template's role: it takes the key's ARN only.
    if let Some(key) = t.settings.kms_key.as_deref().filter(|k| !k.is_empty()) {
        if !(key.starts_with("arn:aws") && key.contains(":kms:") && key.contains(":key/")) {
            problem(
                &mut out,
                "kms_key",
                "A template takes the key's full ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), not an alias or a key id.",
            );
        }
    }
    if let Some(role) = &t.custom_role_arn {
        if !(role.starts_with("arn:aws") && role.contains(":iam::") && role.contains(":role/")) {
            problem(&mut out, "custom_role_arn", "An IAM role ARN: arn:aws:iam::ACCOUNT:role/NAME.");
        }
    }
    out
}

/// The template ECR would use for a new repository `name` created for `reason`: the longest
/// prefix that matches, else ROOT.
pub fn template_for<'a>(
    templates: &'a [CreationTemplate],
    name: &str,
    reason: AppliedFor,
) -> Option<&'a CreationTemplate> {
    let applies = |t: &&CreationTemplate| t.applied_for.contains(&reason);
    templates
        .iter()
        .filter(applies)
        .filter(|t| t.prefix != "ROOT" && name.starts_with(t.prefix.as_str()))
        .max_by_key(|t| t.prefix.len())
        .or_else(|| templates.iter().filter(applies).find(|t| t.prefix == "ROOT"))
}

// ---------------------------------------------------------------------------------------------
// Scanning

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ScanType {
    Basic,
    Enhanced,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ScanFrequency {
    Manual,
    ScanOnPush,
    ContinuousScan,
}

impl ScanFrequency {
    pub fn parse(s: &str) -> Option<ScanFrequency> {
        match s.trim().to_ascii_uppercase().replace('-', "_").as_str() {
            "SCAN_ON_PUSH" => Some(ScanFrequency::ScanOnPush),
            "CONTINUOUS_SCAN" | "CONTINUOUS" => Some(ScanFrequency::ContinuousScan),
            "MANUAL" => Some(ScanFrequency::Manual),
            _ => None,
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            ScanFrequency::Manual => "scanned only when asked",
            ScanFrequency::ScanOnPush => "scanned when pushed",
            ScanFrequency::ContinuousScan => "scanned when pushed and again when new vulnerabilities are published",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ScanningRule {
    pub scan_frequency: ScanFrequency,
    /// Wildcard filters of repository names (`*` any run of characters).
    pub repository_filters: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ScanningConfiguration {
    pub scan_type: ScanType,
    pub rules: Vec<ScanningRule>,
}

pub fn check_scanning(config: &ScanningConfiguration) -> Vec<FieldProblem> {
    let mut out = Vec::new();
    if config.rules.len() > 2 {
        problem(&mut out, "rules", "ECR allows at most 2 scanning rules (one per frequency).");
    }
    let mut seen = BTreeSet::new();
    for (i, rule) in config.rules.iter().enumerate() {
        if !seen.insert(rule.scan_frequency) {
            problem(
                &mut out,
                format!("rules[{i}].scan_frequency"),
                "Only one rule per frequency: add the filters to the other rule.",
            );
        }
        if config.scan_type == ScanType::Basic && rule.scan_frequency == ScanFrequency::ContinuousScan {
            problem(&mut out, format!("rules[{i}].scan_frequency"), "Continuous scanning needs enhanced scanning.");
        }
        if rule.scan_frequency == ScanFrequency::Manual {
            problem(
                &mut out,
                format!("rules[{i}].scan_frequency"),
                "A rule scans on push or continuously; repositories no rule covers are scanned only when asked.",
            );
        }
        if rule.repository_filters.is_empty() {
            problem(
                &mut out,
                format!("rules[{i}].repository_filters"),
                "Add at least one filter, such as * or prod-*.",
            );
        }
        if rule.repository_filters.len() > 100 {
            problem(&mut out, format!("rules[{i}].repository_filters"), "ECR allows at most 100 filters a rule.");
        }
        for (j, f) in rule.repository_filters.iter().enumerate() {
            let ok = !f.is_empty() && f.len() <= 255 && f.bytes().all(|b| is_lower_alnum(b) || b"._-/*".contains(&b));
            if !ok {
                problem(
                    &mut out,
                    format!("rules[{i}].repository_filters[{j}]"),
                    format!(
                        "“{}”: lower-case letters, digits, “.”, “_”, “-”, “/” and “*” wildcards.",
                        crate::format::without_controls(f)
                    ),
                );
            }
        }
    }
    out
}

/// Whether a wildcard filter (`*` any run, possibly empty) matches the whole name.
pub fn wildcard_matches(filter: &str, name: &str) -> bool {
    crate::push::exclusion_matches(filter, name)
}

/// Which rule covers a repository, and how often it is scanned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ScanCoverage {
    pub repository: String,
    pub frequency: ScanFrequency,
    /// The rule's place in the configuration; none when no rule covers the repository.
    pub rule: Option<u32>,
    /// The filter that matched.
    pub filter: Option<String>,
    /// No rule, but basic scanning honours the repository's own scan-on-push setting.
    pub repository_setting: bool,
}

/// ECR's rule: of the rules whose filters match, the most frequent scanning wins; no rule:
/// manual, except that basic scanning still honours a repository's own scan-on-push setting
/// (`repositories`: each name with that setting).
pub fn scanning_coverage(config: &ScanningConfiguration, repositories: &[(String, bool)]) -> Vec<ScanCoverage> {
    repositories
        .iter()
        .map(|(repo, scan_on_push)| {
            let best = config
                .rules
                .iter()
                .enumerate()
                .filter_map(|(i, r)| {
                    r.repository_filters.iter().find(|f| wildcard_matches(f, repo)).map(|f| (r.scan_frequency, i, f))
                })
                .max_by_key(|(freq, i, _)| (*freq, std::cmp::Reverse(*i)));
            match best {
                Some((frequency, i, f)) => ScanCoverage {
                    repository: repo.clone(),
                    frequency,
                    rule: Some(i as u32),
                    filter: Some(f.clone()),
                    repository_setting: false,
                },
                None => {
                    let own = config.scan_type == ScanType::Basic && *scan_on_push;
                    ScanCoverage {
                        repository: repo.clone(),
                        frequency: if own { ScanFrequency::ScanOnPush } else { ScanFrequency::Manual },
                        rule: None,
                        filter: None,
                        repository_setting: own,
                    }
                }
            }
        })
        .collect()
}

/// Scanning, with which rule covers each repository (and which none covers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ScanningView {
    pub configuration: ScanningConfiguration,
    pub words: Vec<String>,
    pub coverage: Vec<ScanCoverage>,
}

pub fn scanning_in_words(config: &ScanningConfiguration) -> Vec<String> {
    let kind = match config.scan_type {
        ScanType::Basic => "Basic scanning (ECR's own scanner, operating-system packages).",
        ScanType::Enhanced => {
            "Enhanced scanning (Amazon Inspector: operating-system and language packages, with CVSS scores and fixes)."
        }
    };
    let mut out = vec![kind.to_string()];
    for rule in &config.rules {
        out.push(format!(
            "Repositories matching {} are {}.",
            join_or(&rule.repository_filters.iter().map(|f| format!("“{f}”")).collect::<Vec<_>>()),
            rule.scan_frequency.words()
        ));
    }
    if config.rules.is_empty() {
        out.push(match config.scan_type {
            ScanType::Basic => "No rule: images are scanned only when asked, or on push where a repository says so.".into(),
            ScanType::Enhanced => "No rule: Inspector scans no repository (a repository's own scan-on-push setting does not count under enhanced scanning).".into(),
        });
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Account settings

/// An account setting of ECR (`GetAccountSetting`), with what it means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AccountSetting {
    pub name: String,
    pub value: Option<String>,
    /// The values ECR accepts.
    pub values: Vec<String>,
    pub explanation: String,
}

/// The settings Berth knows, with their values and a sentence each.
pub const ACCOUNT_SETTINGS: [(&str, &[&str], &str); 3] = [
    (
        "BLOB_MOUNTING",
        &["ENABLED", "DISABLED"],
        "Whether a push may mount layers that another repository of this registry already holds instead of uploading them again.",
    ),
    (
        "REGISTRY_POLICY_SCOPE",
        &["V2", "V1"],
        "Which actions the registry policy governs: V2 every ECR action on the registry's repositories, V1 only replication and pull-through cache creation.",
    ),
    (
        "BASIC_SCAN_TYPE_VERSION",
        &["AWS_NATIVE", "CLAIR"],
        "Which engine basic scanning uses: AWS_NATIVE (AWS's own, current) or CLAIR (the earlier open-source scanner, being retired).",
    ),
];

pub fn check_account_setting(name: &str, value: &str) -> Result<(), crate::BerthError> {
    let Some((_, values, _)) = ACCOUNT_SETTINGS.iter().find(|(n, _, _)| *n == name) else {
        let names: Vec<&str> = ACCOUNT_SETTINGS.iter().map(|(n, _, _)| *n).collect();
        return Err(crate::BerthError::invalid(format!(
            "“{}” is not an account setting: use {}.",
            crate::format::without_controls(name),
            names.join(", ")
        )));
    };
    if !values.contains(&value) {
        return Err(crate::BerthError::invalid(format!(
            "{name} takes {}, not “{}”.",
            values.join(" or "),
            crate::format::without_controls(value)
        )));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Archive

/// An image's status (`ImageDetail.imageStatus`): archived images cannot be pulled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ImageStatus {
    #[default]
    Active,
    Archived,
    Activating,
}

/// What to say before archiving: the cost and the consequence.
pub const ARCHIVE_WARNING: &str = "Archived images cannot be pulled until they are restored (which takes a while), and archive storage is charged for at least 90 days even if restored sooner.";

/// The outcome of archiving or restoring one image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct StorageChange {
    pub image: String,
    pub digest: Option<String>,
    pub status: Option<ImageStatus>,
    pub error: Option<String>,
    /// Nothing was needed: already in that state, or the same image as another one named.
    pub note: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// The whole registry

/// Everything ECR configures for one registry, as `berth registry show` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RegistryOverview {
    pub registry_id: String,
    pub region: String,
    pub replication: ReplicationConfiguration,
    pub pull_through_cache: Vec<PullThroughRule>,
    pub templates: Vec<CreationTemplate>,
    pub scanning: ScanningConfiguration,
    /// The registry policy's JSON, when one is set.
    pub policy: Option<String>,
    pub settings: Vec<AccountSetting>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(dest: &[(&str, &str)], filters: &[&str]) -> ReplicationRule {
        ReplicationRule {
            destinations: dest
                .iter()
                .map(|(r, a)| ReplicationDestination { region: r.to_string(), registry_id: a.to_string() })
                .collect(),
            repository_filters: filters
                .iter()
                .map(|f| RepositoryFilter { filter: f.to_string(), filter_type: "PREFIX_MATCH".into() })
                .collect(),
        }
    }

    const ME: &str = "000000000000";

    #[test]
    fn ecrs_own_replication_json_is_read() {
        let text = r#"{"rules":[{"destinations":[{"region":"us-west-2","registryId":"000000000000"}],
            "repositoryFilters":[{"filter":"api/","filterType":"PREFIX_MATCH"}]}]}"#;
        let c: ReplicationConfiguration = serde_json::from_str(text).unwrap();
        assert_eq!(c.rules[0], rule(&[("us-west-2", ME)], &["api/"]));
        assert!(check_replication(&c, ME, "us-east-1").is_empty());
        let misspelt = r#"{"rules":[{"destination":[]}]}"#;
        assert!(serde_json::from_str::<ReplicationConfiguration>(misspelt)
            .unwrap_err()
            .to_string()
            .contains("destination"));
    }

    #[test]
    fn replication_limits_are_ecrs() {
        let c = ReplicationConfiguration { rules: vec![rule(&[("us-west-2", ME)], &[]); 11] };
        assert!(check_replication(&c, ME, "us-east-1")
            .iter()
            .any(|p| p.field == "rules" && p.message.contains("10 rules")));
        let many: Vec<(String, String)> =
            (0..26).map(|i| ("us-west-2".to_string(), format!("{:012}", i + 1))).collect();
        let refs: Vec<(&str, &str)> = many.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let c = ReplicationConfiguration { rules: vec![rule(&refs, &[])] };
        assert!(check_replication(&c, ME, "us-east-1").iter().any(|p| p.message.contains("25 different destinations")));
        let filters: Vec<String> = (0..101).map(|i| format!("p{i}")).collect();
        let refs: Vec<&str> = filters.iter().map(String::as_str).collect();
        let c = ReplicationConfiguration { rules: vec![rule(&[("us-west-2", ME)], &refs)] };
        assert!(check_replication(&c, ME, "us-east-1").iter().any(|p| p.field == "rules[0].repository_filters"));
    }

    #[test]
    fn replication_problems_are_on_their_field() {
        let c = ReplicationConfiguration { rules: vec![rule(&[("us-east-1", ME), ("nowhere", "12")], &["API/", "a"])] };
        let fields: Vec<String> = check_replication(&c, ME, "us-east-1").into_iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            [
                "rules[0].destinations[0].region",
                "rules[0].destinations[1].region",
                "rules[0].destinations[1].registry_id",
                "rules[0].repository_filters[0].filter",
                "rules[0].repository_filters[1].filter",
            ]
        );
    }

    #[test]
    fn replication_in_words_names_prefixes_destinations_and_the_caveats() {
        let c = ReplicationConfiguration {
            rules: vec![rule(&[("us-west-2", ME), ("eu-west-1", "111122223333")], &["api/", "web"])],
        };
        let words = replication_in_words(&c, ME);
        assert_eq!(
            words[0],
            "Images pushed to repositories whose names start with “api/” or “web” are copied to us-west-2 and eu-west-1 of account 111122223333."
        );
        assert!(words[1].contains("only images pushed after"));
        assert!(words[2].contains("registry policy allows"));
        assert_eq!(replication_in_words(&ReplicationConfiguration::default(), ME).len(), 1);
    }

    #[test]
    fn the_cross_account_template_allows_the_source_account() {
        let v: serde_json::Value =
            serde_json::from_str(&replication_policy_template(ME, "111122223333", "eu-west-1")).unwrap();
        assert_eq!(v["Statement"][0]["Principal"]["AWS"], "arn:aws:iam::000000000000:root");
        assert_eq!(v["Statement"][0]["Resource"], "arn:aws:ecr:eu-west-1:111122223333:repository/*");
        assert!(crate::policy::check_policy_json(&replication_policy_template(ME, "1", "r")).is_ok());
    }

    fn input(prefix: &str, url: &str) -> PullThroughInput {
        PullThroughInput {
            ecr_repository_prefix: prefix.into(),
            upstream_registry_url: url.into(),
            upstream_repository_prefix: None,
            credential_arn: None,
            username: None,
            token: None,
            custom_role_arn: None,
        }
    }

    #[test]
    fn upstreams_are_recognised_by_url() {
        assert_eq!(Upstream::from_url("registry-1.docker.io"), Some(Upstream::DockerHub));
        assert_eq!(Upstream::from_url("https://public.ecr.aws"), Some(Upstream::EcrPublic));
        assert_eq!(Upstream::from_url("myreg.azurecr.io"), Some(Upstream::AzureContainerRegistry));
        assert_eq!(Upstream::from_url("111122223333.dkr.ecr.eu-west-1.amazonaws.com"), Some(Upstream::Ecr));
        assert_eq!(Upstream::from_url("example.com"), None);
        assert_eq!(serde_json::to_string(&Upstream::DockerHub).unwrap(), "\"docker-hub\"");
        assert_eq!(serde_json::to_string(&Upstream::Ecr).unwrap(), "\"ecr\"");
        for u in Upstream::ALL {
            assert_eq!(serde_json::to_string(&u).unwrap(), format!("\"{}\"", u.word()));
        }
    }

    #[test]
    fn pull_through_rules_are_checked_as_ecr_checks_them() {
        assert!(check_pull_through(&input("ecr-public", "public.ecr.aws")).is_empty());
        let no_secret = check_pull_through(&input("docker-hub", "registry-1.docker.io"));
        assert_eq!(no_secret[0].field, "credential_arn");
        let mut typed = input("docker-hub", "registry-1.docker.io");
        typed.username = Some("me".into());
        typed.token = Some(crate::Secret::new("dckr_pat_x"));
        assert!(check_pull_through(&typed).is_empty());
        let mut wrong_secret = input("docker-hub", "registry-1.docker.io");
        wrong_secret.credential_arn = Some("arn:aws:secretsmanager:us-east-1:000000000000:secret:mine-AbCdEf".into());
        assert!(check_pull_through(&wrong_secret)[0].message.contains("ecr-pullthroughcache/"));
        assert_eq!(check_pull_through(&input("X", "quay.io"))[0].field, "ecr_repository_prefix");
        assert_eq!(check_pull_through(&input("q", "example.com"))[0].field, "ecr_repository_prefix");
        assert!(check_pull_through(&input("quay", "example.com")).iter().any(|p| p.field == "upstream_registry_url"));
        assert!(check_pull_through(&input("ROOT", "quay.io")).is_empty());
    }

    #[test]
    fn the_pull_command_goes_through_the_prefix() {
        assert_eq!(
            pull_command("000000000000.dkr.ecr.us-east-1.amazonaws.com", "docker-hub", Some(Upstream::DockerHub), None),
            "docker pull 000000000000.dkr.ecr.us-east-1.amazonaws.com/docker-hub/library/alpine:3"
        );
        assert_eq!(credential_secret_name("team/hub"), "ecr-pullthroughcache/team-hub");
        // With an upstream prefix, the local path leaves it out (ECR adds it upstream).
        assert_eq!(pull_command("h", "hub", Some(Upstream::DockerHub), Some("library")), "docker pull h/hub/alpine:3");
        assert_eq!(
            pull_command("h", "hub", Some(Upstream::DockerHub), Some("ROOT")),
            "docker pull h/hub/library/alpine:3"
        );
        assert_eq!(pull_command("h", "q", Some(Upstream::Quay), Some("coreos")), "docker pull h/q/REPOSITORY:TAG");
    }

    fn template(prefix: &str, applied: &[AppliedFor]) -> CreationTemplate {
        CreationTemplate {
            prefix: prefix.into(),
            description: None,
            applied_for: applied.to_vec(),
            settings: crate::model::RepositorySpec::named(prefix),
            custom_role_arn: None,
            created_at: None,
            updated_at: None,
        }
    }

    #[test]
    fn the_longest_matching_template_applies_else_root() {
        let ts = vec![
            template("ROOT", &[AppliedFor::CreateOnPush]),
            template("team", &[AppliedFor::CreateOnPush]),
            template("team/a/", &[AppliedFor::CreateOnPush, AppliedFor::Replication]),
            template("docker-hub", &[AppliedFor::PullThroughCache]),
        ];
        assert_eq!(template_for(&ts, "team/a/x", AppliedFor::CreateOnPush).unwrap().prefix, "team/a/");
        assert_eq!(template_for(&ts, "team/b", AppliedFor::CreateOnPush).unwrap().prefix, "team");
        assert_eq!(template_for(&ts, "other", AppliedFor::CreateOnPush).unwrap().prefix, "ROOT");
        assert_eq!(
            template_for(&ts, "docker-hub/library/alpine", AppliedFor::PullThroughCache).unwrap().prefix,
            "docker-hub"
        );
        assert!(template_for(&ts, "other", AppliedFor::PullThroughCache).is_none());
    }

    #[test]
    fn templates_are_checked_like_the_wizard() {
        assert!(check_template(&template("team/", &[AppliedFor::CreateOnPush])).is_empty());
        assert!(check_template(&template("ROOT", &[AppliedFor::Replication])).is_empty());
        assert_eq!(check_template(&template("Team", &[AppliedFor::CreateOnPush]))[0].field, "prefix");
        assert_eq!(check_template(&template("team", &[]))[0].field, "applied_for");
        let mut bad = template("team", &[AppliedFor::CreateOnPush]);
        bad.settings.lifecycle_policy = Some(r#"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":0},"action":{"type":"expire"}}]}"#.into());
        assert!(!check_template(&bad).is_empty(), "the studio's validator applies");
        assert_eq!(AppliedFor::parse("create-on-push"), Some(AppliedFor::CreateOnPush));
        let mut alias = template("team", &[AppliedFor::Replication]);
        alias.settings.encryption = crate::model::EncryptionKind::Kms;
        alias.settings.kms_key = Some("alias/aws/ecr".into());
        assert_eq!(check_template(&alias).iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), ["kms_key"]);
        alias.settings.kms_key =
            Some("arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab".into());
        assert!(check_template(&alias).is_empty(), "{:?}", check_template(&alias));
    }

    #[test]
    fn scanning_coverage_takes_the_most_frequent_rule() {
        let c = ScanningConfiguration {
            scan_type: ScanType::Enhanced,
            rules: vec![
                ScanningRule { scan_frequency: ScanFrequency::ScanOnPush, repository_filters: vec!["*".into()] },
                ScanningRule {
                    scan_frequency: ScanFrequency::ContinuousScan,
                    repository_filters: vec!["api/*".into()],
                },
            ],
        };
        let repos: Vec<(String, bool)> =
            [("api/orders", false), ("web", true)].iter().map(|(s, b)| (s.to_string(), *b)).collect();
        let cov = scanning_coverage(&c, &repos);
        assert_eq!(cov[0].frequency, ScanFrequency::ContinuousScan);
        assert_eq!(cov[0].rule, Some(1));
        assert_eq!(cov[1].frequency, ScanFrequency::ScanOnPush);
        let basic = ScanningConfiguration { scan_type: ScanType::Basic, rules: vec![c.rules[1].clone()] };
        assert!(check_scanning(&basic)[0].message.contains("enhanced"));
        assert_eq!(scanning_coverage(&basic, &repos)[1].rule, None);
        // Under basic scanning a repository no rule covers still scans on push when it says so;
        // under enhanced scanning its own setting counts for nothing.
        let none = ScanningConfiguration { scan_type: ScanType::Basic, rules: vec![] };
        let own = scanning_coverage(&none, &repos);
        assert_eq!((own[1].frequency, own[1].repository_setting), (ScanFrequency::ScanOnPush, true));
        assert_eq!((own[0].frequency, own[0].repository_setting), (ScanFrequency::Manual, false));
        let enhanced = ScanningConfiguration { scan_type: ScanType::Enhanced, rules: vec![] };
        assert_eq!(scanning_coverage(&enhanced, &repos)[1].frequency, ScanFrequency::Manual);
        assert!(check_scanning(&c).is_empty());
    }

    #[test]
    fn account_settings_take_only_their_values() {
        assert!(check_account_setting("BLOB_MOUNTING", "ENABLED").is_ok());
        assert!(check_account_setting("BLOB_MOUNTING", "on").unwrap_err().message.contains("ENABLED or DISABLED"));
        assert!(check_account_setting("BOGUS", "x").unwrap_err().message.contains("BLOB_MOUNTING"));
    }

    #[test]
    fn failed_replication_is_said_in_words() {
        assert_eq!(replication_status_words("us-west-2", "COMPLETE", None), "In us-west-2: copied.");
        assert!(replication_status_words("eu-west-1", "FAILED", Some("REGISTRY_POLICY_DENIED"))
            .contains("policy does not allow"));
    }

    #[test]
    fn policy_templates_name_the_right_accounts_and_region() {
        let json = |t: RegistryPolicyTemplate| -> serde_json::Value {
            serde_json::from_str(&t.render("000000000000", "us-east-1")).unwrap()
        };
        // This registry lets another account replicate into it.
        let from = json(RegistryPolicyTemplate::AllowReplicationFrom { source_account: "111122223333".into() });
        assert_eq!(from["Statement"][0]["Principal"]["AWS"], "arn:aws:iam::111122223333:root");
        assert_eq!(from["Statement"][0]["Resource"], "arn:aws:ecr:us-east-1:000000000000:repository/*");
        // What the other account sets so that this one may replicate into it.
        let to = json(RegistryPolicyTemplate::ForReplicationDestination {
            destination_account: "111122223333".into(),
            region: "eu-west-1".into(),
        });
        assert_eq!(to["Statement"][0]["Principal"]["AWS"], "arn:aws:iam::000000000000:root");
        assert_eq!(to["Statement"][0]["Resource"], "arn:aws:ecr:eu-west-1:111122223333:repository/*");
        let ptc = json(RegistryPolicyTemplate::AllowPullThroughCreation {
            principal_arn: "arn:aws:iam::000000000000:role/ci".into(),
            prefix: "docker-hub".into(),
        });
        assert_eq!(ptc["Statement"][0]["Resource"], "arn:aws:ecr:us-east-1:000000000000:repository/docker-hub/*");
        assert!(ptc["Statement"][0]["Action"].as_array().unwrap().iter().any(|a| a == "ecr:BatchImportUpstreamImage"));
    }
}
