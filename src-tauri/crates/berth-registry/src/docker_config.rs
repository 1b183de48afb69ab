//! Credentials from the user's Docker configuration, read as the docker CLI reads them:
//! `$DOCKER_CONFIG/config.json` (default `~/.docker/config.json`); for a host, its
//! `credHelpers` entry, else the `credsStore`, else its `auths` entry (`auth`: base64 of
//! `user:password`). A helper is the program `docker-credential-NAME`, asked with `get` and
//! the host on its standard input; it answers `{"Username": …, "Secret": …}`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use berth_core::{BerthError, ErrorCode, Result, Secret};
use serde::Deserialize;
use tokio::io::AsyncWriteExt;

use crate::Credentials;

#[derive(Debug, Default, Deserialize)]
struct ConfigFile {
    #[serde(default)]
    auths: HashMap<String, AuthEntry>,
    #[serde(default, rename = "credsStore")]
    creds_store: Option<String>,
    #[serde(default, rename = "credHelpers")]
    cred_helpers: HashMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
struct AuthEntry {
    auth: Option<String>,
    username: Option<String>,
    password: Option<String>,
}

#[derive(Deserialize)]
struct HelperAnswer {
    #[serde(rename = "Username")]
    username: String,
    #[serde(rename = "Secret")]
    secret: String,
}

/// The Docker configuration file the docker CLI would read.
pub fn config_path() -> Option<PathBuf> {
    match std::env::var_os("DOCKER_CONFIG").filter(|v| !v.is_empty()) {
        Some(dir) => Some(PathBuf::from(dir).join("config.json")),
        None => dirs::home_dir().map(|h| h.join(".docker").join("config.json")),
    }
}

/// The keys `auths` may use for `host` (Docker Hub is stored under its old index URL).
fn auth_keys(host: &str) -> Vec<String> {
    let mut keys = vec![
        host.to_string(),
        format!("https://{host}"),
        format!("http://{host}"),
        format!("https://{host}/v1/"),
        format!("https://{host}/v2/"),
    ];
    if host == "docker.io" || host == "registry-1.docker.io" || host == "index.docker.io" {
        keys.push("https://index.docker.io/v1/".into());
    }
    keys
}

/// Where the credentials for `host` would come from, and they themselves.
#[derive(Debug)]
pub struct Found {
    /// `helper docker-credential-NAME`, `auths in PATH`, or `none`.
    pub source: String,
    pub credentials: Credentials,
}

/// The credentials the Docker configuration holds for `host`; anonymous when it has none
/// (or there is no configuration). A helper that fails or a file that is not JSON is an
/// error that names the file or the helper.
pub async fn credentials_for(host: &str) -> Result<Found> {
    let Some(path) = config_path() else {
        return Ok(Found { source: "none".into(), credentials: Credentials::Anonymous });
    };
    credentials_in(&path, host).await
}

pub async fn credentials_in(path: &Path, host: &str) -> Result<Found> {
    let text = match tokio::fs::read_to_string(path).await {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Found { source: "none".into(), credentials: Credentials::Anonymous })
        }
        Err(e) => {
            return Err(BerthError::new(
                ErrorCode::InvalidInput,
                format!("The Docker configuration {} cannot be read ({e}).", path.display()),
            ))
        }
    };
    let config: ConfigFile = serde_json::from_str(&text).map_err(|e| {
        BerthError::invalid(format!(
            "The Docker configuration {} is not valid JSON ({e}). Fix it, or move it away to use no Docker credentials.",
            path.display()
        ))
    })?;
    if let Some(helper) = config.cred_helpers.get(host).or(config.creds_store.as_ref()) {
        if let Some(credentials) = ask_helper(helper, host).await? {
            return Ok(Found { source: format!("helper docker-credential-{helper}"), credentials });
        }
    }
    for key in auth_keys(host) {
        let Some(entry) = config.auths.get(&key) else { continue };
        if let Some(credentials) = entry_credentials(entry) {
            return Ok(Found { source: format!("auths in {}", path.display()), credentials });
        }
    }
    Ok(Found { source: "none".into(), credentials: Credentials::Anonymous })
}

