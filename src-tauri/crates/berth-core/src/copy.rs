//! Where a copy reads and writes: references as a user types them, and the copy's summary.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::BerthError;
use crate::image::{ImageName, TagOrDigest};
use crate::Result;

/// The registry a reference names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The active profile's registry (`REPO:TAG`); the copy's `--to-region`/`--to-profile`
    /// move a destination of this kind.
    Active,
    /// An ECR private registry by its host `ACCOUNT.dkr.ecr.REGION.amazonaws.com`.
    Ecr { account: String, region: String },
    /// ECR Public (`public.ecr.aws/ALIAS/REPO`).
    Public { alias: String },
    /// Any other registry by `HOST[:PORT]`.
    Oci { host: String },
    /// The local engine (`local:NAME:TAG`), a source only.
    Engine,
}

/// A parsed reference: the registry, the repository and a tag or digest (`None`: none was
/// typed; a source then means `latest`, a destination the source's tags).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub place: Place,
    pub repository: String,
    pub reference: Option<TagOrDigest>,
}

/// `ACCOUNT.dkr.ecr.REGION.amazonaws.com[.cn]` → (account, region).
pub fn ecr_host(host: &str) -> Option<(String, String)> {
    let (account, rest) = host.split_once(".dkr.ecr.")?;
    let region = rest.strip_suffix(".amazonaws.com").or_else(|| rest.strip_suffix(".amazonaws.com.cn"))?;
    let is_account = account.len() == 12 && account.chars().all(|c| c.is_ascii_digit());
    (is_account && crate::validate::region(region).is_ok()).then(|| (account.to_string(), region.to_string()))
}

/// A first path component that is a registry host, as the docker CLI decides: it has a `.`
/// or a `:`, or is `localhost`.
fn is_host(component: &str) -> bool {
    component.contains('.') || component.contains(':') || component == "localhost"
}

impl Location {
    pub fn parse(text: &str) -> Result<Location> {
        let text = text.trim();
        if text.is_empty() {
            return Err(BerthError::invalid(
                "Give an image reference, e.g. web:1, local:web:dev or ghcr.io/org/web:1.",
            ));
        }
        if let Some(local) = text.strip_prefix("local:") {
            if local.trim().is_empty() {
                return Err(BerthError::invalid("local: needs an image of the engine, e.g. local:web:dev."));
            }
            return Ok(Location { place: Place::Engine, repository: local.to_string(), reference: None });
        }
        let (place, rest) = match text.split_once('/') {
            Some((first, rest)) if is_host(first) => {
                let host = first.to_ascii_lowercase();
                if host == "public.ecr.aws" {
                    let (alias, rest) = rest.split_once('/').ok_or_else(|| {
                        BerthError::invalid("An ECR Public reference is public.ecr.aws/ALIAS/REPOSITORY[:TAG].")
                    })?;
                    (Place::Public { alias: alias.to_string() }, rest)
                } else if let Some((account, region)) = ecr_host(&host) {
                    (Place::Ecr { account, region }, rest)
                } else {
                    (Place::Oci { host }, rest)
                }
            }
            _ => (Place::Active, text),
        };
        let typed = rest.contains('@') || rest.rsplit_once(':').is_some_and(|(_, t)| !t.contains('/'));
        let name = ImageName::parse(rest)?;
        Ok(Location { place, repository: name.repository, reference: typed.then_some(name.reference) })
    }

    /// The tag or digest, `latest` when none was typed.
    pub fn reference_or_latest(&self) -> String {
        self.reference.as_ref().map(|r| r.as_str().to_string()).unwrap_or_else(|| "latest".into())
    }
}

/// The end of a copy (the CLI prints it as JSON; the tray shows it).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CopySummary {
    /// Both ends as the user reads them (registry, repository, tag or digest).
    pub source: String,
    pub destination: String,
    pub digest: String,
    pub tags: Vec<String>,
    /// Manifests written: 1 for an image, the index and each of its manifests for an index.
    pub manifests: u32,
    pub blobs_copied: u32,
    pub blobs_mounted: u32,
    pub blobs_skipped: u32,
    #[ts(type = "number")]
    pub bytes_copied: u64,
    /// Layers the image points at elsewhere (foreign, non-distributable): not copied.
    pub foreign_layers: Vec<String>,
    /// From the start of planning (for `local:`, the engine's export included) to the last tag.
    pub seconds: f64,
}

