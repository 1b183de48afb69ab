//! `berth registry …`: everything ECR configures for the registry of the profile and region;
//! `berth images archive|restore|replication`. Files are ECR's own JSON shapes.

use std::path::PathBuf;
use std::sync::Arc;

use berth_app::Session;
use berth_core::registry::{
    AppliedFor, CreationTemplate, PullThroughInput, ReplicationConfiguration, ScanFrequency, ScanType,
    ScanningConfiguration, ScanningRule, StorageChange, ARCHIVE_WARNING,
};
use berth_core::{BerthError, ErrorCode, Secret};
use clap::Subcommand;

use crate::output::{self, confirm, output, read_text, wire};
use crate::repos::Settings;

#[derive(Subcommand)]
pub enum RegistryCommand {
    /// Everything ECR configures for this registry, as one JSON object with --json
    Show,
    /// Replication rules (ECR's ReplicationConfiguration)
    Replication {
        #[command(subcommand)]
        command: ReplicationCommand,
    },
    /// Pull-through cache rules
    PullThrough {
        #[command(subcommand)]
        command: PullThroughCommand,
    },
    /// Repository creation templates
    Templates {
        #[command(subcommand)]
        command: TemplatesCommand,
    },
    /// Registry scanning
    Scanning {
        #[command(subcommand)]
        command: ScanningCommand,
    },
    /// The registry policy
    Policy {
        #[command(subcommand)]
        command: PolicyCommand,
    },
    /// Account settings (BLOB_MOUNTING, REGISTRY_POLICY_SCOPE, BASIC_SCAN_TYPE_VERSION)
    Settings {
        #[command(subcommand)]
        command: SettingsCommand,
    },
}

#[derive(Subcommand)]
pub enum ReplicationCommand {
    /// Replace the rules with those of a file (`{"rules": [...]}`, as ECR stores them)
    Set {
        /// A ReplicationConfiguration JSON file
        #[arg(long)]
        file: PathBuf,
    },
    /// Remove every rule (images already copied stay where they are)
    Clear {
        /// Do not ask for confirmation
        #[arg(long)]
        yes: bool,
    },
}

/// A rule's credential and role, for `add` and `update`.
#[derive(clap::Args)]
pub struct CredentialArgs {
    /// An existing Secrets Manager secret (its name starts with ecr-pullthroughcache/)
    #[arg(long, conflicts_with = "username")]
    credential_arn: Option<String>,
    /// The upstream user name; the token is read from stdin and saved as a secret
    #[arg(long)]
    username: Option<String>,
    /// The IAM role ECR uses to pull from another ECR registry
    #[arg(long)]
    custom_role_arn: Option<String>,
}

impl CredentialArgs {
    /// The input for `prefix` with this credential (the token read from stdin when a user name
    /// is given).
    fn input(
        &self,
        prefix: &str,
        upstream: &str,
        upstream_prefix: Option<&str>,
    ) -> Result<PullThroughInput, BerthError> {
        Ok(PullThroughInput {
            ecr_repository_prefix: prefix.to_string(),
            upstream_registry_url: upstream.to_string(),
            upstream_repository_prefix: upstream_prefix.map(str::to_string),
            credential_arn: self.credential_arn.clone(),
            username: self.username.clone(),
            token: if self.username.is_some() { Some(read_token()?) } else { None },
            custom_role_arn: self.custom_role_arn.clone(),
        })
    }
}

