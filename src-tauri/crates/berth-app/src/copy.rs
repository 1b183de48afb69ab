//! Copy or promote an image between registries without the local engine: between
//! repositories, regions and accounts of ECR, and from or to any OCI registry. The
//! destination is checked as for a push before any byte moves; the copy streams the same
//! layer and progress events as a push, and nothing is tagged before everything arrived.
//! A local image (`local:NAME:TAG`) is read through the engine's image export, not pushed
//! by the engine: it goes to any registry the same way.

use std::sync::Arc;
use std::time::Instant;

use berth_aws::Aws;
use berth_core::copy::{CopyCheck, CopyRequest, CopySummary, Location, Place};
use berth_core::image::TagOrDigest;
use berth_core::model::PushCheck;
use berth_core::push::PushEvent;
use berth_core::{BerthError, ErrorCode, Result};
use berth_docker::ExportedImage;
use berth_registry::copy::{Blob, Plan, Side, Source};
use berth_registry::RawManifest;
use berth_registry::{Credentials, Registry};
use tokio_util::sync::CancellationToken;

use crate::jobs::{self, Notice, Sink, Started};
use crate::push::{unique_tags, CONFIRM_WAIT};
use crate::Session;

/// What to copy where, as the user typed it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CopyInput {
    pub source: String,
    pub destination: String,
    /// Tags to write besides the destination's own (none at all: the source's tag).
    pub tags: Vec<String>,
    /// A bare destination (`REPO[:TAG]`) in another region or profile.
    pub to_region: Option<String>,
    pub to_profile: Option<String>,
}

impl From<CopyRequest> for CopyInput {
    fn from(r: CopyRequest) -> CopyInput {
        CopyInput {
            source: r.source,
            destination: r.destination,
            tags: r.tags,
            to_region: r.to_region,
            to_profile: r.to_profile,
        }
    }
}

/// Where an end's bytes are: a registry, or the local engine's export of an image.
pub enum Blobs {
    Registry(Registry),
    Engine(ExportedImage),
}

/// One end of a copy, opened: its registry client (or exported image) and how to name it.
pub struct End {
    pub blobs: Blobs,
    pub repository: String,
    /// `host/repository`, what a `docker pull` would name.
    pub address: String,
    /// Where it is, in words: the account and region for ECR ("000000000000 · us-east-1"),
    /// the host for any other registry.
    pub place: String,
    /// The ECR connection of an ECR end (checks before, confirmation after).
    pub ecr: Option<Aws>,
    /// The account and region of an ECR end.
    pub account: Option<String>,
    pub region: Option<String>,
    /// An ECR Public end: its connection, the alias and the repository name in it.
    pub public: Option<PublicEnd>,
}

pub struct PublicEnd {
    pub aws: Aws,
    pub alias: String,
    pub name: String,
}

/// What the copy would do, known before it starts (the dialog shows it; the CLI says it).
pub struct CopyPlan {
    pub source: End,
    pub destination: End,
    pub reference: String,
    pub tags: Vec<String>,
    pub plan: Plan,
    /// Destination tags that name another image now and will move to this one.
    pub moving: Vec<String>,
    /// Immutable destination tags that name this image already: not written again (ECR
    /// refuses to write an immutable tag even with the same image).
    pub in_place: Vec<String>,
    /// When planning began: a copy's `seconds` count from here, so that reading a local
    /// image out of the engine (part of the plan) is in them.
    pub began: Instant,
}

impl CopyPlan {
    pub fn check(&self) -> CopyCheck {
        let written = match self.tags.as_slice() {
            [] => self.plan.top.digest.clone(),
            tags => tags.join(", "),
        };
        let tags = self.destination.label(&written);
        let cross_account = matches!((&self.source.account, &self.destination.account), (Some(a), Some(b)) if a != b);
        CopyCheck {
            source: self.source.label(&self.reference),
            destination: tags,
            digest: self.plan.top.digest.clone(),
            platforms: self.plan.children.len() as u32,
            blobs: self.plan.blobs.len() as u32,
            bytes_total: self.plan.bytes_total(),
            tags: self.tags.clone(),
            moving: self.moving.clone(),
            in_place: self.in_place.clone(),
            foreign_layers: self.plan.foreign_layers.clone(),
            cross_account,
            title: format!(
                "copy {} → {}",
                self.source.short(&self.reference, &self.destination),
                self.destination.short(&written, &self.source)
            ),
        }
    }
}