/// A copy as the window asks for it: both ends as references (see [`Location`]); `to_profile`
/// and `to_region` put a bare destination in a pinned registry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
pub struct CopyRequest {
    pub source: String,
    pub destination: String,
    pub tags: Vec<String>,
    pub to_profile: Option<String>,
    pub to_region: Option<String>,
}

/// What a copy would do, checked before it starts (the copy dialog shows it).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CopyCheck {
    /// Both ends in words: the repository and tag, and where (account · region, or host).
    pub source: String,
    pub destination: String,
    pub digest: String,
    /// The manifests an index lists (0 for one image).
    pub platforms: u32,
    pub blobs: u32,
    #[ts(type = "number")]
    pub bytes_total: u64,
    pub tags: Vec<String>,
    /// Tags of the destination that name another image now and will move.
    pub moving: Vec<String>,
    /// Tags of the destination that name this image already.
    pub in_place: Vec<String>,
    pub foreign_layers: Vec<String>,
    /// The two ends are ECR registries of different accounts.
    pub cross_account: bool,
    /// The job's line: both ends, with the accounts when they differ.
    pub title: String,
}

/// A profile-and-region pair pinned in the sidebar, beside the active one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PinnedRegistry {
    /// The profile id (`env`, `aws:NAME`, `app:NAME`).
    pub profile: String,
    pub region: String,
}

/// A registry that is not ECR whose credentials Berth holds (the password in the keychain).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct HeldRegistry {
    pub host: String,
    pub username: String,
}

/// The registries the sidebar shows besides the active one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Registries {
    pub pinned: Vec<PinnedRegistry>,
    pub held: Vec<HeldRegistry>,
}

/// A registry of the sidebar, as the window names it in commands.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RegistryTarget {
    Pinned { profile: String, region: String },
    Oci { host: String },
}

/// The repositories of a registry of the sidebar; `note` says why there are none to list
/// (a registry that does not list its catalog).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TargetRepositories {
    pub names: Vec<String>,
    pub note: Option<String>,
}

/// A repository of the account's ECR Public registry, with its catalog data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PublicRepository {
    pub name: String,
    /// `public.ecr.aws/ALIAS/NAME`.
    pub uri: String,
    pub created_at: Option<crate::Timestamp>,
    pub description: Option<String>,
    pub about_text: Option<String>,
    pub usage_text: Option<String>,
    pub architectures: Vec<String>,
    pub operating_systems: Vec<String>,
}

/// The account's ECR Public registry as the sidebar shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PublicRegistry {
    pub alias: String,
    pub repositories: Vec<PublicRepository>,
}

/// The catalog data a public repository is created with (ECR Public has no encryption,
/// scanning or lifecycle settings).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
pub struct PublicCatalog {
    pub description: Option<String>,
    pub about_text: Option<String>,
    pub usage_text: Option<String>,
    pub architectures: Vec<String>,
    pub operating_systems: Vec<String>,
}

/// ECR Public's catalog limits (the API reference): what is wrong, by field.
pub fn catalog_problems(c: &PublicCatalog) -> Vec<String> {
    let mut out = Vec::new();
    if c.description.as_ref().is_some_and(|d| d.chars().count() > 1024) {
        out.push("The description takes at most 1,024 characters.".into());
    }
    for (what, text) in [("about text", &c.about_text), ("usage text", &c.usage_text)] {
        if text.as_ref().is_some_and(|t| t.chars().count() > 25_600) {
            out.push(format!("The {what} takes at most 25,600 characters."));
        }
    }
    if c.architectures.len() > 50 || c.operating_systems.len() > 50 {
        out.push("At most 50 architectures and 50 operating systems.".into());
    }
    out
}

/// Values the ECR Public Gallery does not show as badges (the API keeps them; nobody finds
/// the repository by them).
pub fn catalog_notes(c: &PublicCatalog) -> Vec<String> {
    const ARCHITECTURES: [&str; 4] = ["ARM", "ARM 64", "x86", "x86-64"];
    const SYSTEMS: [&str; 2] = ["Linux", "Windows"];
    let mut out = Vec::new();
    for a in c.architectures.iter().filter(|a| !ARCHITECTURES.contains(&a.as_str())) {
        out.push(format!(
            "The gallery shows no badge for the architecture “{a}” (it shows {}).",
            ARCHITECTURES.join(", ")
        ));
    }
    for o in c.operating_systems.iter().filter(|o| !SYSTEMS.contains(&o.as_str())) {
        out.push(format!(
            "The gallery shows no badge for the operating system “{o}” (it shows {}).",
            SYSTEMS.join(", ")
        ));
    }
    out
}