/// The registries the Docker configuration names (`auths` and `credHelpers` keys), by host,
/// each once (a `credHelpers` entry wins), sorted; none without a configuration.
pub async fn registries() -> Result<Vec<berth_core::copy::DockerRegistry>> {
    let Some(path) = config_path() else { return Ok(Vec::new()) };
    registries_in(&path).await
}

pub async fn registries_in(path: &Path) -> Result<Vec<berth_core::copy::DockerRegistry>> {
    let text = match tokio::fs::read_to_string(path).await {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(BerthError::invalid(format!(
                "The Docker configuration {} cannot be read ({e}).",
                path.display()
            )))
        }
    };
    let config: ConfigFile = serde_json::from_str(&text).map_err(|e| {
        BerthError::invalid(format!(
            "The Docker configuration {} is not valid JSON ({e}). Fix it, or move it away to use no Docker credentials.",
            path.display()
        ))
    })?;
    let mut found: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    for key in config.auths.keys() {
        if let Some(host) = host_of_key(key) {
            found.entry(host).or_insert_with(|| "auths".to_string());
        }
    }
    for (key, helper) in &config.cred_helpers {
        if let Some(host) = host_of_key(key) {
            found.insert(host, format!("credHelpers (docker-credential-{helper})"));
        }
    }
    Ok(found.into_iter().map(|(host, from)| berth_core::copy::DockerRegistry { host, from }).collect())
}

/// `https://index.docker.io/v1/` → `docker.io`, `https://ghcr.io` → `ghcr.io`,
/// `127.0.0.1:5000` → itself; `None` for a key that names no host.
fn host_of_key(key: &str) -> Option<String> {
    let k = key.trim();
    let k = k.strip_prefix("https://").or_else(|| k.strip_prefix("http://")).unwrap_or(k);
    let host = k.split('/').next()?.to_ascii_lowercase();
    let ok = !host.is_empty()
        && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        && !host.starts_with(['.', '-', ':']);
    if !ok {
        return None;
    }
    Some(if host == "index.docker.io" || host == "registry-1.docker.io" { "docker.io".into() } else { host })
}

