//! Profiles: the default chain, the shared-config profiles (read through aws-config's own
//! loader, never parsed here), and the profiles Berth holds itself — settings in a JSON file
//! in the OS config directory, secrets only in the OS keychain.
//!
//! The settings file has several writers at once (the app, any number of `berth` runs). Every
//! change takes an exclusive advisory lock on `config.json.lock` beside it (flock(2) on Unix,
//! LockFileEx on Windows: it holds between processes and between two handles of one process),
//! reads the file again under the lock, changes it, and replaces it atomically (a temp file,
//! synced, renamed over), so no change is lost and a reader never sees half a file. Readers
//! take no lock.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use aws_config::profile::Profile;
use aws_runtime::env_config::file::EnvConfigFiles;
use aws_types::os_shim_internal::{Env, Fs};
use berth_core::model::{
    AppCredentialInfo, AppProfileInput, CredentialKind, FieldProblem, ProfileInfo, ProfileList, ProfileSource,
};
use berth_core::{BerthError, ErrorCode, Result, Secret};
use berth_secrets::Keychain;
use serde::{Deserialize, Serialize};

use crate::{non_empty_env, ConnectionSettings, RoleToAssume, StaticCredentials, REGISTRY_ENDPOINT_ENV};

/// The id of the default-chain profile.
pub const ENV_PROFILE: &str = "env";
const FILE_NAME: &str = "config.json";
/// The file the settings lock is taken on (never replaced, unlike the settings file).
const LOCK_FILE_NAME: &str = "config.json.lock";
/// How long a change waits for another writer (which may be waiting on the keychain) to finish.
const LOCK_WAIT: Duration = Duration::from_secs(60);

/// Where Berth keeps its settings: `BERTH_CONFIG_DIR`, else the OS config dir + app id.
pub fn default_config_dir() -> PathBuf {
    if let Some(dir) = non_empty_env("BERTH_CONFIG_DIR") {
        return PathBuf::from(dir);
    }
    dirs::config_dir().unwrap_or_else(|| PathBuf::from(".")).join(berth_secrets::APP_ID)
}

/// The config file: app profiles (no secrets), the active profile, the last region of each.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct ConfigFile {
    #[serde(default)]
    profiles: Vec<StoredProfile>,
    #[serde(default)]
    active_profile: Option<String>,
    /// Last region chosen, by profile id.
    #[serde(default)]
    regions: BTreeMap<String, String>,
    /// Registries that are not ECR, with the user name Berth holds for each (their
    /// passwords are in the keychain only: [`crate::registries`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) registries: Vec<crate::registries::StoredRegistry>,
    /// Profile-and-region pairs pinned in the sidebar.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) pinned: Vec<berth_core::copy::PinnedRegistry>,
    /// Repositories opened in the sidebar's other registries, by host ([`crate::registries`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) remembered: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct StoredProfile {
    name: String,
    region: Option<String>,
    ecr_endpoint: Option<String>,
    registry_endpoint: Option<String>,
    role_arn: Option<String>,
    external_id: Option<String>,
    mfa_serial: Option<String>,
    access_key_hint: Option<String>,
    has_session_token: bool,
}

/// The keychain entry of an app profile (one per profile).
#[derive(Serialize, Deserialize)]
struct KeychainRecord {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
}

/// A profile and the settings that connect with it.
#[derive(Debug, Clone)]
pub struct ResolvedProfile {
    pub info: ProfileInfo,
    pub settings: ConnectionSettings,
}

pub struct ProfileStore {
    dir: PathBuf,
    pub(crate) keychain: Keychain,
}

fn app_id(name: &str) -> String {
    format!("app:{name}")
}

fn keychain_account(name: &str) -> String {
    format!("profile:{name}")
}

/// The settings lock, held until dropped (closing the file releases it, also when the process
/// dies).
pub(crate) struct SettingsLock {
    _file: std::fs::File,
}

impl ProfileStore {
    pub fn new(dir: impl Into<PathBuf>, keychain: Keychain) -> ProfileStore {
        ProfileStore { dir: dir.into(), keychain }
    }

    /// The app's own store: default config dir, the app's keychain namespace.
    pub fn for_app() -> ProfileStore {
        ProfileStore::new(default_config_dir(), Keychain::for_app())
    }

    pub fn path(&self) -> PathBuf {
        self.dir.join(FILE_NAME)
    }

