//! Push a local image to a repository: the target checked before any byte moves, the engine's
//! push streamed as typed events, the result confirmed against ECR.

use std::sync::Arc;
use std::time::Duration;

use berth_aws::Aws;
use berth_core::job::JobId;
use berth_core::model::PushCheck;
use berth_core::push::PushEvent;
use berth_core::{BerthError, ErrorCode, Result};
use berth_docker::{PushOutcome, PushRequest};

use crate::jobs::{self, Notice, Sink, Started};
use crate::Session;

/// How long ECR may take to list a tag the engine just pushed.
pub const CONFIRM_WAIT: Duration = Duration::from_secs(10);

/// What to push where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushInput {
    /// The local image: `name:tag` or an image id.
    pub source: String,
    pub repository: String,
    pub tags: Vec<String>,
}

impl PushInput {
    /// From the CLI's words: `REPO[:TAG]` and more `--tag`s; without any tag, the source's own
    /// tag (else `latest`).
    pub fn from_target(source: &str, target: &str, extra: &[String]) -> PushInput {
        let (repository, tag) = match target.rsplit_once(':') {
            Some((repo, tag)) if !tag.contains('/') => (repo.to_string(), Some(tag.to_string())),
            _ => (target.to_string(), None),
        };
        let mut tags: Vec<String> = tag.into_iter().chain(extra.iter().cloned()).collect();
        if tags.is_empty() {
            let own =
                source.rsplit_once(':').map(|(_, t)| t).filter(|t| !t.contains('/') && !source.starts_with("sha256:"));
            tags.push(own.unwrap_or("latest").to_string());
        }
        PushInput { source: source.to_string(), repository, tags }
    }
}

/// Each tag once, in the order first given.
pub fn unique_tags(tags: &[String]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    tags.iter().filter(|t| seen.insert(t.as_str())).cloned().collect()
}

/// The tags that point at something else after the push than before it: the ones this push
/// wrote (or someone else meanwhile).
pub fn written_tags(before: &PushCheck, after: &PushCheck) -> Vec<String> {
    after
        .tags
        .iter()
        .filter(|a| {
            a.digest.is_some() && before.tags.iter().find(|b| b.tag == a.tag).map(|b| &b.digest) != Some(&a.digest)
        })
        .map(|a| a.tag.clone())
        .collect()
}

/// What a cancelled push tells the user: exactly which tags ECR holds now.
pub fn cancel_message(repository: &str, tags: &[String], written: &[String]) -> String {
    let not_written: Vec<&str> = tags.iter().filter(|t| !written.contains(t)).map(String::as_str).collect();
    if written.is_empty() {
        return "Cancelled: no tag was written; layers already sent stay in the registry and are skipped next time."
            .to_string();
    }
    let mut message = format!(
        "Cancelled after {} of {} tags were written to {repository}: {}.",
        written.len(),
        tags.len(),
        written.join(", ")
    );
    if !not_written.is_empty() {
        message.push_str(&format!(" Not written: {}.", not_written.join(", ")));
    }
    message.push_str(" Push again to write the rest (the layers are in place), or delete the written tags.");
    message
}

/// The input's tags, each once, checked; and its repository name.
fn checked_tags(input: &PushInput) -> Result<Vec<String>> {
    berth_core::validate::repository_name(&input.repository)?;
    let tags = unique_tags(&input.tags);
    if tags.is_empty() {
        return Err(BerthError::invalid("Give at least one tag to push."));
    }
    for tag in &tags {
        berth_core::validate::tag(tag).map_err(|e| BerthError::invalid(format!("Tag “{tag}”: {}", e.message)))?;
    }
    Ok(tags)
}

/// Which registry's API confirms the push: ECR of the active region, or ECR Public.
enum Destination {
    Private(Aws),
    Public(Aws),
}

impl Destination {
    async fn confirm(&self, name: &str, tag: &str, digest: &str) -> Result<()> {
        match self {
            Destination::Private(aws) => aws.confirm_pushed(name, tag, digest, CONFIRM_WAIT).await,
            Destination::Public(aws) => aws.confirm_public_pushed(name, tag, digest, CONFIRM_WAIT).await,
        }
    }

    async fn check(&self, name: &str, tags: &[String]) -> Result<PushCheck> {
        match self {
            Destination::Private(aws) => aws.check_push_target(name, tags).await,
            Destination::Public(aws) => aws.check_public_push_target(name, tags).await,
        }
    }