#[derive(Subcommand)]
pub enum PullThroughCommand {
    /// Add a rule; with --username the token is read from stdin
    Add {
        prefix: String,
        /// The upstream registry URL (registry-1.docker.io, ghcr.io, quay.io, public.ecr.aws, …)
        #[arg(long)]
        upstream: String,
        /// The upstream repository prefix the rule maps PREFIX to (default ROOT: the same path)
        #[arg(long)]
        upstream_prefix: Option<String>,
        #[command(flatten)]
        credential: CredentialArgs,
    },
    /// List the rules, with their pull commands
    List,
    /// Change a rule's credential (--credential-arn ARN, or --username with the token on stdin) or role
    Update {
        prefix: String,
        #[command(flatten)]
        credential: CredentialArgs,
    },
    /// Ask ECR whether a rule can reach its upstream with its credential
    Validate { prefix: String },
    /// Remove a rule (the repositories it created stay, with their images)
    Remove {
        prefix: String,
        /// Do not ask for confirmation
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Subcommand)]
pub enum TemplatesCommand {
    /// Add (or replace) a template: PREFIX or ROOT, with the options of `repos create`
    Add {
        prefix: String,
        /// PULL_THROUGH_CACHE, REPLICATION, CREATE_ON_PUSH (comma-separated)
        #[arg(long, value_delimiter = ',', required = true)]
        applied_for: Vec<String>,
        #[command(flatten)]
        settings: Settings,
        /// The KMS key's full ARN (templates take no alias)
        #[arg(long)]
        kms_key: Option<String>,
        #[arg(long)]
        description: Option<String>,
        /// The IAM role ECR uses to apply resource tags or the KMS key
        #[arg(long)]
        custom_role_arn: Option<String>,
    },
    /// List the templates, in words
    List,
    /// Remove a template (repositories created with it keep their settings)
    Remove {
        prefix: String,
        /// Do not ask for confirmation
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Subcommand)]
pub enum ScanningCommand {
    /// Set the scan type and rules (`--rule SCAN_ON_PUSH:prod-*`, repeatable; filters joined
    /// with `,` in one rule)
    Set {
        /// BASIC or ENHANCED
        #[arg(long = "type")]
        scan_type: String,
        #[arg(long = "rule")]
        rules: Vec<String>,
    },
    /// Which rule covers each repository
    Show,
}

#[derive(Subcommand)]
pub enum PolicyCommand {
    /// Replace the registry policy with a JSON file's (shown in words afterwards)
    Set { file: PathBuf },
    /// Delete the registry policy
    Clear {
        /// Do not ask for confirmation
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Subcommand)]
pub enum SettingsCommand {
    /// Set an account setting: BLOB_MOUNTING ENABLED|DISABLED, REGISTRY_POLICY_SCOPE V1|V2,
    /// BASIC_SCAN_TYPE_VERSION AWS_NATIVE|CLAIR
    Set { name: String, value: String },
}

fn confirmed(yes: bool, question: &str) -> Result<(), BerthError> {
    if yes || confirm(question) {
        Ok(())
    } else {
        // As every other destructive command: invalid input (exit 2), nothing changed.
        Err(BerthError::invalid(format!(
            "{question} Not confirmed, nothing was changed: confirm with --yes (or answer y in a terminal)."
        )))
    }
}

fn parse_rules(rules: &[String]) -> Result<Vec<ScanningRule>, BerthError> {
    rules
        .iter()
        .map(|r| {
            let (freq, filters) = r.split_once(':').unwrap_or((r, ""));
            let scan_frequency = ScanFrequency::parse(freq).ok_or_else(|| {
                BerthError::invalid(format!(
                    "--rule {r}: the frequency is SCAN_ON_PUSH or CONTINUOUS_SCAN, then :FILTER."
                ))
            })?;
            Ok(ScanningRule {
                scan_frequency,
                repository_filters: filters.split(',').filter(|f| !f.is_empty()).map(str::to_string).collect(),
            })
        })
        .collect()
}

fn read_token() -> Result<Secret, BerthError> {
    use std::io::{BufRead, IsTerminal};
    let io = |e: std::io::Error| BerthError::internal(format!("could not read the token: {e}"));
    if std::io::stdin().is_terminal() {
        return Ok(Secret::new(rpassword::prompt_password("Token: ").map_err(io)?));
    }
    let line = std::io::stdin().lock().lines().next().transpose().map_err(io)?.unwrap_or_default();
    if line.trim().is_empty() {
        return Err(BerthError::invalid("No token on stdin: pipe it in, or run in a terminal to be asked."));
    }
    Ok(Secret::new(line.trim()))
}