impl End {
    /// The registry of an end that is one (a destination always is).
    pub fn registry(&self) -> Result<&Registry> {
        match &self.blobs {
            Blobs::Registry(registry) => Ok(registry),
            Blobs::Engine(_) => Err(BerthError::invalid(
                "A copy writes to a registry; to bring an image into the local engine, pull it with docker.",
            )),
        }
    }

    /// `REPO:TAG in PLACE`, or `REPO@DIGEST in PLACE`; for ECR Public, the address a pull
    /// names (`public.ecr.aws/ALIAS/REPO:TAG`).
    pub fn label(&self, reference: &str) -> String {
        if self.public.is_some() {
            let separator = if reference.starts_with("sha256:") { "@" } else { ":" };
            return format!("{}{separator}{reference}", self.address);
        }
        format!("{} in {}", self.name(reference), self.place)
    }

    fn name(&self, reference: &str) -> String {
        let separator = if reference.starts_with("sha256:") { "@" } else { ":" };
        format!("{}{separator}{reference}", self.repository)
    }

    /// Shorter, for a job's line: the region alone when both ends are ECR of one account.
    pub fn short(&self, reference: &str, other: &End) -> String {
        match (&self.region, &self.account, &other.account) {
            (Some(region), Some(a), Some(b)) if a == b => format!("{} ({region})", self.name(reference)),
            _ => self.label(reference),
        }
    }
}

impl Session {
    /// The ECR connection of `profile` (default: the active one) in `region` (default: its own).
    pub async fn aws_for(&self, profile: Option<&str>, region: Option<&str>) -> Result<Aws> {
        if profile.is_none() && region.is_none() {
            return self.aws().await;
        }
        let id = match profile {
            Some(name) => self.profile_id(Some(name)).await,
            None => self.active_profile().await?.id,
        };
        let mut settings = self.resolve(&id).await?.settings;
        if let Some(region) = region {
            berth_core::validate::region(region)?;
            settings.region = Some(region.to_string());
        }
        Aws::connect(settings).await
    }

    /// A profile whose credentials are of `account` (each profile asked once, at most 5 s).
    async fn profile_of_account(&self, account: &str, region: &str) -> Option<Aws> {
        let active = self.active_profile().await.ok().map(|p| p.id);
        for p in self.profiles().list().await.profiles {
            if Some(&p.id) == active.as_ref() {
                continue;
            }
            let Ok(aws) = self.aws_for(Some(&p.id), Some(region)).await else { continue };
            let asked = tokio::time::timeout(std::time::Duration::from_secs(5), aws.caller_identity()).await;
            if matches!(asked, Ok(Ok(ref me)) if me.account == account) {
                tracing::debug!(profile = p.id, account, "a profile of the reference's account");
                return Some(aws);
            }
        }
        None
    }

    /// Open `location` as a copy would read it (registry client and credentials; a local
    /// image is exported): for the other use cases that read any registry.
    pub(crate) async fn open_location(&self, location: &Location) -> Result<End> {
        self.open_end(location, None, None, &CancellationToken::new()).await
    }

