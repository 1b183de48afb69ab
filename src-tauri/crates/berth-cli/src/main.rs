//! `berth`: Berth's core crates from the command line, for automation, tests and benchmarks.
//! Results go to stdout (JSON with `--json`, a table otherwise); progress and errors to stderr.

mod push;

use std::process::ExitCode;

use berth_aws::profiles::{self, ProfileStore};
use berth_aws::{Aws, ConnectionSettings};
use berth_core::model::{AppProfileInput, RepositorySpec, ResourceTag, TagMutability};
use berth_core::{format, BerthError, ErrorCode, Secret};
use clap::{Args, Parser, Subcommand};
use comfy_table::{presets::NOTHING, Table};
use serde::Serialize;

#[derive(Parser)]
#[command(name = "berth", version, about = "Amazon ECR and OCI registries from the command line")]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct Global {
    /// Profile: a Berth profile or one of ~/.aws/config by name, or an id (env, aws:NAME, app:NAME).
    /// Default: the default chain (AWS_PROFILE, environment keys…)
    #[arg(long, global = true, env = "BERTH_PROFILE")]
    profile: Option<String>,
    /// AWS region (default: the profile's, AWS_REGION…)
    #[arg(long, global = true)]
    region: Option<String>,
    /// ECR API endpoint override (default: AWS_ENDPOINT_URL or the real endpoint)
    #[arg(long, global = true)]
    endpoint_url: Option<String>,
    /// Registry endpoint override, host:port
    #[arg(long, global = true, env = "BERTH_REGISTRY_ENDPOINT")]
    registry_endpoint: Option<String>,
    /// Print JSON on stdout
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Subcommand)]
enum Command {
    /// ECR repositories
    Repos {
        #[command(subcommand)]
        command: ReposCommand,
    },
    /// Images of a repository
    Images {
        #[command(subcommand)]
        command: ImagesCommand,
    },
    /// Push a local image to a repository: per-layer progress on stderr, a JSON summary on stdout
    Push {
        /// The local image (name:tag or id)
        local_image: String,
        /// REPOSITORY[:TAG]
        target: String,
        /// More tags to push (repeatable)
        #[arg(long = "tag")]
        tags: Vec<String>,
    },
    /// An image: manifest, configuration, layers, scan findings, pull snippets.
    /// REF: REPO:TAG, REPO@sha256:…, or local:NAME:TAG for the local engine
    Inspect {
        reference: String,
        /// For a multi-platform index: which platform (default linux/amd64)
        #[arg(long)]
        platform: Option<String>,
    },
    /// Add a tag to an image of a repository without pulling it (same manifest, same digest)
    Tag { repository: String, source_tag: String, new_tag: String },
    /// Compare two images: layers (shared / only in A / only in B), configuration, history.
    /// REF: REPO:TAG, REPO@sha256:…, or local:NAME:TAG for the local engine
    Compare {
        a: String,
        b: String,
        #[arg(long)]
        platform: Option<String>,
        /// Print on stderr how long reading the images and computing the differences took
        /// (this mode leaves out the vulnerability comparison)
        #[arg(long)]
        timings: bool,
    },
    /// Profiles: list, add, remove, test
    Profiles {
        #[command(subcommand)]
        command: ProfilesCommand,
    },
    /// Images of the local Docker engine
    Local {
        #[command(subcommand)]
        command: LocalCommand,
    },
    /// Lifecycle policies: validate, and preview exactly what ECR would expire and why
    Lifecycle {
        #[command(subcommand)]
        command: LifecycleCommand,
    },
}

#[derive(Subcommand)]
enum LifecycleCommand {
    /// Check a lifecycle policy document: every problem with its rule and field
    Validate { file: std::path::PathBuf },
    /// Simulate a policy over a repository's images (or a DescribeImages JSON file), as of now
    /// or --at; prints ECR's preview shape (previewResults, summary) with the reason of each
    Preview {
        #[arg(long)]
        policy: std::path::PathBuf,
        #[arg(long, conflicts_with = "images", required_unless_present = "images")]
        repo: Option<String>,
        /// `aws ecr describe-images` output ({"imageDetails": [...]})
        #[arg(long)]
        images: Option<std::path::PathBuf>,
        /// Evaluation time, RFC 3339 (default: now)
        #[arg(long)]
        at: Option<String>,
    },
}