    pub(crate) fn read(&self) -> Result<ConfigFile> {
        let path = self.path();
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| {
                BerthError::new(
                    ErrorCode::InvalidInput,
                    format!(
                        "Berth's settings file {} is not valid ({e}). Fix it or move it away; Berth has not changed it.",
                        path.display()
                    ),
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(ConfigFile::default()),
            Err(e) => Err(BerthError::internal(format!("Could not read {}: {e}", path.display()))),
        }
    }

    /// Take the settings lock: every change of the file happens under it, from the read to
    /// the rename. Waits without blocking the runtime (the holder may be this process, awaiting
    /// the keychain), up to [`LOCK_WAIT`].
    pub(crate) async fn lock(&self) -> Result<SettingsLock> {
        let path = self.dir.join(LOCK_FILE_NAME);
        let fail = |e: std::io::Error| BerthError::internal(format!("Could not lock {}: {e}", path.display()));
        std::fs::create_dir_all(&self.dir).map_err(fail)?;
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(fail)?;
        let started = Instant::now();
        let mut pause = Duration::from_millis(1);
        loop {
            match fs4::FileExt::try_lock(&file) {
                Ok(()) => return Ok(SettingsLock { _file: file }),
                Err(fs4::TryLockError::WouldBlock) => {}
                Err(fs4::TryLockError::Error(e)) => return Err(fail(e)),
            }
            if started.elapsed() >= LOCK_WAIT {
                return Err(BerthError::new(
                    ErrorCode::Timeout,
                    format!(
                        "Another Berth (the app or a `berth` command) has been changing the settings in {} for over {} s \
                         (it holds {}); perhaps it waits for the keychain to be unlocked. Finish or close it, then retry.",
                        self.dir.display(),
                        LOCK_WAIT.as_secs(),
                        path.display()
                    ),
                ));
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_millis(25));
        }
    }

    /// Write atomically (under the lock): a temp file of this writer's own in the same
    /// directory, synced, then renamed over, so a reader sees the old file or the new one.
    pub(crate) fn write(&self, _lock: &SettingsLock, file: &ConfigFile) -> Result<()> {
        static WRITES: AtomicU64 = AtomicU64::new(0);
        let path = self.path();
        let fail = |e: std::io::Error| BerthError::internal(format!("Could not write {}: {e}", path.display()));
        std::fs::create_dir_all(&self.dir).map_err(fail)?;
        let n = WRITES.fetch_add(1, Ordering::Relaxed);
        let tmp = self.dir.join(format!(".{FILE_NAME}.{}.{n}.tmp", std::process::id()));
        let text = serde_json::to_string_pretty(file).map_err(|e| BerthError::internal(e.to_string()))?;
        let written = (|| {
            use std::io::Write;
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(text.as_bytes())?;
            f.write_all(b"\n")?;
            f.sync_all()?;
            drop(f);
            std::fs::rename(&tmp, &path)
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(fail(e));
        }
        // The rename itself reaches the disk with the directory (nothing to sync on Windows).
        #[cfg(unix)]
        if let Ok(dir) = std::fs::File::open(&self.dir) {
            let _ = dir.sync_all();
        }
        Ok(())
    }

    /// Every profile: the default chain, the shared-config ones, then Berth's own.
    pub async fn list(&self) -> ProfileList {
        let mut problems = Vec::new();
        let mut profiles = vec![env_profile()];
        match shared_profiles().await {
            Ok(shared) => profiles.extend(shared),
            Err(e) => problems.push(e.message),
        }
        match self.read() {
            Ok(file) => profiles.extend(file.profiles.iter().map(app_info)),
            Err(e) => problems.push(e.message),
        }
        let keychain_available = self.keychain.available().await;
        if !keychain_available {
            problems.push(
                "No OS keychain is available, so Berth cannot hold profiles of its own; profiles from ~/.aws/config still work."
                    .into(),
            );
        }
        ProfileList { profiles, problems, keychain_available }
    }

    /// The remembered active profile id (the default chain when none or gone).
    pub async fn active(&self) -> String {
        let Ok(file) = self.read() else {
            return ENV_PROFILE.into();
        };
        match file.active_profile {
            Some(id) if self.exists(&id, &file).await => id,
            _ => ENV_PROFILE.into(),
        }
    }

    async fn exists(&self, id: &str, file: &ConfigFile) -> bool {
        if id == ENV_PROFILE {
            return true;
        }
        if let Some(name) = id.strip_prefix("app:") {
            return file.profiles.iter().any(|p| p.name == name);
        }
        if let Some(name) = id.strip_prefix("aws:") {
            return shared_profiles().await.map(|p| p.iter().any(|i| i.label == name)).unwrap_or(false);
        }
        false
    }

    /// The region last chosen for `id`, if any.
    pub fn remembered_region(&self, id: &str) -> Option<String> {
        self.read().ok()?.regions.get(id).cloned()
    }

    /// Remember `id` as active, and `region` as its region when given.
    pub async fn remember(&self, id: &str, region: Option<&str>) -> Result<()> {
        if let Some(region) = region {
            berth_core::validate::region(region)?;
        }
        let lock = self.lock().await?;
        let mut file = self.read()?;
        file.active_profile = Some(id.to_string());
        if let Some(region) = region {
            file.regions.insert(id.to_string(), region.to_string());
        }
        self.write(&lock, &file)
    }

    /// The profile `id` with its connection settings (secrets read from the keychain).
    pub async fn resolve(&self, id: &str) -> Result<ResolvedProfile> {
        let remembered = self.remembered_region(id);
        if id == ENV_PROFILE {
            let mut settings = ConnectionSettings::from_env();
            settings.region = remembered;
            return Ok(ResolvedProfile { info: env_profile(), settings });
        }
        if let Some(name) = id.strip_prefix("aws:") {
            let info = shared_profiles().await?.into_iter().find(|p| p.id == id).ok_or_else(|| {
                BerthError::not_found(format!("There is no profile “{name}” in the AWS config files."))
            })?;
            let settings = ConnectionSettings {
                profile: Some(name.to_string()),
                // The profile's own region wins over AWS_REGION: it was picked by name.
                region: remembered.or_else(|| info.region.clone()),
                registry_endpoint: info.registry_endpoint.clone(),
                registry_endpoint_origin: info
                    .registry_endpoint
                    .as_ref()
                    .map(|_| format!("berth_registry_endpoint of the profile “{name}” in {}", config_file_path())),
                ..ConnectionSettings::default()
            };
            return Ok(ResolvedProfile { info, settings });
        }
        if let Some(name) = id.strip_prefix("app:") {
            let file = self.read()?;
            let stored = file
                .profiles
                .iter()
                .find(|p| p.name == name)
                .ok_or_else(|| BerthError::not_found(format!("Berth holds no profile “{name}”.")))?;
            let record = self.keychain.get(&keychain_account(name)).await?.ok_or_else(|| {
                BerthError::new(
                    ErrorCode::NoCredentials,
                    format!(
                        "The keychain holds no keys for the profile “{name}”: edit the profile and enter them again."
                    ),
                )
            })?;
            let record: KeychainRecord = serde_json::from_str(record.expose()).map_err(|_| {
                BerthError::new(
                    ErrorCode::KeychainUnavailable,
                    format!(
                        "The keychain entry of “{name}” is not readable: edit the profile and enter the keys again."
                    ),
                )
            })?;
            let settings = ConnectionSettings {
                profile: None,
                region: remembered.or_else(|| stored.region.clone()),
                ecr_endpoint: stored.ecr_endpoint.clone(),
                registry_endpoint: stored.registry_endpoint.clone(),
                credentials: Some(StaticCredentials {
                    access_key_id: Secret::new(record.access_key_id),
                    secret_access_key: Secret::new(record.secret_access_key),
                    session_token: record.session_token.map(Secret::new),
                }),
                role: stored.role_arn.clone().map(|role_arn| RoleToAssume {
                    role_arn,
                    external_id: stored.external_id.clone(),
                    mfa_serial: stored.mfa_serial.clone(),
                }),
                mfa_code: None,
                ecr_endpoint_origin: stored
                    .ecr_endpoint
                    .as_ref()
                    .map(|_| format!("the ECR API endpoint field of the profile “{name}”")),
                registry_endpoint_origin: stored
                    .registry_endpoint
                    .as_ref()
                    .map(|_| format!("the registry endpoint field of the profile “{name}”")),
            };
            return Ok(ResolvedProfile { info: app_info(stored), settings });
        }
        Err(BerthError::not_found(format!("Unknown profile id “{id}”.")))
    }

    /// Add or edit (and rename) an app profile. Secrets go to the keychain first; the file is
    /// written only when the keychain accepted them, so a failure leaves the old state whole.
    /// All of it under the settings lock: another writer cannot slip in between the read and
    /// the write, nor store other keys under the same name meanwhile.
    pub async fn save(&self, input: AppProfileInput) -> Result<ProfileInfo> {
        let input = normalize(input)?;
        let lock = self.lock().await?;
        let mut file = self.read()?;
        let previous = input.previous_name.clone();
        let existing = previous.as_ref().and_then(|p| file.profiles.iter().find(|s| &s.name == p)).cloned();
        if previous.is_some() && existing.is_none() {
            return Err(BerthError::not_found(format!(
                "Berth holds no profile “{}” to edit.",
                previous.unwrap_or_default()
            )));
        }
        let renaming = existing.as_ref().is_some_and(|e| e.name != input.name);
        if (existing.is_none() || renaming) && file.profiles.iter().any(|p| p.name == input.name) {
            return Err(BerthError::new(
                ErrorCode::AlreadyExists,
                format!("A profile named “{}” exists already.", input.name),
            ));
        }

        // The keychain record: what was typed, else what is stored.
        let old_account = existing.as_ref().map(|e| keychain_account(&e.name));
        let stored: Option<KeychainRecord> = match &old_account {
            Some(account) => match self.keychain.get(account).await? {
                Some(s) => serde_json::from_str(s.expose()).ok(),
                None => None,
            },
            None => None,
        };
        let access_key_id = input
            .access_key_id
            .as_ref()
            .map(|s| s.expose().to_string())
            .or_else(|| stored.as_ref().map(|r| r.access_key_id.clone()))
            .ok_or_else(|| BerthError::invalid("Enter the access key id."))?;
        let secret_access_key = input
            .secret_access_key
            .as_ref()
            .map(|s| s.expose().to_string())
            .or_else(|| stored.as_ref().map(|r| r.secret_access_key.clone()))
            .ok_or_else(|| BerthError::invalid("Enter the secret access key."))?;
        let session_token = if input.clear_session_token {
            None
        } else {
            input
                .session_token
                .as_ref()
                .map(|s| s.expose().to_string())
                .or_else(|| stored.as_ref().and_then(|r| r.session_token.clone()))
        };
        let record = KeychainRecord { access_key_id, secret_access_key, session_token };
        let hint = hint(&record.access_key_id);
        let has_session_token = record.session_token.is_some();
        let text = serde_json::to_string(&record).map_err(|e| BerthError::internal(e.to_string()))?;
        self.keychain.set(&keychain_account(&input.name), &Secret::new(text)).await?;

        let profile = StoredProfile {
            name: input.name.clone(),
            region: input.region,
            ecr_endpoint: input.ecr_endpoint,
            registry_endpoint: input.registry_endpoint,
            role_arn: input.role_arn,
            external_id: input.external_id,
            mfa_serial: input.mfa_serial,
            access_key_hint: Some(hint),
            has_session_token,
        };
        match &existing {
            Some(e) => {
                if let Some(slot) = file.profiles.iter_mut().find(|p| p.name == e.name) {
                    *slot = profile.clone();
                }
                if renaming {
                    let (old_id, new_id) = (app_id(&e.name), app_id(&input.name));
                    if file.active_profile.as_deref() == Some(old_id.as_str()) {
                        file.active_profile = Some(new_id.clone());
                    }
                    if let Some(r) = file.regions.remove(&old_id) {
                        file.regions.insert(new_id, r);
                    }
                }
            }
            None => file.profiles.push(profile.clone()),
        }
        file.profiles.sort_by(|a, b| a.name.cmp(&b.name));
        if let Err(e) = self.write(&lock, &file) {
            // No profile holds the entry just stored under a new name: do not leave it behind.
            if existing.is_none() || renaming {
                let _ = self.keychain.delete(&keychain_account(&input.name)).await;
            }
            return Err(e);
        }
        if renaming {
            if let Some(account) = old_account {
                self.keychain.delete(&account).await?;
            }
        }
        Ok(app_info(&profile))
    }

    /// The form's problems, including a name another profile has.
    pub fn check(&self, input: &AppProfileInput) -> Vec<FieldProblem> {
        let mut out = problems(input);
        let name = input.name.trim();
        let renaming_or_new = input.previous_name.as_deref().map(str::trim) != Some(name);
        if renaming_or_new && !name.is_empty() {
            if let Ok(file) = self.read() {
                if file.profiles.iter().any(|p| p.name == name) {
                    out.push(FieldProblem {
                        field: "name".into(),
                        message: format!("A profile named “{name}” exists already."),
                    });
                }
            }
        }
        out
    }

    /// Remove an app profile and its keychain entry. The file first, then the keychain: a
    /// keychain that fails leaves an entry no profile uses, which removing the name again
    /// deletes — as it deletes the entry of a profile the file lost (a keychain entry without
    /// a profile is found by name and removed).
    pub async fn remove(&self, name: &str) -> Result<()> {
        let lock = self.lock().await?;
        let mut file = self.read()?;
        let before = file.profiles.len();
        file.profiles.retain(|p| p.name != name);
        let account = keychain_account(name);
        if file.profiles.len() == before {
            // Not in the file: only an orphaned keychain entry may be left to delete.
            if self.keychain.get(&account).await?.is_none() {
                return Err(BerthError::not_found(format!("Berth holds no profile “{name}”.")));
            }
            return self.keychain.delete(&account).await;
        }
        let id = app_id(name);
        if file.active_profile.as_deref() == Some(id.as_str()) {
            file.active_profile = None;
        }
        file.regions.remove(&id);
        self.write(&lock, &file)?;
        self.keychain.delete(&account).await.map_err(|e| {
            BerthError::new(
                e.code,
                format!(
                    "The profile “{name}” is removed, but its keys are still in the keychain ({}). Remove “{name}” again to delete them.",
                    e.message
                ),
            )
        })
    }
}

fn hint(access_key_id: &str) -> String {
    let chars: Vec<char> = access_key_id.chars().collect();
    let tail: String = chars[chars.len().saturating_sub(4)..].iter().collect();
    format!("…{tail}")
}

fn trimmed(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

fn trimmed_secret(v: Option<Secret>) -> Option<Secret> {
    v.map(|s| Secret::new(s.expose().trim())).filter(|s| !s.is_empty())
}

/// Every problem of the form, field by field (empty: it can be saved as far as the form goes).
pub fn problems(input: &AppProfileInput) -> Vec<FieldProblem> {
    let mut out = Vec::new();
    let mut problem =
        |field: &str, message: &str| out.push(FieldProblem { field: field.into(), message: message.into() });
    let name = input.name.trim();
    if name.is_empty() {
        problem("name", "Enter a name for the profile.");
    } else if let Some(why) = reserved_name(name) {
        problem("name", &why);
    } else if name.len() > 64 || !name.chars().all(|c| c.is_ascii_alphanumeric() || "-_. ".contains(c)) {
        problem("name", "Use up to 64 letters, digits, spaces, “-”, “_” or “.”.");
    }
    let editing = input.previous_name.as_deref().is_some_and(|p| !p.trim().is_empty());
    match input.access_key_id.as_ref().map(|k| k.expose().trim().to_string()).filter(|k| !k.is_empty()) {
        Some(k) if k.len() < 16 || k.len() > 128 || !k.chars().all(|c| c.is_ascii_alphanumeric()) => {
            problem("access_key_id", "16 to 128 letters and digits, like AKIAIOSFODNN7EXAMPLE.")
        }
        None if !editing => problem("access_key_id", "Enter the access key id."),
        _ => {}
    }
    match input.secret_access_key.as_ref().map(|k| k.expose().trim().to_string()).filter(|k| !k.is_empty()) {
        Some(k) if k.chars().any(char::is_whitespace) => problem("secret_access_key", "It cannot contain spaces."),
        None if !editing => problem("secret_access_key", "Enter the secret access key."),
        _ => {}
    }
    if let Some(arn) = input.role_arn.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        let parts: Vec<&str> = arn.split(':').collect();
        if parts.len() != 6 || parts[0] != "arn" || parts[2] != "iam" || !parts[5].starts_with("role/") {
            problem("role_arn", "Expected arn:aws:iam::123456789012:role/NAME.");
        }
    } else if input.mfa_serial.as_deref().is_some_and(|m| !m.trim().is_empty()) {
        problem("mfa_serial", "An MFA device is used to assume a role: enter the role ARN too.");
    }
    if let Some(r) = input.region.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        if let Err(e) = berth_core::validate::region(r) {
            problem("region", &e.message);
        }
    }
    if let Some(e) = input.ecr_endpoint.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        if let Err(why) = crate::check_ecr_endpoint(e) {
            problem("ecr_endpoint", &format!("{} is not a URL: {why}.", berth_core::format::quoted(e)));
        }
    }
    if let Some(e) = input.registry_endpoint.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        if let Err(why) = crate::check_registry_endpoint(e) {
            problem("registry_endpoint", &format!("{} is not host[:port]: {why}.", berth_core::format::quoted(e)));
        }
    }
    out
}

