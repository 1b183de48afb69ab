//! Push progress: the Docker engine's push stream (one JSON object a line, with a layer `id`
//! on per-layer lines) turned into typed events — per-layer state and bytes (clamped: the
//! engine counts compressed bytes against the uncompressed size), overall bytes, throughput
//! and ETA — and a summary. Pure: the caller feeds lines and the time.
//!
//! Also the check before a push: which tags ECR would refuse to move ([`tag_is_immutable`],
//! [`refusal`]).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{BerthError, ErrorCode};
use crate::format::printable;
use crate::job::JobId;
use crate::model::{PushCheck, TagMutability};

/// One line of the engine's push stream.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EngineLine {
    pub status: Option<String>,
    pub id: Option<String>,
    #[serde(rename = "progressDetail")]
    pub progress_detail: Option<ProgressDetail>,
    #[serde(rename = "errorDetail")]
    pub error_detail: Option<ErrorDetail>,
    pub error: Option<String>,
    pub aux: Option<Aux>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProgressDetail {
    pub current: Option<u64>,
    pub total: Option<u64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ErrorDetail {
    pub message: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Aux {
    pub tag: Option<String>,
    pub digest: Option<String>,
    pub size: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LayerState {
    Waiting,
    Preparing,
    Pushing,
    /// The registry has it already: nothing to send.
    AlreadyExists,
    /// Mounted from another repository of the same registry: nothing to send.
    Mounted,
    Pushed,
    /// The engine is retrying it after an error ("Retrying in 5 seconds").
    Retrying,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LayerProgress {
    pub id: String,
    pub state: LayerState,
    #[ts(type = "number")]
    pub current: u64,
    #[ts(type = "number")]
    pub total: u64,
}

/// What a push job streams.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum PushEvent {
    Started {
        job: JobId,
        source: String,
        target: String,
    },
    Layer {
        layer: LayerProgress,
    },
    Progress {
        #[ts(type = "number")]
        bytes_done: u64,
        #[ts(type = "number")]
        bytes_total: u64,
        bytes_per_second: f64,
        eta_seconds: Option<f64>,
    },
    Retrying {
        layer: Option<String>,
        message: String,
    },
    Finished {
        summary: PushSummary,
    },
    /// The end of a copy between registries (a copy streams the same layer and progress
    /// events as a push: the tray and the CLI show both alike).
    Copied {
        summary: crate::copy::CopySummary,
    },
    Failed {
        error: BerthError,
    },
    /// Stopped before every tag was written: `written` are the tags ECR holds now with the
    /// pushed image (none when the first tag's push was stopped); `message` says so in words.
    Cancelled {
        written: Vec<String>,
        message: String,
    },
}

/// The end of a push (the CLI prints it as JSON).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PushSummary {
    pub repository: String,
    pub tags: Vec<String>,
    pub digest: String,
    #[ts(type = "number")]
    pub bytes_pushed: u64,
    pub layers_skipped: u32,
    pub seconds: f64,
}

/// Bytes sent so far: a layer done counts whole; one the registry had counts for nothing.
pub fn layers_done<'a>(layers: impl IntoIterator<Item = &'a LayerProgress>) -> u64 {
    layers.into_iter().map(|l| if l.state == LayerState::Pushed { l.total } else { l.current }).sum()
}

/// Bytes to send: every layer but those the registry had or mounted.
pub fn layers_total<'a>(layers: impl IntoIterator<Item = &'a LayerProgress>) -> u64 {
    layers
        .into_iter()
        .filter(|l| !matches!(l.state, LayerState::AlreadyExists | LayerState::Mounted))
        .map(|l| l.total)
        .sum()
}

/// Throughput over the last few seconds and the time left, for a push or a copy.
#[derive(Debug, Default)]
pub struct Throughput {
    /// (seconds, bytes done) samples of the last few seconds.
    samples: Vec<(f64, u64)>,
}

