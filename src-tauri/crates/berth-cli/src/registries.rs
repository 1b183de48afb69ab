//! `berth registries`: registries that are not ECR (credentials Berth holds in the keychain,
//! their repositories and tags).

use std::sync::Arc;

use berth_app::Session;
use berth_core::copy::PinnedRegistry;
use berth_core::{BerthError, Secret};
use clap::Subcommand;

use crate::output::{self, output};

#[derive(Subcommand)]
pub enum RegistriesCommand {
    /// Hold credentials for a registry (checked against it first). The password or token is
    /// read from stdin (first line), or asked for in a terminal; it goes to the OS keychain only
    Add {
        /// HOST or HOST:PORT (ghcr.io, registry.example.com:5000)
        host: String,
        #[arg(long)]
        username: String,
    },
    /// The registries Berth holds credentials for
    List,
    /// Forget a registry's credentials
    Remove { host: String },
    /// The repositories of a registry (/v2/_catalog, where the registry lists them)
    Repos { host: String },
    /// Every tag of HOST/REPOSITORY
    Tags { repository: String },
    /// Pin a profile in a region in the window's sidebar (its connection is tried first)
    Pin { profile: String, region: String },
    /// Unpin a profile and region
    Unpin { profile: String, region: String },
}

fn read_password() -> Result<Secret, BerthError> {
    use std::io::{BufRead, IsTerminal};
    let io = |e: std::io::Error| BerthError::internal(format!("could not read the password: {e}"));
    let text = if std::io::stdin().is_terminal() {
        rpassword::prompt_password("Password or token: ").map_err(io)?
    } else {
        std::io::stdin().lock().lines().next().transpose().map_err(io)?.unwrap_or_default()
    };
    Ok(Secret::new(text.trim()))
}

pub async fn run(session: &Arc<Session>, command: &RegistriesCommand, as_json: bool) -> Result<(), BerthError> {
    match command {
        RegistriesCommand::Add { host, username } => {
            let password = read_password()?;
            let held = session.add_registry(host, username, password).await?;
            eprintln!("berth: holding credentials for {} (user {}) in the keychain", held.host, held.username);
            output(as_json, &held, |t| {
                t.set_header(["HOST", "USERNAME"]);
                t.add_row([held.host.clone(), held.username.clone()]);
            })
        }
        RegistriesCommand::List => {
            let held = session.held_registries()?;
            output(as_json, &held, |t| {
                t.set_header(["HOST", "USERNAME"]);
                for r in &held {
                    t.add_row([r.host.clone(), r.username.clone()]);
                }
            })
        }
        RegistriesCommand::Remove { host } => {
            session.remove_registry(host).await?;
            eprintln!("berth: forgot the credentials for {host}");
            Ok(())
        }
        RegistriesCommand::Repos { host } => {
            let names = session.registry_repositories(host).await?;
            list(as_json, &names)
        }
        RegistriesCommand::Tags { repository } => {
            let tags = session.registry_tags(repository).await?;
            list(as_json, &tags)
        }
        RegistriesCommand::Pin { profile, region } | RegistriesCommand::Unpin { profile, region } => {
            let pin = matches!(command, RegistriesCommand::Pin { .. });
            let id = session.profile_id(Some(profile)).await;
            let pinned = session.pin_registry(PinnedRegistry { profile: id, region: region.clone() }, pin).await?;
            output(as_json, &pinned, |t| {
                t.set_header(["PROFILE", "REGION"]);
                for p in &pinned {
                    t.add_row([p.profile.clone(), p.region.clone()]);
                }
            })
        }
    }
}

fn list(as_json: bool, names: &[String]) -> Result<(), BerthError> {
    if as_json {
        return output::json(names);
    }
    names.iter().try_for_each(|n| output::line(n))
}