/// Why `name` cannot name a Berth profile: `env` is the default chain's id, and `aws:…` /
/// `app:…` are how profile ids are written, so `--profile NAME` and `profiles use NAME` would
/// take such a name for something else.
fn reserved_name(name: &str) -> Option<String> {
    if name == ENV_PROFILE {
        return Some(format!(
            "“{ENV_PROFILE}” is reserved: it names the default chain (environment variables, AWS_PROFILE), \
             so a profile of that name could not be chosen by name. Choose another name, such as “{ENV_PROFILE}-keys”."
        ));
    }
    let lower = name.to_ascii_lowercase();
    if let Some(prefix) = ["aws:", "app:"].into_iter().find(|p| lower.starts_with(p)) {
        let rest = &name[prefix.len()..];
        return Some(format!(
            "Names starting with “{prefix}” are reserved for profile ids (aws:NAME is a profile of ~/.aws/config, \
             app:NAME one of Berth's). Choose another name, such as “{}”.",
            suggestion(rest)
        ));
    }
    if name.contains(':') {
        return Some(format!(
            "A name cannot contain “:”, which separates the kind of a profile id from its name (aws:NAME, app:NAME). \
             Choose another name, such as “{}”.",
            name.replace(':', "-")
        ));
    }
    None
}

fn suggestion(rest: &str) -> String {
    let rest = rest.trim_matches(|c: char| c == ':' || c.is_whitespace()).replace(':', "-");
    if rest.is_empty() {
        "my-profile".into()
    } else {
        rest
    }
}