impl Throughput {
    /// The progress event for `done` of `total` bytes at `now` (seconds since the start).
    pub fn progress(&mut self, now: f64, done: u64, total: u64) -> PushEvent {
        let total = total.max(done);
        self.samples.push((now, done));
        self.samples.retain(|(t, _)| now - t <= WINDOW_SECONDS);
        let speed = match (self.samples.first(), self.samples.last()) {
            (Some((t0, b0)), Some((t1, b1))) if t1 > t0 => (b1.saturating_sub(*b0)) as f64 / (t1 - t0),
            _ => 0.0,
        };
        let eta = (speed > 0.0).then(|| (total - done) as f64 / speed);
        PushEvent::Progress { bytes_done: done, bytes_total: total, bytes_per_second: speed, eta_seconds: eta }
    }
}

/// Follows one push stream.
#[derive(Debug, Default)]
pub struct PushTracker {
    layers: Vec<LayerProgress>,
    throughput: Throughput,
    digest: Option<String>,
}

const WINDOW_SECONDS: f64 = 3.0;

impl PushTracker {
    pub fn new() -> PushTracker {
        PushTracker::default()
    }

    pub fn layers(&self) -> &[LayerProgress] {
        &self.layers
    }

    /// The manifest digest, once the engine reported it.
    pub fn digest(&self) -> Option<&str> {
        self.digest.as_deref()
    }

    /// Bytes sent so far (layers the registry had already count for nothing).
    pub fn bytes_done(&self) -> u64 {
        layers_done(&self.layers)
    }

    pub fn bytes_total(&self) -> u64 {
        layers_total(&self.layers)
    }

    pub fn layers_skipped(&self) -> u32 {
        self.layers.iter().filter(|l| matches!(l.state, LayerState::AlreadyExists | LayerState::Mounted)).count() as u32
    }

    /// Feed one line received at `now` (seconds since the push started). An in-band error
    /// (even after HTTP 200) is an `Err`.
    pub fn feed(&mut self, line: &EngineLine, now: f64) -> Result<Vec<PushEvent>, BerthError> {
        if let Some(message) = line.error_detail.as_ref().and_then(|e| e.message.clone()).or_else(|| line.error.clone())
        {
            return Err(classify_engine_error(&message));
        }
        if let Some(digest) = line.aux.as_ref().and_then(|a| a.digest.clone()) {
            self.digest = Some(digest);
            return Ok(Vec::new());
        }
        let status = line.status.as_deref().unwrap_or("");
        // "1.0: digest: sha256:… size: 1234" (older engines send no aux line).
        if let Some(rest) = status.split(" digest: ").nth(1) {
            if let Some(d) = rest.split_whitespace().next() {
                self.digest = Some(d.to_string());
            }
            return Ok(Vec::new());
        }
        let Some(id) = line.id.clone() else { return Ok(Vec::new()) };
        // Lines with an id but not about a layer ("The push refers to repository …" has none;
        // a tag line such as "latest: digest…" is handled above).
        let state = match status {
            "Preparing" => LayerState::Preparing,
            "Waiting" => LayerState::Waiting,
            "Pushing" => LayerState::Pushing,
            "Pushed" => LayerState::Pushed,
            "Layer already exists" => LayerState::AlreadyExists,
            s if s.starts_with("Mounted from") => LayerState::Mounted,
            s if s.starts_with("Retrying in") => {
                self.update(&id, LayerState::Retrying, None);
                return Ok(vec![PushEvent::Retrying { layer: Some(id), message: s.to_string() }]);
            }
            _ => return Ok(Vec::new()),
        };
        let layer = self.update(&id, state, line.progress_detail.as_ref());
        let mut events = vec![PushEvent::Layer { layer }];
        events.push(self.progress(now));
        Ok(events)
    }

    fn update(&mut self, id: &str, state: LayerState, detail: Option<&ProgressDetail>) -> LayerProgress {
        let index = match self.layers.iter().position(|l| l.id == id) {
            Some(i) => i,
            None => {
                self.layers.push(LayerProgress { id: id.to_string(), state, current: 0, total: 0 });
                self.layers.len() - 1
            }
        };
        let layer = &mut self.layers[index];
        layer.state = state;
        if let Some(d) = detail {
            if let Some(total) = d.total.filter(|t| *t > 0) {
                layer.total = total;
            }
            if let Some(current) = d.current {
                layer.current = if layer.total > 0 { current.min(layer.total) } else { current };
            }
        }
        if state == LayerState::Pushed {
            layer.current = layer.total;
        }
        layer.clone()
    }