/// A registry named in the user's Docker configuration (`auths` or `credHelpers` keys): the
/// sidebar lists it without asking for credentials (they are read the docker CLI's way).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DockerRegistry {
    /// `HOST[:PORT]` as references name it (`docker.io` for Docker Hub's index URL).
    pub host: String,
    /// Where the configuration names it: `auths`, or `credHelpers (docker-credential-NAME)`.
    pub from: String,
}

/// The repositories of a registry to browse: those it lists, and those opened before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BrowseRepositories {
    /// The registry's host in references (`ACCOUNT.dkr.ecr.REGION.amazonaws.com` for ECR).
    pub host: String,
    /// Listed by the registry (its catalog, or DescribeRepositories).
    pub listed: Vec<String>,
    /// Opened or typed before (remembered per host) and not listed.
    pub remembered: Vec<String>,
    /// Why the registry lists none (it refuses `/v2/_catalog`): open one by name instead.
    pub note: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(text: &str) -> Location {
        Location::parse(text).unwrap_or_else(|e| panic!("{text}: {}", e.message))
    }

    #[test]
    fn every_kind_of_reference() {
        let a = loc("api/orders:1.1.0");
        assert_eq!(a.place, Place::Active);
        assert_eq!(a.repository, "api/orders");
        assert_eq!(a.reference, Some(TagOrDigest::Tag("1.1.0".into())));
        assert_eq!(loc("web").reference, None);
        assert_eq!(loc("web").reference_or_latest(), "latest");

        let e = loc("123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:2");
        assert_eq!(e.place, Place::Ecr { account: "123456789012".into(), region: "eu-west-1".into() });
        assert_eq!(e.repository, "web");

        let p = loc("public.ecr.aws/berth/tools:1");
        assert_eq!(p.place, Place::Public { alias: "berth".into() });
        assert_eq!(p.repository, "tools");

        let o = loc("127.0.0.1:5000/team/library/alpine:3");
        assert_eq!(o.place, Place::Oci { host: "127.0.0.1:5000".into() });
        assert_eq!(o.repository, "team/library/alpine");
        let g = loc("GHCR.io/org/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        assert_eq!(g.place, Place::Oci { host: "ghcr.io".into() });
        assert!(matches!(g.reference, Some(TagOrDigest::Digest(_))));
        assert_eq!(loc("localhost/web:1").place, Place::Oci { host: "localhost".into() });

        let l = loc("local:demo/app:dev");
        assert_eq!(l.place, Place::Engine);
        assert_eq!(l.repository, "demo/app:dev");
    }

    #[test]
    fn catalog_data_within_ecr_publics_limits() {
        let ok = PublicCatalog {
            description: Some("Tools".into()),
            architectures: vec!["x86-64".into(), "ARM 64".into()],
            operating_systems: vec!["Linux".into()],
            ..PublicCatalog::default()
        };
        assert!(catalog_problems(&ok).is_empty());
        let bad = PublicCatalog {
            description: Some("x".repeat(1025)),
            architectures: vec!["amd64".into()],
            operating_systems: vec!["linux".into()],
            ..PublicCatalog::default()
        };
        assert_eq!(catalog_problems(&bad).len(), 1);
        assert_eq!(catalog_notes(&bad).len(), 2);
        assert!(catalog_notes(&ok).is_empty());
    }

    #[test]
    fn bad_references_are_refused_with_a_hint() {
        for bad in
            ["", "local:", "public.ecr.aws/onlyalias", "Web:1", "web:bad tag", "ghcr.io/../x:1", "web@sha256:abc"]
        {
            assert!(Location::parse(bad).is_err(), "{bad}");
        }
        // A host that looks like ECR but is not is any registry.
        assert!(matches!(loc("12.dkr.ecr.x.amazonaws.com/web").place, Place::Oci { .. }));
    }
}