/// Refuse a form with problems (the first one in the message); trim what is kept.
fn normalize(input: AppProfileInput) -> Result<AppProfileInput> {
    if let Some(first) = problems(&input).into_iter().next() {
        let label = match first.field.as_str() {
            "name" => "Name",
            "access_key_id" => "Access key id",
            "secret_access_key" => "Secret access key",
            "role_arn" => "Role ARN",
            "mfa_serial" => "MFA device",
            "region" => "Region",
            "ecr_endpoint" => "ECR API endpoint",
            "registry_endpoint" => "Registry endpoint",
            other => other,
        };
        return Err(BerthError::invalid(format!("{label}: {}", first.message)));
    }
    Ok(AppProfileInput {
        name: input.name.trim().to_string(),
        previous_name: trimmed(input.previous_name),
        access_key_id: trimmed_secret(input.access_key_id),
        secret_access_key: trimmed_secret(input.secret_access_key),
        session_token: trimmed_secret(input.session_token),
        clear_session_token: input.clear_session_token,
        role_arn: trimmed(input.role_arn),
        external_id: trimmed(input.external_id),
        mfa_serial: trimmed(input.mfa_serial),
        region: trimmed(input.region),
        ecr_endpoint: trimmed(input.ecr_endpoint),
        registry_endpoint: trimmed(input.registry_endpoint),
    })
}