    async fn open_end(
        &self,
        location: &Location,
        profile: Option<&str>,
        region: Option<&str>,
        cancel: &CancellationToken,
    ) -> Result<End> {
        let repository = location.repository.clone();
        match &location.place {
            Place::Active | Place::Ecr { .. } => {
                let region = match &location.place {
                    Place::Ecr { region, .. } => Some(region.as_str()),
                    _ => region,
                };
                let mut aws = self.aws_for(profile, region).await?;
                let mut account = aws.caller_identity().await.map(|c| c.account).unwrap_or_default();
                // Another account's URI: a profile of that account, if the user has one.
                if let Place::Ecr { account: wanted, .. } = &location.place {
                    if profile.is_none() && !account.is_empty() && *wanted != account {
                        if let Some(found) = self.profile_of_account(wanted, aws.region()).await {
                            account = wanted.clone();
                            aws = found;
                        }
                    }
                }
                let token = aws.registry_token().await?;
                // The token's registry is the profile's own account; another account's
                // registry is reached at its own host with the same token (its registry
                // policy decides).
                let host = match &location.place {
                    Place::Ecr { account: other, .. } if !account.is_empty() && *other != account => {
                        format!("{other}.dkr.ecr.{}.amazonaws.com", aws.region())
                    }
                    _ => token.server.clone(),
                };
                let shown_account = match &location.place {
                    Place::Ecr { account, .. } => account.clone(),
                    _ => account,
                };
                let credentials = Credentials::Basic { username: token.username, password: token.password };
                Ok(End {
                    blobs: Blobs::Registry(Registry::new(&host, credentials)),
                    address: format!("{host}/{repository}"),
                    place: format!("{shown_account} · {}", aws.region()),
                    repository,
                    account: Some(shown_account).filter(|a| !a.is_empty()),
                    region: Some(aws.region().to_string()),
                    public: None,
                    ecr: Some(aws),
                })
            }
            Place::Oci { host } => {
                let opened = self.open_registry(host).await?;
                tracing::debug!(host, source = opened.credentials_from, "registry credentials");
                Ok(End {
                    blobs: Blobs::Registry(opened.registry),
                    address: format!("{host}/{repository}"),
                    place: host.clone(),
                    repository,
                    ecr: None,
                    account: None,
                    region: None,
                    public: None,
                })
            }
            Place::Public { alias } => {
                let aws = self.aws_for(profile, None).await?;
                let (username, password) = aws.public_registry_token().await?;
                let host = berth_aws::public::public_registry_host();
                let registry_path = format!("{alias}/{repository}");
                Ok(End {
                    blobs: Blobs::Registry(Registry::new(&host, Credentials::Basic { username, password })),
                    address: format!("public.ecr.aws/{registry_path}"),
                    place: format!("ECR Public ({alias})"),
                    repository: registry_path,
                    ecr: None,
                    account: None,
                    region: None,
                    public: Some(PublicEnd { aws, alias: alias.clone(), name: location.repository.clone() }),
                })
            }
            Place::Engine => {
                let engine = self.engine().await?;
                let image = engine.export_image(&location.repository, cancel).await?;
                let (name, _) = engine_name(&location.repository);
                Ok(End {
                    blobs: Blobs::Engine(image),
                    address: format!("local:{name}"),
                    place: format!("the local engine ({})", engine.address()),
                    repository: name,
                    ecr: None,
                    account: None,
                    region: None,
                    public: None,
                })
            }
        }
    }

    /// Read the source and check the destination: everything that can be refused is refused
    /// here, before any byte moves.
    pub async fn plan_copy(&self, input: &CopyInput) -> Result<CopyPlan> {
        self.plan_copy_until(input, &CancellationToken::new()).await
    }

