//! `berth repos …`: list, show, create, update, delete.

use std::path::PathBuf;
use std::sync::Arc;

use berth_app::repositories::{failed_part, partial};
use berth_app::Session;
use berth_core::model::{PolicyChange, RepositoryChange, RepositorySpec, ResourceTag, TagMutability};
use berth_core::BerthError;
use clap::{Args, Subcommand};

use crate::output::{self, confirm, output, read_text, wire};

#[derive(Subcommand)]
pub enum ReposCommand {
    /// List every repository of the registry (--public: of the account's ECR Public registry)
    List {
        #[arg(long)]
        public: bool,
    },
    /// A repository with its settings, policies, tags and image count
    Show { name: String },
    /// Create a repository (then its lifecycle and repository policies); with --public, a
    /// repository of ECR Public with its catalog data
    Create {
        name: String,
        #[command(flatten)]
        settings: Settings,
        /// Encrypt with KMS: a key ARN, key id or alias/NAME ("aws" for the AWS managed key)
        #[arg(long)]
        kms_key: Option<String>,
        /// In ECR Public (public.ecr.aws/ALIAS/NAME): catalog data instead of private settings
        #[arg(long)]
        public: bool,
        #[command(flatten)]
        catalog: Catalog,
    },
    /// Change a repository's settings: each change is applied on its own and reported
    Update {
        name: String,
        #[command(flatten)]
        settings: Settings,
        /// Tags can be overwritten again
        #[arg(long, conflicts_with = "immutable")]
        mutable: bool,
        /// Turn scan on push off
        #[arg(long, conflicts_with = "scan_on_push")]
        no_scan_on_push: bool,
        /// Remove the lifecycle policy
        #[arg(long, conflicts_with = "lifecycle")]
        no_lifecycle: bool,
        /// Remove the repository policy
        #[arg(long, conflicts_with = "policy")]
        no_policy: bool,
    },
    /// Delete a repository (with --force, its images too)
    Delete {
        name: String,
        /// A repository of ECR Public
        #[arg(long)]
        public: bool,
        /// Delete the images it holds too
        #[arg(long)]
        force: bool,
        /// Do not ask for confirmation
        #[arg(long)]
        yes: bool,
    },
}

/// ECR Public's catalog data (`create --public`).
#[derive(Args)]
pub struct Catalog {
    /// One line shown in the gallery
    #[arg(long, requires = "public")]
    description: Option<String>,
    /// Markdown: what the image is
    #[arg(long, requires = "public")]
    about: Option<String>,
    /// Markdown: how to use it
    #[arg(long, requires = "public")]
    usage: Option<String>,
    /// ARM, ARM 64, x86, x86-64 (repeatable)
    #[arg(long = "architecture", requires = "public")]
    architectures: Vec<String>,
    /// Linux, Windows (repeatable)
    #[arg(long = "os", requires = "public")]
    operating_systems: Vec<String>,
}

/// The settings `create` and `update` share.
#[derive(Args)]
pub struct Settings {
    /// Tags cannot be overwritten
    #[arg(long)]
    immutable: bool,
    /// Tag filters exempt from the mutability setting (wildcards; up to 5)
    #[arg(long = "mutability-exclusion")]
    mutability_exclusions: Vec<String>,
    #[arg(long)]
    scan_on_push: bool,
    /// Lifecycle policy JSON file
    #[arg(long)]
    lifecycle: Option<PathBuf>,
    /// Repository policy JSON file
    #[arg(long)]
    policy: Option<PathBuf>,
    /// Resource tag KEY=VALUE (repeatable)
    #[arg(long = "tag")]
    tags: Vec<String>,
}

impl Settings {
    /// The repository spec these options describe (`repos create`, `registry templates add`).
    pub fn spec(&self, name: &str, kms_key: Option<&str>) -> Result<RepositorySpec, BerthError> {
        let mut spec = RepositorySpec::named(name);
        spec.tag_mutability = mutability(self.immutable, &self.mutability_exclusions);
        spec.mutability_exclusions = self.mutability_exclusions.clone();
        spec.scan_on_push = self.scan_on_push;
        spec.set_kms_key(kms_key);
        spec.lifecycle_policy = self.lifecycle.as_deref().map(read_text).transpose()?;
        spec.repository_policy = self.policy.as_deref().map(read_text).transpose()?;
        spec.tags = resource_tags(&self.tags)?;
        Ok(spec)
    }
}