fn app_info(p: &StoredProfile) -> ProfileInfo {
    ProfileInfo {
        id: app_id(&p.name),
        label: p.name.clone(),
        source: ProfileSource::App { name: p.name.clone() },
        kind: if p.role_arn.is_some() { CredentialKind::AssumeRole } else { CredentialKind::StaticKeys },
        region: p.region.clone(),
        ecr_endpoint: p.ecr_endpoint.clone(),
        registry_endpoint: p.registry_endpoint.clone(),
        app: Some(AppCredentialInfo {
            access_key_hint: p.access_key_hint.clone(),
            has_session_token: p.has_session_token,
            role_arn: p.role_arn.clone(),
            external_id: p.external_id.clone(),
            mfa_serial: p.mfa_serial.clone(),
        }),
        edit_in: None,
    }
}

/// The default chain, described from the environment.
pub fn env_profile() -> ProfileInfo {
    let label = match non_empty_env("AWS_PROFILE") {
        Some(p) => format!("Default chain (AWS_PROFILE={p})"),
        None => "Default chain (environment)".to_string(),
    };
    ProfileInfo {
        id: ENV_PROFILE.into(),
        label,
        source: ProfileSource::Environment,
        kind: CredentialKind::DefaultChain,
        region: non_empty_env("AWS_REGION").or_else(|| non_empty_env("AWS_DEFAULT_REGION")),
        ecr_endpoint: non_empty_env("AWS_ENDPOINT_URL_ECR").or_else(|| non_empty_env("AWS_ENDPOINT_URL")),
        registry_endpoint: non_empty_env(REGISTRY_ENDPOINT_ENV),
        app: None,
        edit_in: None,
    }
}