    /// `plan_copy`, stopped by `cancel` (reading a local image exports and compresses it).
    pub async fn plan_copy_until(&self, input: &CopyInput, cancel: &CancellationToken) -> Result<CopyPlan> {
        let began = Instant::now();
        let source_location = Location::parse(&input.source)?;
        let destination_location = Location::parse(&input.destination)?;
        if destination_location.place == Place::Engine {
            return Err(BerthError::invalid(
                "A copy writes to a registry; to bring an image into the local engine, pull it with docker.",
            ));
        }
        if (input.to_region.is_some() || input.to_profile.is_some()) && destination_location.place != Place::Active {
            return Err(BerthError::invalid(
                "--to-region and --to-profile apply to a destination given as REPO[:TAG]; this one names its registry already.",
            ));
        }
        // `local:NAME:TAG` names the engine's image whole: its tag is part of the name.
        let reference = match source_location.place {
            Place::Engine => engine_name(&source_location.repository).1,
            _ => source_location.reference_or_latest(),
        };
        let mut tags: Vec<String> = match &destination_location.reference {
            Some(TagOrDigest::Tag(t)) => vec![t.clone()],
            Some(TagOrDigest::Digest(_)) => {
                return Err(BerthError::invalid(
                    "A destination takes a tag, not a digest: the digest stays the one of the source.",
                ))
            }
            None => Vec::new(),
        };
        tags.extend(input.tags.iter().cloned());
        if tags.is_empty() {
            if let Some(TagOrDigest::Tag(t)) = &source_location.reference {
                tags.push(t.clone());
            } else if source_location.place == Place::Engine && !reference.starts_with("sha256:") {
                tags.push(reference.clone());
            } else if source_location.reference.is_none() {
                tags.push("latest".into());
            }
        }
        let tags = unique_tags(&tags);
        for tag in &tags {
            berth_core::validate::tag(tag).map_err(|e| BerthError::invalid(format!("Tag “{tag}”: {}", e.message)))?;
        }
        let (source, destination) = tokio::try_join!(
            self.open_end(&source_location, None, None, cancel),
            self.open_end(&destination_location, input.to_profile.as_deref(), input.to_region.as_deref(), cancel),
        )?;
        // The same repository of the same account (the sandbox serves two accounts at one host).
        let same = source.address == destination.address && source.account == destination.account;
        if same && tags.iter().all(|t| *t == reference) {
            return Err(BerthError::invalid(format!(
                "{}:{reference} is its own destination. Name another repository, region or tag.",
                source.address
            )));
        }
        let plan = match &source.blobs {
            Blobs::Registry(registry) => registry.plan_copy(&source.repository, &reference).await?,
            Blobs::Engine(image) => exported_plan(image),
        };
        let (mut moving, mut in_place) = (Vec::new(), Vec::new());
        if let Some(aws) = &destination.ecr {
            let check: PushCheck = aws.check_push_target(&destination.repository, &tags).await?;
            if !check.repository_exists {
                return Err(BerthError::not_found(format!(
                    "The repository {} does not exist in {}. Create it first (“+ New repository”, or `berth repos create {}`), then copy.",
                    destination.repository,
                    aws.region(),
                    destination.repository
                )));
            }
            let refusal = PushCheck {
                tags: check
                    .tags
                    .iter()
                    .filter(|t| t.digest.as_deref() != Some(plan.top.digest.as_str()))
                    .cloned()
                    .collect(),
                ..check.clone()
            };
            if let Some(refused) = berth_core::push::refusal(&refusal) {
                return Err(refused);
            }
            moving = check
                .tags
                .iter()
                .filter(|t| t.digest.as_ref().is_some_and(|d| *d != plan.top.digest))
                .map(|t| t.tag.clone())
                .collect();
            // Written again all the same where the tag may move (the PUT is cheap, and what
            // ECR lists is then surely what the registry serves); not where it is immutable,
            // which ECR refuses even for the same image.
            in_place = check
                .tags
                .iter()
                .filter(|t| t.immutable && t.digest.as_deref() == Some(plan.top.digest.as_str()))
                .map(|t| t.tag.clone())
                .collect();
        }
        if let Some(public) = &destination.public {
            let own = public.aws.public_alias().await?;
            if own != public.alias {
                return Err(BerthError::new(
                    ErrorCode::Refused,
                    format!("public.ecr.aws/{} is not this account's public registry (its alias is {own}): copy to public.ecr.aws/{own}/{}.", public.alias, public.name),
                ));
            }
            if !public.aws.public_repository_exists(&public.name).await? {
                return Err(BerthError::not_found(format!(
                    "The public repository {} does not exist in public.ecr.aws/{own}. Create it first (`berth repos create {} --public`), then copy.",
                    public.name, public.name
                )));
            }
        }
        Ok(CopyPlan { source, destination, reference, tags, plan, moving, in_place, began })
    }

    /// What a copy would do, for the dialog: `plan_copy` in words.
    pub async fn check_copy(&self, request: CopyRequest) -> Result<CopyCheck> {
        let plan = self.plan_copy(&request.into()).await?;
        Ok(plan.check())
    }

    /// Check, then start the copy as a job (the window's Copy button).
    pub async fn copy_image(
        self: &Arc<Self>,
        request: CopyRequest,
        sink: Arc<dyn Sink<PushEvent>>,
    ) -> Result<Started<PushEvent>> {
        let plan = self.plan_copy(&request.into()).await?;
        Ok(self.start_copy(plan, sink))
    }

