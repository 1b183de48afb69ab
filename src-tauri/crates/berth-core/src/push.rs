//! Push progress: the Docker engine's push stream (one JSON object a line, with a layer `id`
//! on per-layer lines) turned into typed events — per-layer state and bytes (clamped: the
//! engine counts compressed bytes against the uncompressed size), overall bytes, throughput
//! and ETA — and a summary. Pure: the caller feeds lines and the time.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{BerthError, ErrorCode};
use crate::job::JobId;

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
    Failed {
        error: BerthError,
    },
    Cancelled,
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

/// Follows one push stream.
#[derive(Debug, Default)]
pub struct PushTracker {
    layers: Vec<LayerProgress>,
    /// (seconds, bytes done) samples of the last few seconds, for the throughput.
    samples: Vec<(f64, u64)>,
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
        self.layers.iter().map(|l| if l.state == LayerState::Pushed { l.total } else { l.current }).sum()
    }

    pub fn bytes_total(&self) -> u64 {
        self.layers
            .iter()
            .filter(|l| !matches!(l.state, LayerState::AlreadyExists | LayerState::Mounted))
            .map(|l| l.total)
            .sum()
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
        let done = self.bytes_done();
        let total = self.bytes_total().max(done);
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
}