fn config_file_path() -> String {
    non_empty_env("AWS_CONFIG_FILE").unwrap_or_else(|| "~/.aws/config".into())
}

/// The shared-config profiles, through aws-config's own loader.
pub async fn shared_profiles() -> Result<Vec<ProfileInfo>> {
    let set =
        aws_config::profile::load(&Fs::real(), &Env::real(), &EnvConfigFiles::default(), None).await.map_err(|e| {
            BerthError::new(
                ErrorCode::InvalidInput,
                format!(
                    "The AWS config files could not be read ({e}); their profiles are not listed. Fix {}.",
                    config_file_path()
                ),
            )
        })?;
    let edit_in = format!(
        "{} (credentials: {})",
        config_file_path(),
        non_empty_env("AWS_SHARED_CREDENTIALS_FILE").unwrap_or_else(|| "~/.aws/credentials".into())
    );
    let mut names: Vec<&str> = set.profiles().collect();
    names.sort_unstable();
    Ok(names
        .into_iter()
        .filter_map(|name| set.get_profile(name).map(|p| (name, p)))
        .map(|(name, p)| ProfileInfo {
            id: format!("aws:{name}"),
            label: name.to_string(),
            source: ProfileSource::SharedConfig { name: name.to_string() },
            kind: shared_kind(p),
            region: p.get("region").map(str::to_string),
            ecr_endpoint: p.get("endpoint_url").map(str::to_string),
            registry_endpoint: p.get("berth_registry_endpoint").map(str::to_string),
            app: None,
            edit_in: Some(edit_in.clone()),
        })
        .collect())
}