    fn progress(&mut self, now: f64) -> PushEvent {
        let (done, total) = (self.bytes_done(), self.bytes_total());
        self.throughput.progress(now, done, total)
    }
}

/// An engine error message in the user's terms, with what to do.
pub fn classify_engine_error(message: &str) -> BerthError {
    let m = message.to_lowercase();
    let (code, text) = if m.contains("expired") && (m.contains("token") || m.contains("authoriz")) {
        (
            ErrorCode::CredentialsExpired,
            format!("The registry token expired during the push ({message}). Retry: Berth fetches a new token, and layers already sent are skipped."),
        )
    } else if m.contains("unauthorized")
        || m.contains("authentication required")
        || m.contains("no basic auth credentials")
        || m.contains("denied")
    {
        (ErrorCode::AccessDenied, format!("The registry refused the credentials ({message}). Retry fetches a new token; if it is refused again, test the profile's connection and check its ECR permissions."))
    } else if m.contains("connection refused")
        || m.contains("no such host")
        || m.contains("i/o timeout")
        || m.contains("dial tcp")
    {
        (ErrorCode::Unreachable, format!("The registry cannot be reached ({message}). Check the network or the registry endpoint, then retry: layers already sent are skipped."))
    } else if m.contains("name unknown")
        || m.contains("repository") && m.contains("not found")
        || m.contains("does not exist")
    {
        (
            ErrorCode::NotFound,
            format!("The repository does not exist (any more?) in the registry ({message}). Create it, then retry."),
        )
    } else if m.contains("no space left") {
        (
            ErrorCode::DiskFull,
            format!("The Docker engine's disk is full ({message}). Free space (`docker system prune`, or delete unused images), then retry."),
        )
    } else if m.contains("does not exist locally")
        || m.contains("no such image")
        || m.contains("an image does not exist")
    {
        (ErrorCode::NotFound, format!("The local image is gone ({message}). Rebuild or pull it, then retry."))
    } else if m.contains("tag invalid")
        || m.contains("manifest invalid")
        || m.contains("already exists") && m.contains("immutable")
    {
        (
            ErrorCode::AlreadyExists,
            format!("The registry refused the tag ({message}): the repository's tags may be immutable."),
        )
    } else {
        (ErrorCode::Remote, format!("The push failed: {message}"))
    };
    BerthError::new(code, text)
}

/// Whether the exclusion filter `filter` matches `tag`, as ECR reads its mutability exclusion
/// filters (`ImageTagMutabilityExclusionFilter` with `filterType` `WILDCARD`).
///
/// The ECR API reference gives a filter's grammar, 1–128 characters of `0-9 a-z A-Z . _ - *`,
/// and the user guide says a filter is a tag name, or uses `*` wildcards to match several
/// similar tags. Hence, as for ECR's other wildcard tag filters (lifecycle `tagPatternList`):
/// - the filter matches the whole tag: `latest` matches `latest` only, not `latest-1`, and a
///   filter without `*` is no prefix (`dev-` matches the tag `dev-` only);
/// - `*` matches any run of characters, none included: `dev-*` matches `dev-` and `dev-api`,
///   `*-rc*` matches `1.0-rc1`, `*` matches every tag;
/// - every other character matches itself, case counting: `Dev-*` does not match `dev-1`.
pub fn exclusion_matches(filter: &str, tag: &str) -> bool {
    let (f, t): (Vec<char>, Vec<char>) = (filter.chars().collect(), tag.chars().collect());
    // Greedy match with backtracking to the last `*` (linear in practice, never exponential).
    let (mut fi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if fi < f.len() && f[fi] == '*' {
            star = Some((fi, ti));
            fi += 1;
        } else if fi < f.len() && f[fi] == t[ti] {
            fi += 1;
            ti += 1;
        } else if let Some((sf, st)) = star {
            fi = sf + 1;
            ti = st + 1;
            star = Some((sf, st + 1));
        } else {
            return false;
        }
    }
    f[fi..].iter().all(|c| *c == '*')
}

