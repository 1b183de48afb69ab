//! `berth profiles …`: list, add, use, remove, test.

use std::sync::Arc;

use berth_app::Session;
use berth_core::model::AppProfileInput;
use berth_core::{BerthError, Secret};
use clap::Subcommand;

use crate::output::{confirm, output, wire};

#[derive(Subcommand)]
pub enum ProfilesCommand {
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

pub async fn run(session: &Arc<Session>, command: &ProfilesCommand, as_json: bool) -> Result<(), BerthError> {
    match command {
        ProfilesCommand::List => {
            let list = session.list_profiles().await;
            for problem in &list.problems {
                eprintln!("berth: note: {problem}");
            }
            let profiles = &list.profiles;
            output(as_json, profiles, |t| {
                t.set_header(["ID", "KIND", "REGION", "ENDPOINTS"]);
                for p in profiles {
                    let endpoints: Vec<String> =
                        [p.ecr_endpoint.clone(), p.registry_endpoint.clone()].into_iter().flatten().collect();
                    t.add_row([p.id.clone(), wire(&p.kind), p.region.clone().unwrap_or_default(), endpoints.join(" ")]);
                }
            })
        }
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
        } => {
            let (secret, token) = read_secrets(*session_token)?;
            if secret.is_empty() {
                return Err(BerthError::invalid(
                    "No secret access key on stdin: pipe it in, or run in a terminal to be asked.",
                ));
            }
            let exists = session.has_app_profile(name).await;
            let saved = session
                .save_profile(AppProfileInput {
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
            output(as_json, &saved, |t| {
                t.add_row([format!("saved {} (secret in the OS keychain)", saved.id)]);
            })
        }
        ProfilesCommand::Use { name } => {
            let connection = session.select_profile(name).await?;
            output(as_json, &connection.profile, |t| {
                t.add_row([format!("{} is now the active profile", connection.profile.id)]);
            })
        }
        ProfilesCommand::Remove { name, yes } => {
            if !yes && !confirm(&format!("Remove the profile “{name}” and its keychain entry?")) {
                return Err(BerthError::invalid("Not removed: confirm with --yes (or answer y in a terminal)."));
            }
            session.remove_profile(name).await?;
            output(as_json, &serde_json::json!({"removed": name}), |t| {
                t.add_row([format!("removed {name}")]);
            })
        }
        ProfilesCommand::Test { name, mfa_code } => {
            let result = session.test_connection(name.as_deref(), mfa_code.clone()).await?;
            output(as_json, &result, |t| {
                t.add_row(["account", &result.account]);
                t.add_row(["arn", &result.arn]);
                t.add_row(["region", &result.region]);
                t.add_row(["registry", &result.registry_host]);
            })
        }
    }
}