/// How a shared-config profile gets its credentials, from the keys aws-config parsed.
fn shared_kind(p: &Profile) -> CredentialKind {
    if p.get("sso_session").is_some() || p.get("sso_start_url").is_some() {
        CredentialKind::Sso
    } else if p.get("role_arn").is_some() && p.get("web_identity_token_file").is_some() {
        CredentialKind::WebIdentity
    } else if p.get("role_arn").is_some() {
        CredentialKind::AssumeRole
    } else if p.get("credential_process").is_some() {
        CredentialKind::CredentialProcess
    } else if p.get("aws_access_key_id").is_some() {
        CredentialKind::StaticKeys
    } else {
        CredentialKind::None
    }
}

/// Whether `dir` holds a settings file (for tests and diagnostics).
pub fn has_config(dir: &Path) -> bool {
    dir.join(FILE_NAME).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> AppProfileInput {
        AppProfileInput {
            name: "prod".into(),
            previous_name: None,
            access_key_id: Some(Secret::new("AKIAIOSFODNN7EXAMPLE")),
            secret_access_key: Some(Secret::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")),
            session_token: None,
            clear_session_token: false,
            role_arn: None,
            external_id: None,
            mfa_serial: None,
            region: Some("eu-west-1".into()),
            ecr_endpoint: None,
            registry_endpoint: None,
        }
    }

    fn fields(input: &AppProfileInput) -> Vec<String> {
        problems(input).into_iter().map(|p| p.field).collect()
    }

    #[test]
    fn a_complete_form_has_no_problems() {
        assert!(problems(&form()).is_empty());
    }

    #[test]
    fn each_problem_names_its_field() {
        let mut f = form();
        f.name = " ".into();
        f.access_key_id = Some(Secret::new("short"));
        f.role_arn = Some("arn:aws:s3:::bucket".into());
        f.region = Some("Europe".into());
        f.ecr_endpoint = Some("api.ecr.example".into());
        f.registry_endpoint = Some("https://host/path".into());
        assert_eq!(fields(&f), ["name", "access_key_id", "role_arn", "region", "ecr_endpoint", "registry_endpoint"]);
    }

    #[test]
    fn new_profiles_need_keys_edits_do_not() {
        let mut f = form();
        f.access_key_id = None;
        f.secret_access_key = None;
        assert_eq!(fields(&f), ["access_key_id", "secret_access_key"]);
        f.previous_name = Some("prod".into());
        assert!(fields(&f).is_empty(), "an edit keeps the stored keys");
    }

    #[test]
    fn an_mfa_device_needs_a_role() {
        let mut f = form();
        f.mfa_serial = Some("arn:aws:iam::123456789012:mfa/me".into());
        assert_eq!(fields(&f), ["mfa_serial"]);
        f.role_arn = Some("arn:aws:iam::123456789012:role/Deploy".into());
        assert!(fields(&f).is_empty());
    }

    #[test]
    fn the_refusal_names_the_field_in_words() {
        let mut f = form();
        f.role_arn = Some("nope".into());
        assert!(normalize(f).unwrap_err().message.starts_with("Role ARN: "));
    }

    #[test]
    fn reserved_names_are_refused_with_the_reason() {
        for name in ["env", "aws:prod", "app:prod", "AWS:prod", "team:prod"] {
            let mut f = form();
            f.name = name.into();
            let found = problems(&f);
            assert_eq!(found.len(), 1, "{name}: {found:?}");
            assert_eq!(found[0].field, "name");
            assert!(
                found[0].message.contains("reserved") || found[0].message.contains("“:”"),
                "{name}: {}",
                found[0].message
            );
            assert!(found[0].message.contains("Choose another name"), "{name}: says what to do: {}", found[0].message);
        }
        let mut f = form();
        f.name = "env".into();
        assert!(problems(&f)[0].message.contains("default chain"), "says why");
        f.name = "aws:prod".into();
        assert!(normalize(f).unwrap_err().message.starts_with("Name: "));
        for fine in ["envoy", "env-2", "my env", "aws-prod"] {
            let mut f = form();
            f.name = fine.into();
            assert!(problems(&f).is_empty(), "{fine}");
        }
    }

    #[test]
    fn endpoint_problems_say_what_is_wrong() {
        let cases = [
            ("ecr_endpoint", "htp:/x", "not a URL"),
            ("ecr_endpoint", "htp://x", "https://"),
            ("ecr_endpoint", "https://", "no host"),
            ("ecr_endpoint", "https://host:99999", "port"),
            ("ecr_endpoint", "https://ho st", "space"),
            ("registry_endpoint", "https://registry", "without a scheme"),
            ("registry_endpoint", "host:port", "port"),
            ("registry_endpoint", "host/path", "without a path"),
            ("registry_endpoint", ":5000", "no host"),
        ];
        for (field, value, says) in cases {
            let mut f = form();
            match field {
                "ecr_endpoint" => f.ecr_endpoint = Some(value.into()),
                _ => f.registry_endpoint = Some(value.into()),
            }
            let found = problems(&f);
            assert_eq!(found.len(), 1, "{value}: {found:?}");
            assert_eq!(found[0].field, field);
            assert!(found[0].message.contains(says), "{value}: {}", found[0].message);
            assert!(found[0].message.contains(value), "{value}: the value is quoted: {}", found[0].message);
        }
        for (ecr, registry) in [
            ("https://api.ecr.eu-west-1.amazonaws.com", "123456789012.dkr.ecr.eu-west-1.amazonaws.com"),
            ("http://127.0.0.1:47300", "127.0.0.1:47301"),
            ("http://localhost:4566/", "localhost"),
            ("https://[::1]:8443", "[::1]:5000"),
        ] {
            let mut f = form();
            f.ecr_endpoint = Some(ecr.into());
            f.registry_endpoint = Some(registry.into());
            assert!(problems(&f).is_empty(), "{ecr} {registry}: {:?}", problems(&f));
        }
        let mut f = form();
        f.ecr_endpoint = Some("htp:/x".into());
        let err = normalize(f).unwrap_err().message;
        assert!(err.starts_with("ECR API endpoint: ") && err.contains("“htp:/x” is not a URL"), "{err}");
    }

    #[tokio::test]
    async fn the_settings_lock_holds_against_another_handle() {
        let dir = std::env::temp_dir().join(format!("berth-lock-{}", std::process::id()));
        let keychain = Keychain::with_service("dev.berth.test.lock");
        let (a, b) = (ProfileStore::new(&dir, keychain.clone()), ProfileStore::new(&dir, keychain));
        let held = a.lock().await.expect("lock");
        let waiting = tokio::time::timeout(Duration::from_millis(200), b.lock()).await;
        assert!(waiting.is_err(), "a second handle must wait while the lock is held");
        drop(held);
        let again = tokio::time::timeout(Duration::from_secs(5), b.lock()).await;
        assert!(matches!(again, Ok(Ok(_))), "released on drop");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn hints_show_only_the_last_four() {
        assert_eq!(hint("AKIAIOSFODNN7EXAMPLE"), "…MPLE");
        assert_eq!(hint("AB"), "…AB");
    }
}