pub async fn run(session: &Arc<Session>, command: &RegistryCommand, as_json: bool) -> Result<(), BerthError> {
    match command {
        RegistryCommand::Show => {
            let r = session.registry_overview().await?;
            output(as_json, &r, |t| {
                t.add_row(["registry", &format!("{} in {}", r.registry_id, r.region)]);
                for w in berth_core::registry::replication_in_words(&r.replication, &r.registry_id) {
                    t.add_row(["replication", &w]);
                }
                for p in &r.pull_through_cache {
                    t.add_row([
                        "pull-through",
                        &format!("{} ← {}   {}", p.ecr_repository_prefix, p.upstream_registry_url, p.pull_command),
                    ]);
                }
                for tpl in &r.templates {
                    let applied: Vec<&str> = tpl.applied_for.iter().map(|a| a.word()).collect();
                    t.add_row(["template", &format!("{} ({})", tpl.prefix, applied.join(", "))]);
                }
                for w in berth_core::registry::scanning_in_words(&r.scanning) {
                    t.add_row(["scanning", &w]);
                }
                match &r.policy {
                    Some(p) => {
                        for w in berth_core::policy::describe_policy(p) {
                            t.add_row(["policy", &w]);
                        }
                    }
                    None => {
                        t.add_row(["policy", "none"]);
                    }
                }
                for s in &r.settings {
                    t.add_row([s.name.as_str(), s.value.as_deref().unwrap_or("(not answered)")]);
                }
            })
        }
        RegistryCommand::Replication { command: ReplicationCommand::Set { file } } => {
            let text = read_text(file)?;
            let config: ReplicationConfiguration = serde_json::from_str(&text).map_err(|e| {
                BerthError::invalid(format!(
                    "{} is not a replication configuration ({e}): expected {{\"rules\": [{{\"destinations\": [{{\"region\", \"registryId\"}}], \"repositoryFilters\": [...]}}]}}.",
                    file.display()
                ))
            })?;
            let applied = session.set_replication(&config).await?;
            let words = if as_json { Vec::new() } else { session.replication_words(&applied).await? };
            output(as_json, &applied, |t| {
                for w in words {
                    t.add_row([w]);
                }
            })
        }
        RegistryCommand::Replication { command: ReplicationCommand::Clear { yes } } => {
            confirmed(*yes, "Remove every replication rule?")?;
            session.clear_replication().await?;
            output(as_json, &serde_json::json!({"rules": []}), |t| {
                t.add_row(["Replication is off: new images stay in this region."]);
            })
        }
        RegistryCommand::PullThrough { command } => pull_through(session, command, as_json).await,
        RegistryCommand::Templates { command } => templates(session, command, as_json).await,
        RegistryCommand::Scanning { command } => {
            let view = match command {
                ScanningCommand::Set { scan_type, rules } => {
                    let scan_type = match scan_type.to_ascii_uppercase().as_str() {
                        "BASIC" => ScanType::Basic,
                        "ENHANCED" => ScanType::Enhanced,
                        other => return Err(BerthError::invalid(format!("--type {other}: BASIC or ENHANCED."))),
                    };
                    session.set_scanning(&ScanningConfiguration { scan_type, rules: parse_rules(rules)? }).await?
                }
                ScanningCommand::Show => session.scanning().await?,
            };
            output(as_json, &view, |t| {
                for w in &view.words {
                    t.add_row([w.as_str(), ""]);
                }
                for c in &view.coverage {
                    t.add_row([c.repository.clone(), wire(&c.frequency)]);
                }
            })
        }
        RegistryCommand::Policy { command: PolicyCommand::Set { file } } => {
            let text = read_text(file)?;
            session.set_registry_policy(&text).await?;
            let words = berth_core::policy::describe_policy(&text);
            output(as_json, &serde_json::json!({"policy": text, "words": words}), |t| {
                for w in &words {
                    t.add_row([w]);
                }
            })
        }
        RegistryCommand::Policy { command: PolicyCommand::Clear { yes } } => {
            confirmed(*yes, "Remove the registry policy?")?;
            session.clear_registry_policy().await?;
            output(as_json, &serde_json::json!({"policy": null}), |t| {
                t.add_row(["The registry has no policy."]);
            })
        }
        RegistryCommand::Settings { command: SettingsCommand::Set { name, value } } => {
            session.set_account_setting(name, value).await?;
            output(as_json, &serde_json::json!({"name": name, "value": value}), |t| {
                t.add_row([name, value]);
            })
        }
    }
}