/// ECR's tag mutability rule: whether the repository's settings forbid moving `tag` once it
/// exists. A tag is immutable when the mutability is `IMMUTABLE`; or `IMMUTABLE_WITH_EXCLUSION`
/// and no exclusion filter matches it; or `MUTABLE_WITH_EXCLUSION` and an exclusion filter
/// matches it. Under `MUTABLE` no tag is. Filters match as [`exclusion_matches`] says.
pub fn tag_is_immutable(mutability: TagMutability, exclusions: &[String], tag: &str) -> bool {
    let excluded = || exclusions.iter().any(|f| exclusion_matches(f, tag));
    match mutability {
        TagMutability::Mutable => false,
        TagMutability::Immutable => true,
        TagMutability::ImmutableWithExclusion => !excluded(),
        TagMutability::MutableWithExclusion => excluded(),
    }
}

/// The API's name of a mutability setting (`IMMUTABLE_WITH_EXCLUSION`).
pub fn mutability_name(mutability: TagMutability) -> &'static str {
    match mutability {
        TagMutability::Mutable => "MUTABLE",
        TagMutability::Immutable => "IMMUTABLE",
        TagMutability::MutableWithExclusion => "MUTABLE_WITH_EXCLUSION",
        TagMutability::ImmutableWithExclusion => "IMMUTABLE_WITH_EXCLUSION",
    }
}

const ADVICE_ONE: &str = "Push under another tag, or change the repository's tag mutability.";
const ADVICE_MANY: &str = "Push under other tags, or change the repository's tag mutability.";

/// Why pushing the existing immutable `tag` to `repository` is refused, and what to do:
/// "The tag v1 exists and is immutable in web (IMMUTABLE_WITH_EXCLUSION; exclusions: dev-*).
/// Push under another tag, or change the repository's tag mutability."
pub fn refusal_message(repository: &str, tag: &str, mutability: TagMutability, exclusions: &[String]) -> String {
    let setting = match mutability {
        TagMutability::Mutable | TagMutability::Immutable => mutability_name(mutability).to_string(),
        _ if exclusions.is_empty() => format!("{}; no exclusions", mutability_name(mutability)),
        _ => format!(
            "{}; exclusions: {}",
            mutability_name(mutability),
            exclusions.iter().map(|e| printable(e)).collect::<Vec<_>>().join(", ")
        ),
    };
    format!("The tag {} exists and is immutable in {} ({setting}). {ADVICE_ONE}", printable(tag), printable(repository))
}

