//! `berth`: Berth's core crates from the command line, for automation, tests and benchmarks.
//! Results go to stdout (JSON with `--json`, a table otherwise); progress and errors to stderr.

use std::process::ExitCode;

use berth_aws::{Aws, ConnectionSettings};
use berth_core::{format, BerthError, ErrorCode};
use clap::{Args, Parser, Subcommand};
use comfy_table::{presets::NOTHING, Table};
use serde::Serialize;

#[derive(Parser)]
#[command(
    name = "berth",
    version,
    about = "Amazon ECR and OCI registries from the command line"
)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct Global {
    /// AWS profile of ~/.aws/config (default: aws-config's default chain, AWS_PROFILE…)
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
    /// Images of the local Docker engine
    Local {
        #[command(subcommand)]
        command: LocalCommand,
    },
}

#[derive(Subcommand)]
enum ReposCommand {
    /// List every repository of the registry
    List,
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
                _ => ExitCode::FAILURE,
            }
        }
    }
}

async fn aws(global: &Global) -> Result<Aws, BerthError> {
    let mut settings = ConnectionSettings::from_env();
    settings.profile = global.profile.clone();
    settings.region = global.region.clone();
    settings.ecr_endpoint = global.endpoint_url.clone();
    if global.registry_endpoint.is_some() {
        settings.registry_endpoint = global.registry_endpoint.clone();
    }
    Aws::connect(settings).await
}

async fn run(cli: Cli) -> Result<(), BerthError> {
    let g = &cli.global;
    match &cli.command {
        Command::Repos {
            command: ReposCommand::List,
        } => {
            let repos = aws(g).await?.list_repositories().await?;
            output(g, &repos, |t| {
                t.set_header([
                    "NAME",
                    "URI",
                    "CREATED",
                    "TAG MUTABILITY",
                    "SCAN ON PUSH",
                    "ENCRYPTION",
                ]);
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
        Command::Images {
            command: ImagesCommand::List { repository },
        } => {
            let images = aws(g).await?.list_images(repository).await?;
            output(g, &images, |t| {
                t.set_header(["TAGS", "DIGEST", "SIZE", "PUSHED"]);
                for i in &images {
                    t.add_row([
                        if i.tags.is_empty() {
                            "<untagged>".into()
                        } else {
                            i.tags.join(", ")
                        },
                        format::short_digest(&i.digest).to_string(),
                        i.size_bytes.map(format::bytes).unwrap_or_default(),
                        i.pushed_at.clone().unwrap_or_default(),
                    ]);
                }
            })
        }
        Command::Local {
            command: LocalCommand::List { all, host },
        } => {
            let engine = berth_docker::Engine::connect(host.as_deref()).await?;
            let images = engine.list_images(*all).await?;
            output(g, &images, |t| {
                t.set_header(["REFERENCE", "ID", "SIZE", "LAYERS", "CREATED"]);
                for i in &images {
                    t.add_row([
                        if i.repo_tags.is_empty() {
                            "<none>".into()
                        } else {
                            i.repo_tags.join(", ")
                        },
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

fn output<T: Serialize + ?Sized>(
    g: &Global,
    value: &T,
    table: impl FnOnce(&mut Table),
) -> Result<(), BerthError> {
    if g.json {
        let text =
            serde_json::to_string_pretty(value).map_err(|e| BerthError::internal(e.to_string()))?;
        println!("{text}");
    } else {
        let mut t = Table::new();
        t.load_preset(NOTHING);
        table(&mut t);
        println!("{t}");
    }
    Ok(())
}