async fn pull_through(session: &Arc<Session>, command: &PullThroughCommand, as_json: bool) -> Result<(), BerthError> {
    match command {
        PullThroughCommand::Add { prefix, upstream, upstream_prefix, credential } => {
            let input = credential.input(prefix, upstream, upstream_prefix.as_deref())?;
            let rule = session.add_pull_through_rule(&input).await?;
            output(as_json, &rule, |t| {
                t.add_row([format!("added {} ← {}", rule.ecr_repository_prefix, rule.upstream_registry_url)]);
                t.add_row([format!("pull: {}", rule.pull_command)]);
            })
        }
        PullThroughCommand::Update { prefix, credential } => {
            // The rule's own upstream is used: the use case reads it.
            let input = credential.input(prefix, "", None)?;
            let rule = session.update_pull_through_rule(&input).await?;
            output(as_json, &rule, |t| {
                t.add_row([format!(
                    "changed {}: credential {}",
                    rule.ecr_repository_prefix,
                    rule.credential_arn.as_deref().unwrap_or("none")
                )]);
            })
        }
        PullThroughCommand::List => {
            let rules = session.pull_through_rules().await?;
            output(as_json, &rules, |t| {
                t.set_header(["PREFIX", "UPSTREAM", "CREDENTIAL", "PULL"]);
                for r in &rules {
                    t.add_row([
                        r.ecr_repository_prefix.clone(),
                        r.upstream_registry_url.clone(),
                        r.credential_arn.clone().unwrap_or_default(),
                        r.pull_command.clone(),
                    ]);
                }
            })
        }
        PullThroughCommand::Validate { prefix } => {
            let v = session.validate_pull_through_rule(prefix).await?;
            output(as_json, &v, |t| {
                t.add_row([match &v.failure {
                    None if v.is_valid => format!("{prefix}: valid, ECR can reach the upstream with its credential."),
                    Some(f) => format!("{prefix}: not valid: {f}"),
                    None => format!("{prefix}: not valid."),
                }]);
            })?;
            if v.is_valid {
                Ok(())
            } else {
                Err(BerthError::new(
                    ErrorCode::Refused,
                    format!(
                        "The pull-through cache rule {prefix} does not work: {}. Check its credential secret, then validate again.",
                        v.failure.as_deref().unwrap_or("ECR gave no reason")
                    ),
                ))
            }
        }
        PullThroughCommand::Remove { prefix, yes } => {
            confirmed(*yes, &format!("Remove the pull-through cache rule {prefix}? (Its cached repositories stay.)"))?;
            session.remove_pull_through_rule(prefix).await?;
            output(as_json, &serde_json::json!({"removed": prefix}), |t| {
                t.add_row([format!("removed {prefix}")]);
            })
        }
    }
}