fn mutability(immutable: bool, exclusions: &[String]) -> TagMutability {
    match (immutable, exclusions.is_empty()) {
        (true, true) => TagMutability::Immutable,
        (true, false) => TagMutability::ImmutableWithExclusion,
        (false, true) => TagMutability::Mutable,
        (false, false) => TagMutability::MutableWithExclusion,
    }
}

fn resource_tags(tags: &[String]) -> Result<Vec<ResourceTag>, BerthError> {
    tags.iter()
        .map(|t| match t.split_once('=') {
            Some((k, v)) => Ok(ResourceTag { key: k.to_string(), value: v.to_string() }),
            None => Err(BerthError::invalid(format!("--tag {t}: expected KEY=VALUE."))),
        })
        .collect()
}

pub async fn run(session: &Arc<Session>, command: &ReposCommand, as_json: bool) -> Result<(), BerthError> {
    match command {
        ReposCommand::List { public: true } => {
            let repos = session.public_repositories().await?;
            output(as_json, &repos, |t| {
                t.set_header(["NAME", "URI", "CREATED", "DESCRIPTION", "ARCHITECTURES", "OS"]);
                for r in &repos {
                    t.add_row([
                        r.name.clone(),
                        r.uri.clone(),
                        r.created_at.map(|t| t.to_string()).unwrap_or_default(),
                        r.description.clone().unwrap_or_default(),
                        r.architectures.join(", "),
                        r.operating_systems.join(", "),
                    ]);
                }
            })
        }
        ReposCommand::Create { name, public: true, catalog, .. } => {
            let c = berth_core::copy::PublicCatalog {
                description: catalog.description.clone(),
                about_text: catalog.about.clone(),
                usage_text: catalog.usage.clone(),
                architectures: catalog.architectures.clone(),
                operating_systems: catalog.operating_systems.clone(),
            };
            let (created, notes) = session.create_public_repository(name, &c).await?;
            for note in notes {
                eprintln!("berth: note: {note}");
            }
            eprintln!("berth: created the public repository {}", created.uri);
            output(as_json, &created, |t| {
                t.set_header(["NAME", "URI"]);
                t.add_row([created.name.clone(), created.uri.clone()]);
            })
        }
        ReposCommand::List { public: false } => {
            let repos = session.list_repositories().await?;
            output(as_json, &repos, |t| {
                t.set_header(["NAME", "URI", "CREATED", "TAG MUTABILITY", "SCAN ON PUSH", "ENCRYPTION"]);
                for r in &repos {
                    t.add_row([
                        r.name.clone(),
                        r.uri.clone(),
                        r.created_at.map(|t| t.to_string()).unwrap_or_default(),
                        wire(&r.tag_mutability),
                        if r.scan_on_push { "yes" } else { "no" }.into(),
                        wire(&r.encryption.kind),
                    ]);
                }
            })
        }
        ReposCommand::Show { name } => {
            let d = session.repository_details(name).await?;
            output(as_json, &d, |t| {
                t.add_row(["name", &d.repository.name]);
                t.add_row(["uri", &d.repository.uri]);
                t.add_row(["images", &d.image_count.to_string()]);
                t.add_row(["tag mutability", &wire(&d.repository.tag_mutability)]);
                if !d.mutability_exclusions.is_empty() {
                    t.add_row(["mutability exclusions", &d.mutability_exclusions.join(", ")]);
                }
                t.add_row(["scan on push", if d.repository.scan_on_push { "yes" } else { "no" }]);
                t.add_row(["encryption", &wire(&d.repository.encryption.kind)]);
                t.add_row(["lifecycle policy", if d.lifecycle_policy.is_some() { "set" } else { "none" }]);
                t.add_row(["repository policy", if d.repository_policy.is_some() { "set" } else { "none" }]);
            })
        }
        ReposCommand::Create { name, settings: s, kms_key, .. } => {
            let spec = s.spec(name, kms_key.as_deref())?;
            let report = session.create_repository(&spec).await?;
            if !report.complete() {
                if as_json {
                    output::json(&report)?;
                }
                return Err(partial(
                    name,
                    &report.steps,
                    "The repository exists: fix what failed and apply it with `berth repos update`, or in the app.",
                ));
            }
            let d = session.repository_details(name).await?;
            output(as_json, &report, |t| {
                t.add_row([format!("created {}", d.repository.uri)]);
                t.add_row([format!("push: docker push {}:TAG", d.repository.uri)]);
            })
        }
        ReposCommand::Update { name, settings: s, mutable, no_scan_on_push, no_lifecycle, no_policy } => {
            let mut change = RepositoryChange::keep(name.clone());
            if s.immutable || *mutable || !s.mutability_exclusions.is_empty() {
                change.tag_mutability = Some(mutability(s.immutable, &s.mutability_exclusions));
                change.mutability_exclusions = Some(s.mutability_exclusions.clone());
            }
            if s.scan_on_push || *no_scan_on_push {
                change.scan_on_push = Some(s.scan_on_push);
            }
            change.lifecycle_policy = match (&s.lifecycle, no_lifecycle) {
                (Some(file), _) => PolicyChange::Set { text: read_text(file)? },
                (None, true) => PolicyChange::Remove,
                (None, false) => PolicyChange::Keep,
            };
            change.repository_policy = match (&s.policy, no_policy) {
                (Some(file), _) => PolicyChange::Set { text: read_text(file)? },
                (None, true) => PolicyChange::Remove,
                (None, false) => PolicyChange::Keep,
            };
            if !s.tags.is_empty() {
                change.tags = Some(resource_tags(&s.tags)?);
            }
            if change == RepositoryChange::keep(name.clone()) {
                return Err(BerthError::invalid(
                    "Nothing to change: give a setting (--immutable, --scan-on-push, --lifecycle FILE…; see --help).",
                ));
            }
            let report = session.update_repository(&change).await?;
            if !report.complete() {
                if as_json {
                    output::json(&report)?;
                }
                let retry = failed_part(&change, &report);
                return Err(partial(
                    name,
                    &report.steps,
                    &format!("Fix it and run the update again with only what failed ({}).", retry_words(&retry)),
                ));
            }
            output(as_json, &report, |t| {
                for s in &report.steps {
                    t.add_row([format!("{}: done", berth_app::repositories::step_words(s.step))]);
                }
            })
        }
        ReposCommand::Delete { name, force, yes, public } => {
            let kind = if *public { "public repository" } else { "repository" };
            let question = if *force {
                format!("Delete the {kind} {name} and every image in it?")
            } else {
                format!("Delete the {kind} {name}?")
            };
            if !yes && !confirm(&question) {
                return Err(BerthError::invalid("Not deleted: confirm with --yes (or answer y in a terminal)."));
            }
            let deleted = if *public {
                session.delete_public_repository(name, *force).await
            } else {
                session.delete_repository(name, *force).await
            };
            deleted.map_err(|mut e| {
                if e.code == berth_core::ErrorCode::Refused {
                    e.message.push_str(" To delete the images with it, run again with --force.");
                }
                e
            })?;
            output(as_json, &serde_json::json!({"deleted": name}), |t| {
                t.add_row([format!("deleted {name}")]);
            })
        }
    }
}

/// The settings a retry needs, in words.
fn retry_words(change: &RepositoryChange) -> String {
    let mut parts = Vec::new();
    if change.tag_mutability.is_some() {
        parts.push("tag mutability");
    }
    if change.scan_on_push.is_some() {
        parts.push("scan on push");
    }
    if change.lifecycle_policy != PolicyChange::Keep {
        parts.push("lifecycle policy");
    }
    if change.repository_policy != PolicyChange::Keep {
        parts.push("repository policy");
    }
    if change.tags.is_some() {
        parts.push("resource tags");
    }
    parts.join(", ")
}