#[derive(Subcommand)]
enum ProfilesCommand {
    /// List every profile: the default chain, ~/.aws/config's, and Berth's own
    List,
    /// Add or replace a Berth profile. The secret access key is read from stdin (first line)
    /// or asked for without echo; with --session-token, the token is the second line.
    Add {
        name: String,
        #[arg(long)]
        access_key_id: String,
        #[arg(long)]
        session_token: bool,
        #[arg(long = "profile-region")]
        profile_region: Option<String>,
        #[arg(long)]
        role_arn: Option<String>,
        #[arg(long)]
        external_id: Option<String>,
        #[arg(long)]
        mfa_serial: Option<String>,
        #[arg(long = "ecr-endpoint")]
        ecr_endpoint: Option<String>,
        #[arg(long = "profile-registry-endpoint")]
        profile_registry_endpoint: Option<String>,
    },
    /// Make a profile the app's active one (as choosing it in the window does)
    Use { name: String },
    /// Remove a Berth profile and its keychain entry
    Remove {
        name: String,
        /// Do not ask for confirmation
        #[arg(long)]
        yes: bool,
    },
    /// Test a profile: STS GetCallerIdentity and ECR DescribeRegistry
    Test {
        /// Profile name or id (default: --profile, else the default chain)
        name: Option<String>,
        /// The current code of the role's MFA device
        #[arg(long)]
        mfa_code: Option<String>,
    },
}

#[derive(Subcommand)]
enum ReposCommand {
    /// List every repository of the registry
    List,
    /// A repository with its settings, policies, tags and image count
    Show { name: String },
    /// Create a repository (then its lifecycle and repository policies)
    Create {
        name: String,
        /// Tags cannot be overwritten
        #[arg(long)]
        immutable: bool,
        /// Tag filters exempt from the mutability setting (wildcards; up to 5)
        #[arg(long = "mutability-exclusion")]
        mutability_exclusions: Vec<String>,
        #[arg(long)]
        scan_on_push: bool,
        /// Encrypt with KMS: a key ARN, key id or alias/NAME ("aws" for the AWS managed key)
        #[arg(long)]
        kms_key: Option<String>,
        /// Lifecycle policy JSON file
        #[arg(long)]
        lifecycle: Option<std::path::PathBuf>,
        /// Repository policy JSON file
        #[arg(long)]
        policy: Option<std::path::PathBuf>,
        /// Resource tag KEY=VALUE (repeatable)
        #[arg(long = "tag")]
        tags: Vec<String>,
    },
    /// Delete a repository (with --force, its images too)
    Delete {
        name: String,
        /// Delete the images it holds too
        #[arg(long)]
        force: bool,
        /// Do not ask for confirmation
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Subcommand)]
enum ImagesCommand {
    /// List every image of a repository, newest first
    List { repository: String },
}

#[derive(Subcommand)]
enum LocalCommand {
    /// List local images (dangling ones with --all)
    List {
        #[arg(long)]
        all: bool,
        /// Engine address (default: DOCKER_HOST, then the usual sockets)
        #[arg(long)]
        host: Option<String>,
    },
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("BERTH_LOG"))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let json = cli.global.json;
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if json {
                eprintln!("{}", serde_json::json!({"error": e}));
            } else {
                eprintln!("berth: {}", e.message);
            }
            match e.code {
                ErrorCode::InvalidInput => ExitCode::from(2),
                ErrorCode::Cancelled => ExitCode::from(130),
                _ => ExitCode::FAILURE,
            }
        }
    }
}