    /// Start a planned copy as a job: per-blob and overall progress, cancellable; the
    /// terminal event is `Copied` with the summary.
    pub fn start_copy(self: &Arc<Self>, copy: CopyPlan, sink: Arc<dyn Sink<PushEvent>>) -> Started<PushEvent> {
        jobs::spawn(&self.jobs, "copy", sink, move |job| async move {
            let CopyPlan { source, destination, reference, tags, plan, moving, in_place, began } = copy;
            let to_write: Vec<String> = tags.iter().filter(|t| !in_place.contains(t)).cloned().collect();
            let separator = if reference.starts_with("sha256:") { "@" } else { ":" };
            let source_name = format!("{}{separator}{reference}", source.address);
            let target_name = match tags.as_slice() {
                [] => format!("{}@{}", destination.address, plan.top.digest),
                _ => format!("{}:{}", destination.address, tags.join(", ")),
            };
            let target_label = match tags.as_slice() {
                [] => destination.label(&plan.top.digest),
                _ => destination.label(&tags.join(", ")),
            };
            job.send(PushEvent::Started {
                job: job.id.clone(),
                source: source.label(&reference),
                target: target_label.clone(),
            });
            for tag in &moving {
                job.send(PushEvent::Retrying {
                    layer: None,
                    message: format!("The tag {tag} moves to this image (it named another one)."),
                });
            }
            let report = |e: PushEvent| job.send(e);
            let files;
            let from = match &source.blobs {
                Blobs::Registry(registry) => Source::Registry(Side { registry, repository: &source.repository }),
                Blobs::Engine(image) => {
                    files = image.files();
                    Source::Files(&files)
                }
            };
            let outcome = match destination.registry() {
                Ok(registry) => {
                    registry.copy_from(from, &destination.repository, &plan, &to_write, true, &report, &job.token).await
                }
                Err(e) => Err(e),
            };
            let outcome = match (outcome, &destination.ecr, tags.first()) {
                (Ok(r), Some(aws), Some(tag)) => {
                    aws.confirm_pushed(&destination.repository, tag, &r.digest, CONFIRM_WAIT).await.map(|()| r)
                }
                (other, _, _) => other,
            };
            match outcome {
                Ok(r) => {
                    let summary = CopySummary {
                        source: source_name,
                        destination: target_name,
                        digest: r.digest,
                        tags: tags.clone(),
                        manifests: r.manifests,
                        blobs_copied: r.blobs_copied,
                        blobs_mounted: r.blobs_mounted,
                        blobs_skipped: r.blobs_skipped,
                        bytes_copied: r.bytes_copied,
                        foreign_layers: r.foreign_layers,
                        seconds: began.elapsed().as_secs_f64(),
                    };
                    let notice = Notice::new(
                        format!("Copied to {target_label}"),
                        format!("{} · {:.1} s", summary.digest, summary.seconds),
                    );
                    (PushEvent::Copied { summary }, Some(notice))
                }
                Err(e) if e.code == ErrorCode::Cancelled => {
                    (PushEvent::Cancelled { written: Vec::new(), message: e.message }, None)
                }
                Err(error) => {
                    if let Some(aws) = &destination.ecr {
                        if matches!(error.code, ErrorCode::AccessDenied | ErrorCode::CredentialsExpired) {
                            aws.forget_registry_token().await;
                        }
                    }
                    let notice = Notice::new(format!("Copy to {target_label} failed"), error.message.clone());
                    (PushEvent::Failed { error }, Some(notice))
                }
            }
        })
    }
}

/// What a local image's export consists of, as a copy plan: its manifest and blobs.
fn exported_plan(image: &ExportedImage) -> Plan {
    Plan {
        top: RawManifest {
            digest: image.digest.clone(),
            media_type: Some(image.media_type.to_string()),
            bytes: image.manifest.clone(),
        },
        children: Vec::new(),
        blobs: image.blobs.iter().map(|b| Blob { digest: b.digest.clone(), size: b.size }).collect(),
        foreign_layers: Vec::new(),
    }
}

/// A local image's name and tag (`web:dev` → web, dev; `web` → web, latest); an image id is
/// its own name, with `latest` for the tag a copy writes by default.
fn engine_name(text: &str) -> (String, String) {
    if text.starts_with("sha256:") {
        return (text.to_string(), "latest".into());
    }
    match text.rsplit_once(':') {
        Some((name, tag)) if !tag.contains('/') => (name.to_string(), tag.to_string()),
        _ => (text.to_string(), "latest".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::engine_name;

    #[test]
    fn a_local_name_and_its_tag() {
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(engine_name("web:dev"), pair("web", "dev"));
        assert_eq!(engine_name("web"), pair("web", "latest"));
        assert_eq!(engine_name("localhost:5000/team/web"), pair("localhost:5000/team/web", "latest"));
        assert_eq!(engine_name("localhost:5000/team/web:2"), pair("localhost:5000/team/web", "2"));
        assert_eq!(engine_name("sha256:0123"), pair("sha256:0123", "latest"));
    }
}