    /// A refused token is forgotten, so Retry fetches a new one (ECR Public's is fetched
    /// for each push).
    async fn forget_token(&self) {
        if let Destination::Private(aws) = self {
            aws.forget_registry_token().await;
        }
    }
}

/// A push checked and ready: the engine's request and what the registry held before.
struct Planned {
    engine: berth_docker::Engine,
    request: PushRequest,
    before: PushCheck,
    /// `NAME:TAG, TAG` for notices.
    label: String,
    /// Where the job says it pushes to.
    target: String,
    /// The repository's name in its registry's API.
    name: String,
    to: Destination,
}

/// The registry a push goes to: its host, the repository's path there, the credentials, and
/// the address the job shows.
struct Registry {
    host: String,
    path: String,
    username: String,
    password: berth_core::Secret,
    shown: String,
}

impl Planned {
    fn new(
        engine: berth_docker::Engine,
        input: PushInput,
        tags: Vec<String>,
        before: PushCheck,
        at: Registry,
        to: Destination,
    ) -> Planned {
        let label = format!("{}:{}", input.repository, tags.join(", "));
        let request = PushRequest {
            source: input.source,
            registry: at.host,
            repository: at.path,
            tags,
            username: at.username,
            password: at.password,
        };
        Planned { engine, request, before, label, target: at.shown, name: input.repository, to }
    }

    fn spawn(self, session: &Session, sink: Arc<dyn Sink<PushEvent>>) -> Started<PushEvent> {
        let Planned { engine, request, before, label, target, name, to } = self;
        jobs::spawn(&session.jobs, "push", sink, move |job| async move {
            job.send(PushEvent::Started { job: job.id.clone(), source: request.source.clone(), target });
            let outcome = engine.push(&request, &job.token, |e| job.send(e)).await;
            let outcome = match outcome {
                Ok(PushOutcome::Pushed(summary)) => {
                    to.confirm(&name, &request.tags[0], &summary.digest).await.map(|()| PushOutcome::Pushed(summary))
                }
                other => other,
            };
            match outcome {
                Ok(PushOutcome::Pushed(summary)) => {
                    let notice = Notice::new(
                        format!("Pushed {label}"),
                        format!("{} · {:.1} s", summary.digest, summary.seconds),
                    );
                    (PushEvent::Finished { summary }, Some(notice))
                }
                Ok(PushOutcome::Cancelled { written: reported }) => {
                    // What the registry lists now is the truth: a tag may have landed just as the push stopped.
                    let written = match to.check(&name, &request.tags).await {
                        Ok(after) => written_tags(&before, &after),
                        Err(e) => {
                            tracing::warn!("could not read the tags back after a cancelled push: {e:?}");
                            reported
                        }
                    };
                    let message = cancel_message(&name, &request.tags, &written);
                    (PushEvent::Cancelled { written, message }, None)
                }
                Err(error) => {
                    if matches!(error.code, ErrorCode::AccessDenied | ErrorCode::CredentialsExpired) {
                        to.forget_token().await;
                    }
                    let notice = Notice::new(format!("Push of {label} failed"), error.message.clone());
                    (PushEvent::Failed { error }, Some(notice))
                }
            }
        })
    }
}

impl Session {
    /// Before a push: does the repository exist, which tags exist and which are immutable.
    pub async fn check_push_target(&self, repository: &str, tags: &[String]) -> Result<PushCheck> {
        self.aws().await?.check_push_target(repository, &unique_tags(tags)).await
    }

    /// Start pushing: everything that can be checked is checked before the job starts (names,
    /// the repository exists, no tag is protected); then the engine pushes each tag, and ECR
    /// must list the first with the pushed digest. A refused token is forgotten, so Retry
    /// fetches a new one.
    pub async fn start_push(
        self: &Arc<Self>,
        input: PushInput,
        sink: Arc<dyn Sink<PushEvent>>,
    ) -> Result<Started<PushEvent>> {
        let tags = checked_tags(&input)?;
        let aws = self.aws().await?;
        let before = aws.check_push_target(&input.repository, &tags).await?;
        if !before.repository_exists {
            return Err(BerthError::not_found(format!(
                "The repository {} does not exist in {}. Create it first (“+ New repository”, or `berth repos create {}`), then push.",
                input.repository,
                aws.region(),
                input.repository
            )));
        }
        if let Some(refusal) = berth_core::push::refusal(&before) {
            return Err(refusal);
        }
        let engine = self.engine().await?;
        let token = aws.registry_token().await?;
        let shown = format!("{}/{}", token.server, input.repository);
        let path = input.repository.clone();
        let at = Registry { host: token.server, path, username: token.username, password: token.password, shown };
        Ok(Planned::new(engine, input, tags, before, at, Destination::Private(aws)).spawn(self, sink))
    }

