//! `berth`: what Berth does, from the command line, for automation, tests and benchmarks.
//! Every subcommand parses, calls one use case of berth-app, and renders: results on stdout
//! (JSON with `--json`, a table otherwise); progress and errors on stderr.

mod copy;
mod images;
mod lifecycle;
mod load;
mod output;
mod profiles;
mod push;
mod registries;
mod registry;
mod repos;
mod signals;

use std::process::ExitCode;
use std::sync::Arc;

use berth_app::{Overrides, ProfileChoice, Session};
use berth_core::{format, BerthError, ErrorCode};
use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(name = "berth", version = berth_app::version::LONG, about = "Amazon ECR and OCI registries from the command line")]
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
    /// Log more on stderr: -v what Berth does, -vv with the AWS and registry requests, -vvv
    /// everything (never a secret). BERTH_LOG, a tracing filter, takes precedence.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
}

#[derive(Subcommand)]
enum Command {
    /// ECR repositories
    Repos {
        #[command(subcommand)]
        command: repos::ReposCommand,
    },
    /// Images of a repository
    Images {
        #[command(subcommand)]
        command: images::ImagesCommand,
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
    /// Copy an image between registries without the local engine: repositories, regions and
    /// accounts of ECR, any OCI registry. Progress on stderr, a JSON summary on stdout.
    /// SRC and DST: REPO[:TAG|@DIGEST] (the active registry), ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPO:TAG,
    /// public.ecr.aws/ALIAS/REPO:TAG, or HOST[:PORT]/PATH:TAG (credentials from the Docker
    /// configuration, helpers included); SRC may be local:NAME:TAG (the engine's image, read
    /// through its export: no `docker push`)
    Copy {
        source: String,
        destination: String,
        /// More tags to write (repeatable); default: the destination's tag, else the source's
        #[arg(long = "tag")]
        tags: Vec<String>,
        /// Put a bare destination (REPO[:TAG]) in this region
        #[arg(long)]
        to_region: Option<String>,
        /// Put a bare destination (REPO[:TAG]) in this profile's registry
        #[arg(long)]
        to_profile: Option<String>,
    },
    /// Load an image archive (`docker save` tarball, OCI layout) into the local engine
    Load { file: String },
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
        command: profiles::ProfilesCommand,
    },
    /// Images of the local Docker engine
    Local {
        #[command(subcommand)]
        command: LocalCommand,
    },
    /// Lifecycle policies: validate, preview exactly what ECR would expire and why, apply
    Lifecycle {
        #[command(subcommand)]
        command: lifecycle::LifecycleCommand,
    },
    /// Registries that are not ECR: credentials Berth holds (keychain), repositories, tags
    Registries {
        #[command(subcommand)]
        command: registries::RegistriesCommand,
    },
    /// Everything ECR configures for the registry: replication, pull-through cache, creation
    /// templates, scanning, registry policy, account settings
    Registry {
        #[command(subcommand)]
        command: registry::RegistryCommand,
    },
    /// What a bug report needs: version and commit, OS, engine, region, profile kind (no
    /// secret, no key id, no profile name)
    Diagnostics,
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

fn main() -> ExitCode {
    // Before the runtime's threads start: the environment is changed here only.
    let dropped = berth_app::environment::drop_empty_aws_settings();
    let cli = Cli::parse();
    berth_app::logging::init(verbosity(cli.global.verbose));
    if !dropped.is_empty() {
        tracing::info!("empty, so read as unset: {}", dropped.join(", "));
    }
    match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime.block_on(cli_main(cli)),
        Err(e) => {
            eprintln!("berth: could not start ({e})");
            ExitCode::FAILURE
        }
    }
}

/// The log filter of `-v`s: Berth's own steps first, then the clients' requests.
fn verbosity(count: u8) -> &'static str {
    match count {
        0 => "error",
        1 => "warn,berth=info,berth_app=info,berth_aws=info,berth_registry=info,berth_docker=info",
        2 => {
            "info,berth=debug,berth_app=debug,berth_aws=debug,berth_registry=debug,berth_docker=debug,oci_client=debug"
        }
        _ => "trace",
    }
}

async fn cli_main(cli: Cli) -> ExitCode {
    let json = cli.global.json;
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if output::is_closed_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::info!(code = e.code.name(), "the command failed: {e:?}");
            if json {
                eprintln!("{}", serde_json::json!({"error": e}));
            } else {
                eprintln!("berth: {}", e.message);
            }
            match (e.code, signals::received()) {
                (ErrorCode::Cancelled, Some(signal)) => ExitCode::from(128 + signal as u8),
                (ErrorCode::Cancelled, None) => ExitCode::from(130),
                (ErrorCode::InvalidInput, _) => ExitCode::from(2),
                _ => ExitCode::FAILURE,
            }
        }
    }
}

fn session(g: &Global, engine: Option<&str>) -> Arc<Session> {
    Session::new(
        berth_aws::profiles::ProfileStore::for_app(),
        ProfileChoice::Named(g.profile.clone()),
        Overrides {
            region: g.region.clone(),
            ecr_endpoint: g.endpoint_url.clone(),
            registry_endpoint: g.registry_endpoint.clone(),
            engine: engine.map(str::to_string),
        },
    )
}

async fn run(cli: Cli) -> Result<(), BerthError> {
    let g = &cli.global;
    let json = g.json;
    let host = match &cli.command {
        Command::Local { command: LocalCommand::List { host, .. } } => host.as_deref(),
        _ => None,
    };
    let session = session(g, host);
    match &cli.command {
        Command::Repos { command } => repos::run(&session, command, json).await,
        Command::Registry { command } => registry::run(&session, command, json).await,
        Command::Registries { command } => registries::run(&session, command, json).await,
        Command::Images { command } => images::run(&session, command, json).await,
        Command::Push { local_image, target, tags } => push::run(&session, local_image, target, tags).await,
        Command::Copy { source, destination, tags, to_region, to_profile } => {
            let input = berth_app::copy::CopyInput {
                source: source.clone(),
                destination: destination.clone(),
                tags: tags.clone(),
                to_region: to_region.clone(),
                to_profile: to_profile.clone(),
            };
            copy::run(&session, input).await
        }
        Command::Load { file } => load::run(&session, file, json).await,
        Command::Inspect { reference, platform } => {
            images::inspect(&session, reference, platform.as_deref(), json).await
        }
        Command::Tag { repository, source_tag, new_tag } => {
            images::tag(&session, repository, source_tag, new_tag, json).await
        }
        Command::Compare { a, b, platform, timings } => {
            images::compare(&session, a, b, platform.as_deref(), *timings, json).await
        }
        Command::Profiles { command } => profiles::run(&session, command, json).await,
        Command::Diagnostics => {
            let found = session.diagnostics("berth", None).await;
            if json {
                output::json(&found)
            } else {
                output::line(found.text().trim_end())
            }
        }
        Command::Lifecycle { command } => lifecycle::run(&session, command, json).await,
        Command::Local { command: LocalCommand::List { all, .. } } => {
            let images = session.local_images(*all).await?;
            output::output(json, &images, |t| {
                t.set_header(["REFERENCE", "ID", "SIZE", "LAYERS", "CREATED"]);
                for i in &images {
                    t.add_row([
                        if i.repo_tags.is_empty() { "<none>".into() } else { i.repo_tags.join(", ") },
                        format::short_digest(&i.id).to_string(),
                        format::bytes(i.size_bytes),
                        i.layers.map(|l| l.to_string()).unwrap_or_default(),
                        i.created_at.map(|t| t.to_string()).unwrap_or_default(),
                    ]);
                }
            })
        }
    }
}