fn read_text(path: &std::path::Path) -> Result<String, BerthError> {
    std::fs::read_to_string(path).map_err(|e| BerthError::invalid(format!("Cannot read {}: {e}.", path.display())))
}

/// An image of the registry (`REPO:TAG`, `REPO@DIGEST`) or of the engine (`local:NAME:TAG`).
async fn read_image(
    g: &Global,
    reference: &str,
    platform: Option<&str>,
) -> Result<berth_core::image::ImageInfo, BerthError> {
    if let Some(local) = reference.strip_prefix("local:") {
        return berth_docker::Engine::connect(None).await?.image_info(local).await;
    }
    let (repository, tag) = berth_aws::inspect::split_reference(reference)?;
    aws(g).await?.image(&repository, &tag, platform).await
}

/// The profile id a name stands for: an id as is, else a Berth profile, else a shared one.
async fn profile_id(store: &ProfileStore, name: Option<&str>) -> String {
    let Some(name) = name else {
        return profiles::ENV_PROFILE.to_string();
    };
    if name == profiles::ENV_PROFILE || name.starts_with("aws:") || name.starts_with("app:") {
        return name.to_string();
    }
    let list = store.list().await;
    let app = format!("app:{name}");
    if list.profiles.iter().any(|p| p.id == app) {
        app
    } else {
        format!("aws:{name}")
    }
}

async fn settings(global: &Global, name: Option<&str>) -> Result<ConnectionSettings, BerthError> {
    let store = ProfileStore::for_app();
    let id = profile_id(&store, name.or(global.profile.as_deref())).await;
    let mut settings = store.resolve(&id).await?.settings;
    if global.region.is_some() {
        settings.region = global.region.clone();
    }
    if global.endpoint_url.is_some() {
        settings.ecr_endpoint = global.endpoint_url.clone();
    }
    if global.registry_endpoint.is_some() {
        settings.registry_endpoint = global.registry_endpoint.clone();
    }
    Ok(settings)
}

async fn aws(global: &Global) -> Result<Aws, BerthError> {
    Aws::connect(settings(global, None).await?).await
}

/// The secret and optional session token: stdin lines when piped, a hidden prompt otherwise.
fn read_secrets(session_token: bool) -> Result<(Secret, Option<Secret>), BerthError> {
    use std::io::{BufRead, IsTerminal};
    let io = |e: std::io::Error| BerthError::internal(format!("could not read the secret: {e}"));
    if std::io::stdin().is_terminal() {
        let secret = rpassword::prompt_password("Secret access key: ").map_err(io)?;
        let token = if session_token { Some(rpassword::prompt_password("Session token: ").map_err(io)?) } else { None };
        return Ok((Secret::new(secret), token.map(Secret::new)));
    }
    let mut lines = std::io::stdin().lock().lines();
    let secret = lines.next().transpose().map_err(io)?.unwrap_or_default();
    let token = if session_token { Some(lines.next().transpose().map_err(io)?.unwrap_or_default()) } else { None };
    Ok((Secret::new(secret.trim()), token.map(|t| Secret::new(t.trim()))))
}