/// The error to stop a push with before anything moves, when ECR would refuse one of its tags
/// (each tag's `refusal`, all of them in one message). `None`: the tags may be pushed — also
/// when the repository does not exist, which the caller reports itself (`repository_exists`).
pub fn refusal(check: &PushCheck) -> Option<BerthError> {
    let refused: Vec<&str> = check.tags.iter().filter_map(|t| t.refusal.as_deref()).collect();
    let message = match refused.as_slice() {
        [] => return None,
        [one] => one.to_string(),
        many => {
            let sentences: Vec<&str> =
                many.iter().map(|m| m.strip_suffix(ADVICE_ONE).unwrap_or(m).trim_end()).collect();
            format!("{} {ADVICE_MANY}", sentences.join(" "))
        }
    };
    Some(BerthError::new(ErrorCode::Refused, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(json: &str) -> EngineLine {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn a_push_stream_becomes_layer_events_a_digest_and_a_summary() {
        let mut t = PushTracker::new();
        let stream = [
            (r#"{"status":"The push refers to repository [127.0.0.1:5000/api/orders]"}"#, 0.0),
            (r#"{"status":"Preparing","progressDetail":{},"id":"aaa"}"#, 0.1),
            (r#"{"status":"Preparing","progressDetail":{},"id":"bbb"}"#, 0.1),
            (r#"{"status":"Waiting","progressDetail":{},"id":"bbb"}"#, 0.2),
            (r#"{"status":"Layer already exists","progressDetail":{},"id":"aaa"}"#, 0.3),
            (r#"{"status":"Pushing","progressDetail":{"current":512,"total":1000},"id":"bbb"}"#, 1.0),
            // compressed bytes may exceed the uncompressed total: clamped
            (r#"{"status":"Pushing","progressDetail":{"current":1200,"total":1000},"id":"bbb"}"#, 2.0),
            (r#"{"status":"Pushed","progressDetail":{},"id":"bbb"}"#, 2.1),
            (r#"{"status":"1.0: digest: sha256:abc size: 739"}"#, 2.2),
            (r#"{"progressDetail":{},"aux":{"Tag":"1.0","Digest":"sha256:abc","Size":739}}"#, 2.2),
        ];
        let mut states = Vec::new();
        for (json, now) in stream {
            for e in t.feed(&line(json), now).unwrap() {
                if let PushEvent::Layer { layer } = e {
                    states.push((layer.id, layer.state, layer.current));
                }
            }
        }
        assert_eq!(states[0], ("aaa".into(), LayerState::Preparing, 0));
        assert!(states.contains(&("aaa".into(), LayerState::AlreadyExists, 0)));
        assert!(states.contains(&("bbb".into(), LayerState::Pushing, 1000)), "clamped to the total");
        assert_eq!(t.digest(), Some("sha256:abc"));
        assert_eq!(t.bytes_done(), 1000);
        assert_eq!(t.bytes_total(), 1000, "layers the registry had count for nothing");
        assert_eq!(t.layers_skipped(), 1);
    }

    #[test]
    fn throughput_and_eta() {
        let mut t = PushTracker::new();
        t.feed(&line(r#"{"status":"Pushing","progressDetail":{"current":0,"total":1000},"id":"x"}"#), 0.0).unwrap();
        let events = t
            .feed(&line(r#"{"status":"Pushing","progressDetail":{"current":500,"total":1000},"id":"x"}"#), 1.0)
            .unwrap();
        let Some(PushEvent::Progress { bytes_per_second, eta_seconds, .. }) = events.last() else {
            panic!("{events:?}")
        };
        assert!((bytes_per_second - 500.0).abs() < 1e-9);
        assert!((eta_seconds.unwrap() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn in_band_errors_fail_even_after_http_200() {
        let mut t = PushTracker::new();
        let err = t.feed(&line(r#"{"errorDetail":{"message":"unauthorized: authentication required"},"error":"unauthorized: authentication required"}"#), 0.0).unwrap_err();
        assert_eq!(err.code, ErrorCode::AccessDenied);
        let retry = t.feed(&line(r#"{"status":"Retrying in 5 seconds","progressDetail":{},"id":"x"}"#), 0.0).unwrap();
        assert!(matches!(&retry[0], PushEvent::Retrying { layer: Some(l), .. } if l == "x"));
        for (m, code) in [
            ("dial tcp 127.0.0.1:5000: connect: connection refused", ErrorCode::Unreachable),
            ("name unknown: repository name not known to registry", ErrorCode::NotFound),
            ("write /var/lib/docker/tmp: no space left on device", ErrorCode::DiskFull),
            // What ECR answers for a token past its 12 hours, and for a deleted repository.
            ("denied: Your authorization token has expired. Reauthenticate and try again.", ErrorCode::CredentialsExpired),
            (
                "name unknown: The repository with name 'api/orders' does not exist in the registry with id '000000000000'",
                ErrorCode::NotFound,
            ),
            ("no basic auth credentials", ErrorCode::AccessDenied),
        ] {
            assert_eq!(classify_engine_error(m).code, code, "{m}");
        }
    }

    #[test]
    fn exclusion_filters_match_whole_tags_with_wildcards() {
        for (filter, tag) in [
            ("latest", "latest"),
            ("dev-*", "dev-"),
            ("dev-*", "dev-api"),
            ("*", "anything"),
            ("*-rc*", "1.0-rc1"),
            ("*-rc*", "-rc"),
            ("v*.*", "v1.2"),
            ("a*b*c", "aXbYbZc"),
            ("**", "x"),
            ("release-*-final", "release-1.0-final"),
        ] {
            assert!(exclusion_matches(filter, tag), "{filter} should match {tag}");
        }
        for (filter, tag) in [
            ("latest", "latest-1"),
            ("latest", "my-latest"),
            ("dev-", "dev-api"),
            ("dev-*", "dev"),
            ("Dev-*", "dev-1"),
            ("dev-*", "DEV-1"),
            ("*-rc", "1.0-rc1"),
            ("a*b*c", "aXbYbZ"),
            ("v?", "v1"),
            ("release-*-final", "release-1.0-finale"),
        ] {
            assert!(!exclusion_matches(filter, tag), "{filter} should not match {tag}");
        }
        // No exponential backtracking on a hostile filter.
        let tag = "a".repeat(128);
        assert!(!exclusion_matches(&format!("{}b", "*a".repeat(60)), &tag));
    }

    #[test]
    fn ecr_mutability_rule() {
        use TagMutability::*;
        let ex = vec!["dev-*".to_string(), "latest".to_string()];
        let cases = [
            (Mutable, "v1", false),
            (Mutable, "dev-1", false),
            (Immutable, "v1", true),
            (Immutable, "dev-1", true),
            (ImmutableWithExclusion, "v1", true),
            (ImmutableWithExclusion, "dev-1", false),
            (ImmutableWithExclusion, "latest", false),
            (MutableWithExclusion, "v1", false),
            (MutableWithExclusion, "dev-1", true),
            (MutableWithExclusion, "latest", true),
        ];
        for (m, tag, immutable) in cases {
            assert_eq!(tag_is_immutable(m, &ex, tag), immutable, "{m:?} {tag}");
        }
        assert!(tag_is_immutable(ImmutableWithExclusion, &[], "dev-1"), "no exclusion: all immutable");
        assert!(!tag_is_immutable(MutableWithExclusion, &[], "dev-1"), "no exclusion: all mutable");
    }

    #[test]
    fn push_checks_carry_each_tags_refusal() {
        use crate::model::TargetTag;
        let d = Some("sha256:old".to_string());
        let check = PushCheck::existing(
            "web",
            TagMutability::ImmutableWithExclusion,
            vec!["dev-*".into()],
            vec![("v1".into(), d.clone()), ("dev-1".into(), d.clone()), ("v2".into(), None)],
        );
        assert_eq!(check.mutability_exclusions, ["dev-*"]);
        let [v1, dev, v2] = &check.tags[..] else { panic!("{check:?}") };
        assert!(v1.immutable && !dev.immutable && v2.immutable);
        assert_eq!(
            v1.refusal.as_deref(),
            Some(
                "The tag v1 exists and is immutable in web (IMMUTABLE_WITH_EXCLUSION; exclusions: dev-*). \
                 Push under another tag, or change the repository's tag mutability."
            )
        );
        assert_eq!(dev.refusal, None, "excluded: it may move");
        assert_eq!(v2.refusal, None, "free: it may be pushed once");
        let err = refusal(&check).expect("refused");
        assert_eq!(err.code, ErrorCode::Refused);
        assert_eq!(Some(err.message.as_str()), v1.refusal.as_deref());

        // Under MUTABLE_WITH_EXCLUSION the excluded tags are the protected ones.
        let check = PushCheck::existing(
            "web",
            TagMutability::MutableWithExclusion,
            vec!["v*".into()],
            vec![("v1".into(), d.clone()), ("latest".into(), d.clone()), ("v2".into(), d.clone())],
        );
        let refused: Vec<&str> = check.tags.iter().filter(|t| t.refusal.is_some()).map(|t| t.tag.as_str()).collect();
        assert_eq!(refused, ["v1", "v2"]);
        let message = refusal(&check).unwrap().message;
        assert!(message.contains("The tag v1 exists") && message.contains("The tag v2 exists"), "{message}");
        assert!(message.ends_with("Push under other tags, or change the repository's tag mutability."), "{message}");
        assert_eq!(message.matches("Push under").count(), 1, "{message}");

        let plain = PushCheck::existing("web", TagMutability::Immutable, vec![], vec![("v1".into(), d.clone())]);
        assert!(plain.tags[0].refusal.as_deref().unwrap().contains("in web (IMMUTABLE)."));
        let mutable = PushCheck::existing("web", TagMutability::Mutable, vec![], vec![("v1".into(), d)]);
        assert!(refusal(&mutable).is_none());
        let missing = PushCheck::missing(&["v1".into()]);
        assert!(!missing.repository_exists && refusal(&missing).is_none());
        assert_eq!(missing.tags, [TargetTag::free("v1")]);
    }
}