fn entry_credentials(entry: &AuthEntry) -> Option<Credentials> {
    if let (Some(username), Some(password)) = (&entry.username, &entry.password) {
        return Some(Credentials::Basic { username: username.clone(), password: Secret::new(password.clone()) });
    }
    use base64::Engine as _;
    let decoded = base64::engine::general_purpose::STANDARD.decode(entry.auth.as_deref()?.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (username, password) = text.split_once(':')?;
    Some(Credentials::Basic { username: username.to_string(), password: Secret::new(password.to_string()) })
}

/// Ask `docker-credential-NAME get` for `host`; `None` when it has nothing for it.
async fn ask_helper(name: &str, host: &str) -> Result<Option<Credentials>> {
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.') {
        return Err(BerthError::invalid(format!(
            "The Docker configuration names a credential helper “{name}” that is not a program name."
        )));
    }
    let program = format!("docker-credential-{name}");
    let mut child = tokio::process::Command::new(&program)
        .arg("get")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| {
            BerthError::new(
                ErrorCode::NotFound,
                format!("The Docker configuration asks {program} for the credentials of {host}, and it cannot be run ({e}). Install it, or remove it from the configuration."),
            )
        })?;
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(host.as_bytes()).await;
    }
    let out = tokio::time::timeout(std::time::Duration::from_secs(30), child.wait_with_output())
        .await
        .map_err(|_| {
            BerthError::new(ErrorCode::Unreachable, format!("{program} did not answer within 30 s for {host}."))
        })?
        .map_err(|e| BerthError::new(ErrorCode::Internal, format!("{program} failed: {e}")))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        // The protocol's answer for a host the helper has nothing for.
        if stdout.contains("credentials not found")
            || String::from_utf8_lossy(&out.stderr).contains("credentials not found")
        {
            return Ok(None);
        }
        return Err(BerthError::new(
            ErrorCode::AccessDenied,
            format!("{program} refused to give the credentials of {host} (exit {}). Log in again with `docker login {host}`.", out.status.code().unwrap_or(-1)),
        ));
    }
    let answer: HelperAnswer = serde_json::from_str(stdout.trim()).map_err(|_| {
        BerthError::new(
            ErrorCode::Remote,
            format!("{program} answered something that is not the credential helpers' JSON."),
        )
    })?;
    Ok(Some(Credentials::Basic { username: answer.username, password: Secret::new(answer.secret) }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, text: &str) -> PathBuf {
        let p = dir.join("config.json");
        std::fs::write(&p, text).unwrap();
        p
    }

    fn basic(c: &Credentials) -> (String, String) {
        match c {
            Credentials::Basic { username, password } => (username.clone(), password.expose().to_string()),
            Credentials::Anonymous => ("".into(), "".into()),
        }
    }

    #[tokio::test]
    async fn auths_entries_are_read_by_host_and_by_url() {
        let dir = tempdir();
        // "dXNlcjpzM2NyZXQ=" is base64 of "user:s3cret".
        let p = write(
            &dir,
            r#"{"auths":{"https://ghcr.io":{"auth":"dXNlcjpzM2NyZXQ="},"127.0.0.1:5000":{"auth":"dXNlcjpzM2NyZXQ="}}}"#,
        );
        for host in ["ghcr.io", "127.0.0.1:5000"] {
            let found = credentials_in(&p, host).await.unwrap();
            assert_eq!(basic(&found.credentials), ("user".into(), "s3cret".into()), "{host}");
            assert!(found.source.starts_with("auths in"));
        }
        let none = credentials_in(&p, "quay.io").await.unwrap();
        assert!(matches!(none.credentials, Credentials::Anonymous));
        assert!(matches!(
            credentials_in(&dir.join("missing.json"), "x").await.unwrap().credentials,
            Credentials::Anonymous
        ));
    }

    #[tokio::test]
    async fn a_broken_file_or_a_missing_helper_is_said() {
        let dir = tempdir();
        let p = write(&dir, "{not json");
        assert_eq!(credentials_in(&p, "ghcr.io").await.unwrap_err().code, ErrorCode::InvalidInput);
        let p = write(&dir, r#"{"credHelpers":{"ghcr.io":"berth-no-such-helper"}}"#);
        let e = credentials_in(&p, "ghcr.io").await.unwrap_err();
        assert!(e.message.contains("docker-credential-berth-no-such-helper"), "{}", e.message);
        let p = write(&dir, r#"{"credsStore":"../../bin/sh"}"#);
        assert_eq!(credentials_in(&p, "ghcr.io").await.unwrap_err().code, ErrorCode::InvalidInput);
    }

    #[tokio::test]
    async fn registries_are_the_hosts_of_auths_and_cred_helpers() {
        let dir = tempdir();
        let p = write(
            &dir,
            r#"{"auths":{"https://index.docker.io/v1/":{},"https://GHCR.io":{"auth":"eA=="},"127.0.0.1:5000":{},"not a host":{}},
                "credHelpers":{"ghcr.io":"gh","123456789012.dkr.ecr.eu-west-1.amazonaws.com":"ecr-login"}}"#,
        );
        let found = registries_in(&p).await.unwrap();
        let hosts: Vec<(&str, &str)> = found.iter().map(|r| (r.host.as_str(), r.from.as_str())).collect();
        assert_eq!(
            hosts,
            vec![
                ("123456789012.dkr.ecr.eu-west-1.amazonaws.com", "credHelpers (docker-credential-ecr-login)"),
                ("127.0.0.1:5000", "auths"),
                ("docker.io", "auths"),
                ("ghcr.io", "credHelpers (docker-credential-gh)"),
            ]
        );
        assert!(registries_in(&dir.join("missing.json")).await.unwrap().is_empty());
    }

    fn tempdir() -> PathBuf {
        let d = std::env::temp_dir().join(format!("berth-docker-config-{}-{}", std::process::id(), rand_suffix()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn rand_suffix() -> u128 {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0)
    }
}