fn confirm(question: &str) -> bool {
    use std::io::{BufRead, IsTerminal, Write};
    if !std::io::stdin().is_terminal() {
        return false;
    }
    eprint!("{question} [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).is_ok() && matches!(answer.trim(), "y" | "Y" | "yes")
}

async fn run(cli: Cli) -> Result<(), BerthError> {
    let g = &cli.global;
    match &cli.command {
        Command::Repos { command: ReposCommand::List } => {
            let repos = aws(g).await?.list_repositories().await?;
            output(g, &repos, |t| {
                t.set_header(["NAME", "URI", "CREATED", "TAG MUTABILITY", "SCAN ON PUSH", "ENCRYPTION"]);
                for r in &repos {
                    t.add_row([
                        r.name.clone(),
                        r.uri.clone(),
                        r.created_at.clone().unwrap_or_default(),
                        serde_json::to_value(r.tag_mutability)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                            .unwrap_or_default(),
                        if r.scan_on_push { "yes" } else { "no" }.into(),
                        r.encryption.kind.clone(),
                    ]);
                }
            })
        }
        Command::Repos { command: ReposCommand::Show { name } } => {
            let d = aws(g).await?.repository_details(name).await?;
            output(g, &d, |t| {
                t.add_row(["name", &d.repository.name]);
                t.add_row(["uri", &d.repository.uri]);
                t.add_row(["images", &d.image_count.to_string()]);
                t.add_row(["scan on push", if d.repository.scan_on_push { "yes" } else { "no" }]);
                t.add_row(["encryption", &d.repository.encryption.kind]);
                t.add_row(["lifecycle policy", if d.lifecycle_policy.is_some() { "set" } else { "none" }]);
                t.add_row(["repository policy", if d.repository_policy.is_some() { "set" } else { "none" }]);
            })
        }
        Command::Repos {
            command:
                ReposCommand::Create {
                    name,
                    immutable,
                    mutability_exclusions,
                    scan_on_push,
                    kms_key,
                    lifecycle,
                    policy,
                    tags,
                },
        } => {
            let read = |path: &std::path::PathBuf| {
                std::fs::read_to_string(path)
                    .map_err(|e| BerthError::invalid(format!("Could not read {}: {e}", path.display())))
            };
            let tags = tags
                .iter()
                .map(|t| match t.split_once('=') {
                    Some((k, v)) => Ok(ResourceTag { key: k.to_string(), value: v.to_string() }),
                    None => Err(BerthError::invalid(format!("--tag {t}: expected KEY=VALUE."))),
                })
                .collect::<Result<Vec<_>, _>>()?;
            let spec = RepositorySpec {
                tag_mutability: match (immutable, mutability_exclusions.is_empty()) {
                    (true, true) => TagMutability::Immutable,
                    (true, false) => TagMutability::ImmutableWithExclusion,
                    (false, true) => TagMutability::Mutable,
                    (false, false) => TagMutability::MutableWithExclusion,
                },
                mutability_exclusions: mutability_exclusions.clone(),
                scan_on_push: *scan_on_push,
                encryption: if kms_key.is_some() { "KMS".into() } else { "AES256".into() },
                kms_key: kms_key.clone().filter(|k| k != "aws"),
                lifecycle_policy: lifecycle.as_ref().map(read).transpose()?,
                repository_policy: policy.as_ref().map(read).transpose()?,
                tags,
                ..RepositorySpec::named(name.clone())
            };
            let aws = aws(g).await?;
            let report = aws.create_repository(&spec).await?;
            if !report.complete() {
                let failed: Vec<String> = report
                    .steps
                    .iter()
                    .filter_map(|s| s.error.as_ref().map(|e| format!("{:?}: {}", s.step, e.message)))
                    .collect();
                println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
                return Err(BerthError::new(
                    ErrorCode::Remote,
                    format!(
                        "The repository {name} was created, but not everything was applied: {}. Fix and retry with `aws ecr` or the app.",
                        failed.join("; ")
                    ),
                ));
            }
            let d = aws.repository_details(name).await?;
            output(g, &d, |t| {
                t.add_row([format!("created {}", d.repository.uri)]);
                t.add_row([format!("push: docker push {}:TAG", d.repository.uri)]);
            })
        }
        Command::Repos { command: ReposCommand::Delete { name, force, yes } } => {
            let question = if *force {
                format!("Delete the repository {name} and every image in it?")
            } else {
                format!("Delete the repository {name}?")
            };
            if !yes && !confirm(&question) {
                return Err(BerthError::invalid("Not deleted: confirm with --yes (or answer y in a terminal)."));
            }
            aws(g).await?.delete_repository(name, *force).await?;
            output(g, &serde_json::json!({"deleted": name}), |t| {
                t.add_row([format!("deleted {name}")]);
            })
        }
        Command::Push { local_image, target, tags } => push::run(aws(g).await?, local_image, target, tags).await,
        Command::Lifecycle { command: LifecycleCommand::Validate { file } } => {
            let text = read_text(file)?;
            let problems = berth_core::lifecycle::validate(&text);
            output(g, &serde_json::json!({"valid": problems.is_empty(), "problems": problems}), |t| {
                if problems.is_empty() {
                    t.add_row(["valid"]);
                }
                for p in &problems {
                    t.add_row([format!("{}: {}", p.field, p.message)]);
                }
            })?;
            if problems.is_empty() {
                Ok(())
            } else {
                Err(BerthError::invalid(format!("{} problem(s) in {}", problems.len(), file.display())))
            }
        }
        Command::Lifecycle { command: LifecycleCommand::Preview { policy, repo, images, at } } => {
            let text = read_text(policy)?;
            let problems = berth_core::lifecycle::validate(&text);
            if let Some(p) = problems.first() {
                return Err(BerthError::invalid(format!(
                    "{}: {} (berth lifecycle validate lists all)",
                    p.field, p.message
                )));
            }
            let parsed = berth_core::lifecycle::parse(&text).map_err(BerthError::invalid)?;
            let at = match at {
                Some(t) => {
                    time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).map_err(|e| {
                        BerthError::invalid(format!("--at {t}: not an RFC 3339 time ({e}); e.g. 2026-12-31T00:00:00Z"))
                    })?
                }
                None => time::OffsetDateTime::now_utc(),
            };
            let sim = match (repo, images) {
                (Some(repo), _) => {
                    aws(g).await?.list_images(repo).await?.iter().map(berth_core::lifecycle::SimImage::from).collect()
                }
                (None, Some(file)) => {
                    berth_core::lifecycle::images_from_describe(&read_text(file)?).map_err(BerthError::invalid)?
                }
                (None, None) => return Err(BerthError::invalid("Give --repo REPO or --images FILE.")),
            };
            let decisions = berth_core::lifecycle::simulate(&parsed, &sim, at);
            let preview = berth_core::lifecycle::preview_json(&sim, &decisions);
            output(g, &preview, |t| {
                t.set_header(["DIGEST", "TAGS", "PUSHED", "RULE", "WHY"]);
                for d in &decisions {
                    let image = &sim[d.image as usize];
                    t.add_row([
                        format::short_digest(&image.image_digest).to_string(),
                        image.image_tags.join(", "),
                        image.image_pushed_at.clone(),
                        d.rule_priority.to_string(),
                        d.reason.to_string(),
                    ]);
                }
                t.add_row([
                    "".into(),
                    "".into(),
                    "".into(),
                    "".into(),
                    format!("{} of {} images would go", decisions.len(), sim.len()),
                ]);
            })
        }
        Command::Inspect { reference, platform } => {
            let info = read_image(g, reference, platform.as_deref()).await?;
            output(g, &info, |t| {
                t.add_row(["reference", &info.reference]);
                t.add_row(["digest", &info.digest]);
                t.add_row(["media type", &info.media_type]);
                t.add_row(["platform", &info.platform().unwrap_or_default()]);
                t.add_row(["size", &format::bytes(info.size)]);
                t.add_row(["created", info.config.created.as_deref().unwrap_or_default()]);
                t.add_row(["entrypoint", &info.config.entrypoint.join(" ")]);
                t.add_row(["cmd", &info.config.cmd.join(" ")]);
                for (i, l) in info.layers.iter().enumerate() {
                    t.add_row([
                        format!("layer {}", i + 1),
                        format!("{} {}", format::short_digest(&l.digest), format::bytes(l.size)),
                    ]);
                }
                for p in &info.platforms {
                    t.add_row([format!("platform {}", p.platform), p.digest.clone()]);
                }
            })
        }
        Command::Tag { repository, source_tag, new_tag } => {
            let digest = aws(g).await?.add_tag(repository, source_tag, new_tag).await?;
            let result = serde_json::json!({"repository": repository, "tag": new_tag, "digest": digest});
            output(g, &result, |t| {
                t.add_row([format!("{repository}:{new_tag} → {digest}")]);
            })
        }
        Command::Compare { a, b, platform, timings } => {
            let comparison = if *timings {
                let started = std::time::Instant::now();
                let (ia, ib) =
                    tokio::try_join!(read_image(g, a, platform.as_deref()), read_image(g, b, platform.as_deref()))?;
                let read = started.elapsed();
                let diff_started = std::time::Instant::now();
                let comparison = berth_core::image::compare(&ia, &ib);
                let diff = diff_started.elapsed();
                eprintln!(
                    "berth: timings: read {:.1} ms, diff {:.3} ms ({} + {} layers)",
                    read.as_secs_f64() * 1e3,
                    diff.as_secs_f64() * 1e3,
                    ia.layers.len(),
                    ib.layers.len()
                );
                comparison
            } else if a.starts_with("local:") || b.starts_with("local:") {
                let (ia, ib) =
                    (read_image(g, a, platform.as_deref()).await?, read_image(g, b, platform.as_deref()).await?);
                berth_aws::inspect::compare_read(&ia, &ib)?
            } else {
                aws(g).await?.compare(a, b, platform.as_deref()).await?
            };
            output(g, &comparison, |t| {
                t.set_header(["", "A", "B"]);
                t.add_row(["reference".to_string(), comparison.a.reference.clone(), comparison.b.reference.clone()]);
                t.add_row(["digest".to_string(), comparison.a.digest.clone(), comparison.b.digest.clone()]);
                t.add_row(["size".to_string(), format::bytes(comparison.a.size), format::bytes(comparison.b.size)]);
                for l in &comparison.layers {
                    let (x, y) = match l.status {
                        berth_core::image::LayerStatus::Shared => ("=", "="),
                        berth_core::image::LayerStatus::OnlyA => ("only A", ""),
                        berth_core::image::LayerStatus::OnlyB => ("", "only B"),
                    };
                    t.add_row([
                        format!("layer {} {}", format::short_digest(&l.digest), format::bytes(l.size)),
                        x.into(),
                        y.into(),
                    ]);
                }
                for c in &comparison.config_changes {
                    t.add_row([c.path.clone(), c.a.clone().unwrap_or("—".into()), c.b.clone().unwrap_or("—".into())]);
                }
                if comparison.identical {
                    t.add_row(["identical".to_string(), String::new(), String::new()]);
                }
            })
        }
        Command::Images { command: ImagesCommand::List { repository } } => {
            let images = aws(g).await?.list_images(repository).await?;
            output(g, &images, |t| {
                t.set_header(["TAGS", "DIGEST", "SIZE", "PUSHED"]);
                for i in &images {
                    t.add_row([
                        if i.tags.is_empty() { "<untagged>".into() } else { i.tags.join(", ") },
                        format::short_digest(&i.digest).to_string(),
                        i.size_bytes.map(format::bytes).unwrap_or_default(),
                        i.pushed_at.clone().unwrap_or_default(),
                    ]);
                }
            })
        }
        Command::Profiles { command: ProfilesCommand::List } => {
            let list = ProfileStore::for_app().list().await;
            for problem in &list.problems {
                eprintln!("berth: note: {problem}");
            }
            let profiles = &list.profiles;
            output(g, profiles, |t| {
                t.set_header(["ID", "KIND", "REGION", "ENDPOINTS"]);
                for p in profiles {
                    let endpoints: Vec<String> =
                        [p.ecr_endpoint.clone(), p.registry_endpoint.clone()].into_iter().flatten().collect();
                    t.add_row([
                        p.id.clone(),
                        serde_json::to_value(p.kind)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                            .unwrap_or_default(),
                        p.region.clone().unwrap_or_default(),
                        endpoints.join(" "),
                    ]);
                }
            })
        }
        Command::Profiles {
            command:
                ProfilesCommand::Add {
                    name,
                    access_key_id,
                    session_token,
                    profile_region,
                    role_arn,
                    external_id,
                    mfa_serial,
                    ecr_endpoint,
                    profile_registry_endpoint,
                },
        } => {
            let (secret, token) = read_secrets(*session_token)?;
            if secret.is_empty() {
                return Err(BerthError::invalid(
                    "No secret access key on stdin: pipe it in, or run in a terminal to be asked.",
                ));
            }
            let store = ProfileStore::for_app();
            let exists = store.list().await.profiles.iter().any(|p| p.id == format!("app:{name}"));
            let saved = store
                .save(AppProfileInput {
                    name: name.clone(),
                    previous_name: exists.then(|| name.clone()),
                    access_key_id: Some(Secret::new(access_key_id.clone())),
                    secret_access_key: Some(secret),
                    session_token: token,
                    clear_session_token: !session_token,
                    role_arn: role_arn.clone(),
                    external_id: external_id.clone(),
                    mfa_serial: mfa_serial.clone(),
                    region: profile_region.clone(),
                    ecr_endpoint: ecr_endpoint.clone(),
                    registry_endpoint: profile_registry_endpoint.clone(),
                })
                .await?;
            output(g, &saved, |t| {
                t.add_row([format!("saved {} (secret in the OS keychain)", saved.id)]);
            })
        }
        Command::Profiles { command: ProfilesCommand::Use { name } } => {
            let store = ProfileStore::for_app();
            let id = profile_id(&store, Some(name)).await;
            let resolved = store.resolve(&id).await?;
            store.remember(&id, None)?;
            output(g, &resolved.info, |t| {
                t.add_row([format!("{} is now the active profile", resolved.info.id)]);
            })
        }
        Command::Profiles { command: ProfilesCommand::Remove { name, yes } } => {
            if !yes && !confirm(&format!("Remove the profile “{name}” and its keychain entry?")) {
                return Err(BerthError::invalid("Not removed: confirm with --yes (or answer y in a terminal)."));
            }
            ProfileStore::for_app().remove(name).await?;
            output(g, &serde_json::json!({"removed": name}), |t| {
                t.add_row([format!("removed {name}")]);
            })
        }
        Command::Profiles { command: ProfilesCommand::Test { name, mfa_code } } => {
            let mut settings = settings(g, name.as_deref()).await?;
            settings.mfa_code = mfa_code.clone();
            let result = Aws::connect(settings).await?.test_connection().await?;
            output(g, &result, |t| {
                t.add_row(["account", &result.account]);
                t.add_row(["arn", &result.arn]);
                t.add_row(["region", &result.region]);
                t.add_row(["registry", &result.registry_host]);
            })
        }
        Command::Local { command: LocalCommand::List { all, host } } => {
            let engine = berth_docker::Engine::connect(host.as_deref()).await?;
            let images = engine.list_images(*all).await?;
            output(g, &images, |t| {
                t.set_header(["REFERENCE", "ID", "SIZE", "LAYERS", "CREATED"]);
                for i in &images {
                    t.add_row([
                        if i.repo_tags.is_empty() { "<none>".into() } else { i.repo_tags.join(", ") },
                        format::short_digest(&i.id).to_string(),
                        format::bytes(i.size_bytes),
                        i.layers.map(|l| l.to_string()).unwrap_or_default(),
                        i.created_at.clone().unwrap_or_default(),
                    ]);
                }
            })
        }
    }
}

fn output<T: Serialize + ?Sized>(g: &Global, value: &T, table: impl FnOnce(&mut Table)) -> Result<(), BerthError> {
    if g.json {
        let text = serde_json::to_string_pretty(value).map_err(|e| BerthError::internal(e.to_string()))?;
        println!("{text}");
    } else {
        let mut t = Table::new();
        t.load_preset(NOTHING);
        table(&mut t);
        println!("{t}");
    }
    Ok(())
}