async fn templates(session: &Arc<Session>, command: &TemplatesCommand, as_json: bool) -> Result<(), BerthError> {
    match command {
        TemplatesCommand::Add { prefix, applied_for, settings, kms_key, description, custom_role_arn } => {
            let applied = applied_for
                .iter()
                .map(|a| {
                    AppliedFor::parse(a).ok_or_else(|| {
                        BerthError::invalid(format!(
                            "--applied-for {a}: PULL_THROUGH_CACHE, REPLICATION or CREATE_ON_PUSH."
                        ))
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let template = CreationTemplate {
                prefix: prefix.clone(),
                description: description.clone(),
                applied_for: applied,
                settings: settings.spec(prefix, kms_key.as_deref())?,
                custom_role_arn: custom_role_arn.clone(),
                created_at: None,
                updated_at: None,
            };
            let saved = session.save_template(&template).await?;
            output(as_json, &saved, |t| {
                let applied: Vec<&str> = saved.applied_for.iter().map(|a| a.word()).collect();
                t.add_row([format!("saved {} ({})", saved.prefix, applied.join(", "))]);
            })
        }
        TemplatesCommand::List => {
            let list = session.creation_templates().await?;
            output(as_json, &list, |t| {
                t.set_header(["PREFIX", "APPLIED FOR", "TAG MUTABILITY", "ENCRYPTION", "LIFECYCLE"]);
                for tpl in &list {
                    let applied: Vec<&str> = tpl.applied_for.iter().map(|a| a.word()).collect();
                    t.add_row([
                        tpl.prefix.clone(),
                        applied.join(","),
                        wire(&tpl.settings.tag_mutability),
                        wire(&tpl.settings.encryption),
                        if tpl.settings.lifecycle_policy.is_some() { "set" } else { "none" }.into(),
                    ]);
                }
            })
        }
        TemplatesCommand::Remove { prefix, yes } => {
            confirmed(*yes, &format!("Remove the repository creation template {prefix}?"))?;
            session.remove_template(prefix).await?;
            output(as_json, &serde_json::json!({"removed": prefix}), |t| {
                t.add_row([format!("removed {prefix}")]);
            })
        }
    }
}

/// `berth images archive|restore REPO IMAGE…`.
pub async fn storage(
    session: &Arc<Session>,
    repository: &str,
    images: &[String],
    archive: bool,
    yes: bool,
    as_json: bool,
) -> Result<(), BerthError> {
    if archive {
        confirmed(yes, &format!("Archive {} image(s) of {repository}? {ARCHIVE_WARNING}", images.len()))?;
    }
    let changes = session.set_storage(repository, images, archive).await?;
    output(as_json, &changes, |t| {
        t.set_header(["IMAGE", "STATUS", "NOTE"]);
        for c in &changes {
            t.add_row([
                c.image.clone(),
                c.status.map(|s| wire(&s)).unwrap_or_default(),
                c.error.clone().or_else(|| c.note.clone()).unwrap_or_default(),
            ]);
        }
    })?;
    failures(&changes, if archive { "archived" } else { "restored" })
}

fn failures(changes: &[StorageChange], verb: &str) -> Result<(), BerthError> {
    let failed: Vec<&StorageChange> = changes.iter().filter(|c| c.error.is_some()).collect();
    match failed.as_slice() {
        [] => Ok(()),
        [one] if changes.len() == 1 => Err(BerthError::new(ErrorCode::Remote, one.error.clone().unwrap_or_default())),
        many => Err(BerthError::new(
            ErrorCode::Partial,
            format!(
                "{} of {} images were not {verb}: {}. The others were.",
                many.len(),
                changes.len(),
                many.iter().map(|c| c.image.as_str()).collect::<Vec<_>>().join(", ")
            ),
        )),
    }
}

/// `berth images replication REPO IMAGE`.
pub async fn replication(
    session: &Arc<Session>,
    repository: &str,
    image: &str,
    as_json: bool,
) -> Result<(), BerthError> {
    let statuses = session.replication_status(repository, image).await?;
    output(as_json, &statuses, |t| {
        t.set_header(["REGION", "REGISTRY", "STATUS", "FAILURE"]);
        for s in &statuses {
            t.add_row([
                s.region.clone(),
                s.registry_id.clone(),
                s.status.clone(),
                s.failure_code.clone().unwrap_or_default(),
            ]);
        }
    })?;
    if statuses.is_empty() && !as_json {
        output::line("No replication destination for this image: no rule covered its repository when it was pushed.")?;
    }
    Ok(())
}