    /// Before a push to ECR Public: does the account's public repository `name` exist, and
    /// which of the tags exist (they move: ECR Public has no immutable tags).
    pub async fn check_public_push_target(&self, name: &str, tags: &[String]) -> Result<PushCheck> {
        self.aws().await?.check_public_push_target(name, &unique_tags(tags)).await
    }

    /// Push a local image to the account's public repository `input.repository`: the same
    /// checks and job as [`Session::start_push`], to the public registry
    /// (`public.ecr.aws/ALIAS/NAME`, or `BERTH_PUBLIC_REGISTRY_ENDPOINT`) with an ECR Public
    /// token; ECR Public must then list the first tag with the pushed digest.
    pub async fn start_public_push(
        self: &Arc<Self>,
        input: PushInput,
        sink: Arc<dyn Sink<PushEvent>>,
    ) -> Result<Started<PushEvent>> {
        let tags = checked_tags(&input)?;
        let aws = self.aws().await?;
        let (alias, before) =
            tokio::try_join!(aws.public_alias(), aws.check_public_push_target(&input.repository, &tags))?;
        if !before.repository_exists {
            return Err(BerthError::not_found(format!(
                "The public repository {} does not exist in public.ecr.aws/{alias}. Create it first (“+” beside ECR Public, or `berth repos create {} --public`), then push.",
                input.repository, input.repository
            )));
        }
        let engine = self.engine().await?;
        let (username, password) = aws.public_registry_token().await?;
        let path = berth_core::public::registry_path(&alias, &input.repository);
        let shown = format!("{}/{path}", berth_core::public::PUBLIC_HOST);
        let at = Registry { host: berth_aws::public::public_registry_host(), path, username, password, shown };
        Ok(Planned::new(engine, input, tags, before, at, Destination::Public(aws)).spawn(self, sink))
    }

    /// Cancel a running job by id; false when it already ended.
    pub fn cancel_job(&self, job: &JobId) -> bool {
        self.jobs.cancel(job)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use berth_core::model::TargetTag;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn targets_and_tags() {
        let p = PushInput::from_target("app:dev", "api/orders:1.4.2", &[]);
        assert_eq!((p.repository.as_str(), p.tags.clone()), ("api/orders", s(&["1.4.2"])));
        assert_eq!(PushInput::from_target("app:dev", "api/orders", &[]).tags, s(&["dev"]));
        assert_eq!(PushInput::from_target("app", "web", &[]).tags, s(&["latest"]));
        assert_eq!(PushInput::from_target("sha256:abc", "web", &[]).tags, s(&["latest"]));
        assert_eq!(PushInput::from_target("app:dev", "web:1.0", &s(&["latest"])).tags, s(&["1.0", "latest"]));
    }

    #[test]
    fn tags_are_pushed_once_each_in_the_order_given() {
        assert_eq!(unique_tags(&s(&["a", "b", "a", "c", "b"])), s(&["a", "b", "c"]));
    }

    fn check(tags: &[(&str, Option<&str>)]) -> PushCheck {
        PushCheck {
            repository_exists: true,
            tag_mutability: None,
            mutability_exclusions: Vec::new(),
            tags: tags
                .iter()
                .map(|(t, d)| TargetTag {
                    tag: t.to_string(),
                    digest: d.map(str::to_string),
                    immutable: false,
                    refusal: None,
                })
                .collect(),
        }
    }

    #[test]
    fn written_tags_are_those_that_changed() {
        let before = check(&[("a", None), ("b", Some("sha256:old")), ("c", None)]);
        let after = check(&[("a", Some("sha256:new")), ("b", Some("sha256:new")), ("c", None)]);
        assert_eq!(written_tags(&before, &after), s(&["a", "b"]));
        assert!(written_tags(&before, &before).is_empty());
    }

    #[test]
    fn the_cancel_message_lists_what_was_written() {
        let tags = s(&["m1", "m2", "m3"]);
        assert!(cancel_message("web", &tags, &[]).starts_with("Cancelled: no tag was written"));
        let m = cancel_message("web", &tags, &s(&["m1", "m2"]));
        assert!(m.contains("2 of 3 tags were written to web: m1, m2."), "{m}");
        assert!(m.contains("Not written: m3."), "{m}");
    }
}
