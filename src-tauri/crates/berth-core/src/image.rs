//! An image as Berth reads it from a registry (manifest, configuration, layers) or from the
//! local engine, and the comparison of two of them.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// One build step of the image's history.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct HistoryEntry {
    pub created: Option<String>,
    pub created_by: String,
    /// A step that made no layer (ENV, CMD, LABEL…).
    pub empty_layer: bool,
    pub comment: Option<String>,
}

/// The image configuration (the config blob), in the fields people look at.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct ImageConfig {
    pub architecture: Option<String>,
    pub os: Option<String>,
    pub variant: Option<String>,
    pub created: Option<String>,
    pub user: Option<String>,
    pub working_dir: Option<String>,
    pub entrypoint: Vec<String>,
    pub cmd: Vec<String>,
    pub env: Vec<String>,
    pub labels: BTreeMap<String, String>,
    pub exposed_ports: Vec<String>,
    pub history: Vec<HistoryEntry>,
    /// Uncompressed layer digests (`rootfs.diff_ids`): the same for a registry and an engine.
    pub diff_ids: Vec<String>,
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

fn text(v: &Value) -> Option<String> {
    v.as_str().filter(|s| !s.is_empty()).map(str::to_string)
}

impl ImageConfig {
    /// From the OCI / Docker image configuration JSON.
    pub fn from_json(v: &Value) -> ImageConfig {
        let c = &v["config"];
        ImageConfig {
            architecture: text(&v["architecture"]),
            os: text(&v["os"]),
            variant: text(&v["variant"]),
            created: text(&v["created"]),
            user: text(&c["User"]),
            working_dir: text(&c["WorkingDir"]),
            entrypoint: strings(&c["Entrypoint"]),
            cmd: strings(&c["Cmd"]),
            env: strings(&c["Env"]),
            labels: c["Labels"]
                .as_object()
                .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string())).collect())
                .unwrap_or_default(),
            exposed_ports: c["ExposedPorts"].as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default(),
            history: v["history"]
                .as_array()
                .map(|h| {
                    h.iter()
                        .map(|e| HistoryEntry {
                            created: text(&e["created"]),
                            created_by: e["created_by"].as_str().unwrap_or_default().to_string(),
                            empty_layer: e["empty_layer"].as_bool().unwrap_or(false),
                            comment: text(&e["comment"]),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            diff_ids: strings(&v["rootfs"]["diff_ids"]),
        }
    }

    /// `linux/amd64`, `linux/arm64/v8`.
    pub fn platform(&self) -> Option<String> {
        let (os, arch) = (self.os.as_deref()?, self.architecture.as_deref()?);
        Some(match &self.variant {
            Some(v) => format!("{os}/{arch}/{v}"),
            None => format!("{os}/{arch}"),
        })
    }
}

/// A layer as the manifest lists it (compressed digest and size).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LayerInfo {
    pub digest: String,
    #[ts(type = "number")]
    pub size: u64,
    pub media_type: String,
}

/// One entry of a multi-platform index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PlatformEntry {
    /// `linux/amd64`; `unknown/unknown` for attestations.
    pub platform: String,
    pub digest: String,
    pub media_type: String,
    #[ts(type = "number")]
    pub size: u64,
}

/// An image resolved to one platform: what details and comparisons show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImageInfo {
    /// As the user named it: `repo:tag`, `repo@sha256:…`, `local:name:tag`.
    pub reference: String,
    /// The digest of the reference (for an index: the index's).
    pub digest: String,
    pub media_type: String,
    /// The image manifest's digest (differs from `digest` for an index).
    pub manifest_digest: String,
    /// Sum of the layers' (compressed) sizes and the config.
    #[ts(type = "number")]
    pub size: u64,
    pub config: ImageConfig,
    pub layers: Vec<LayerInfo>,
    /// For an index: every platform it holds (the image above is one of them).
    pub platforms: Vec<PlatformEntry>,
    /// The manifest as the registry serves it, pretty-printed.
    pub manifest_json: String,
    /// Where the layers come from: `registry` (compressed digests) or `engine` (uncompressed).
    pub source: String,
}

impl ImageInfo {
    pub fn platform(&self) -> Option<String> {
        self.config.platform()
    }
}

/// A layer's place in a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LayerStatus {
    Shared,
    OnlyA,
    OnlyB,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LayerRow {
    pub digest: String,
    #[ts(type = "number")]
    pub size: u64,
    pub status: LayerStatus,
    /// Position in A's and B's layer lists (0-based).
    pub index_a: Option<u32>,
    pub index_b: Option<u32>,
}

/// A configuration field that differs: `env.PATH`, `entrypoint`, `labels.version`…
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ConfigChange {
    pub path: String,
    pub a: Option<String>,
    pub b: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HistoryRow {
    pub status: LayerStatus,
    pub created_by: String,
    pub empty_layer: bool,
}

/// One side of a comparison, as the CLI's JSON has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CompareSide {
    pub reference: String,
    pub digest: String,
    #[ts(type = "number")]
    pub size: u64,
    pub created: Option<String>,
    pub platform: Option<String>,
}

/// Per platform of two indexes: which digest each side holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PlatformPair {
    pub platform: String,
    pub a: Option<String>,
    pub b: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Comparison {
    pub a: CompareSide,
    pub b: CompareSide,
    /// Same digest: nothing differs.
    pub identical: bool,
    /// How layers were matched: `digest` (both from registries) or `content` (uncompressed digests).
    pub matched_by: String,
    pub layers: Vec<LayerRow>,
    #[ts(type = "number")]
    pub shared_bytes: u64,
    #[ts(type = "number")]
    pub only_a_bytes: u64,
    #[ts(type = "number")]
    pub only_b_bytes: u64,
    pub config_changes: Vec<ConfigChange>,
    pub history: Vec<HistoryRow>,
    /// For two indexes: the platform matrix.
    pub platforms: Vec<PlatformPair>,
    /// When both sides have scan findings.
    pub vulnerabilities: Option<VulnerabilityDiff>,
}

/// Align two sequences in order (Myers diff): equal items shared, the rest only on one side.
fn align<T: PartialEq + std::hash::Hash + Eq + Ord>(
    a: &[T],
    b: &[T],
) -> Vec<(LayerStatus, Option<usize>, Option<usize>)> {
    use similar::{capture_diff_slices, Algorithm, DiffOp};
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    for op in capture_diff_slices(Algorithm::Myers, a, b) {
        match op {
            DiffOp::Equal { old_index, new_index, len } => {
                out.extend((0..len).map(|i| (LayerStatus::Shared, Some(old_index + i), Some(new_index + i))))
            }
            DiffOp::Delete { old_index, old_len, .. } => {
                out.extend((0..old_len).map(|i| (LayerStatus::OnlyA, Some(old_index + i), None)))
            }
            DiffOp::Insert { new_index, new_len, .. } => {
                out.extend((0..new_len).map(|i| (LayerStatus::OnlyB, None, Some(new_index + i))))
            }
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                out.extend((0..old_len).map(|i| (LayerStatus::OnlyA, Some(old_index + i), None)));
                out.extend((0..new_len).map(|i| (LayerStatus::OnlyB, None, Some(new_index + i))));
            }
        }
    }
    out
}

fn side(i: &ImageInfo) -> CompareSide {
    CompareSide {
        reference: i.reference.clone(),
        digest: i.digest.clone(),
        size: i.size,
        created: i.config.created.clone(),
        platform: i.platform(),
    }
}

fn joined(v: &[String]) -> Option<String> {
    (!v.is_empty()).then(|| serde_json::to_string(v).unwrap_or_default())
}

fn env_map(env: &[String]) -> BTreeMap<&str, &str> {
    env.iter().map(|e| e.split_once('=').unwrap_or((e.as_str(), ""))).collect()
}

/// What differs in the configuration, path by path, in a stable order.
pub fn config_changes(a: &ImageConfig, b: &ImageConfig) -> Vec<ConfigChange> {
    let mut out = Vec::new();
    let mut scalar = |path: &str, x: Option<String>, y: Option<String>| {
        if x != y {
            out.push(ConfigChange { path: path.to_string(), a: x, b: y });
        }
    };
    scalar("architecture", a.architecture.clone(), b.architecture.clone());
    scalar("os", a.os.clone(), b.os.clone());
    scalar("variant", a.variant.clone(), b.variant.clone());
    scalar("user", a.user.clone(), b.user.clone());
    scalar("working_dir", a.working_dir.clone(), b.working_dir.clone());
    scalar("entrypoint", joined(&a.entrypoint), joined(&b.entrypoint));
    scalar("cmd", joined(&a.cmd), joined(&b.cmd));
    let (ea, eb) = (env_map(&a.env), env_map(&b.env));
    for key in ea.keys().chain(eb.keys()).collect::<BTreeSet<_>>() {
        let (x, y) = (ea.get(key).map(|s| s.to_string()), eb.get(key).map(|s| s.to_string()));
        scalar(&format!("env.{key}"), x, y);
    }
    for key in a.labels.keys().chain(b.labels.keys()).collect::<BTreeSet<_>>() {
        scalar(&format!("labels.{key}"), a.labels.get(key).cloned(), b.labels.get(key).cloned());
    }
    let (pa, pb): (BTreeSet<_>, BTreeSet<_>) = (a.exposed_ports.iter().collect(), b.exposed_ports.iter().collect());
    for port in pa.union(&pb) {
        scalar(
            &format!("exposed_ports.{port}"),
            pa.contains(port).then(|| "exposed".to_string()),
            pb.contains(port).then(|| "exposed".to_string()),
        );
    }
    out
}

/// Compare two images. Layers are matched by manifest digest when both come from registries,
/// else by content (uncompressed digests: an engine does not know the compressed ones).
pub fn compare(a: &ImageInfo, b: &ImageInfo) -> Comparison {
    let by_digest = a.source == "registry" && b.source == "registry";
    let keys = |i: &ImageInfo| -> Vec<String> {
        if by_digest || i.config.diff_ids.len() != i.layers.len() {
            i.layers.iter().map(|l| l.digest.clone()).collect()
        } else {
            i.config.diff_ids.clone()
        }
    };
    let (ka, kb) = (keys(a), keys(b));
    let mut layers = Vec::new();
    let (mut shared, mut only_a, mut only_b) = (0, 0, 0);
    for (status, ia, ib) in align(&ka, &kb) {
        let (digest, size) = match (ia, ib) {
            (Some(i), _) => (ka[i].clone(), a.layers.get(i).map_or(0, |l| l.size)),
            (None, Some(j)) => (kb[j].clone(), b.layers.get(j).map_or(0, |l| l.size)),
            (None, None) => continue,
        };
        match status {
            LayerStatus::Shared => shared += size,
            LayerStatus::OnlyA => only_a += size,
            LayerStatus::OnlyB => only_b += size,
        }
        layers.push(LayerRow { digest, size, status, index_a: ia.map(|i| i as u32), index_b: ib.map(|j| j as u32) });
    }
    // Build steps matched by their command (an engine's history and a registry's agree on it).
    let steps = |i: &ImageInfo| -> Vec<String> { i.config.history.iter().map(|h| h.created_by.clone()).collect() };
    let (ha, hb) = (steps(a), steps(b));
    let history = align(&ha, &hb)
        .into_iter()
        .map(|(status, ia, ib)| {
            let entry = ia.map(|i| &a.config.history[i]).or_else(|| ib.map(|j| &b.config.history[j]));
            HistoryRow {
                status,
                created_by: entry.map(|h| h.created_by.clone()).unwrap_or_default(),
                empty_layer: entry.is_some_and(|h| h.empty_layer),
            }
        })
        .collect();
    let mut platforms = Vec::new();
    if !a.platforms.is_empty() && !b.platforms.is_empty() {
        let names: BTreeSet<&str> = a.platforms.iter().chain(b.platforms.iter()).map(|p| p.platform.as_str()).collect();
        for name in names {
            let find = |i: &ImageInfo| i.platforms.iter().find(|p| p.platform == name).map(|p| p.digest.clone());
            platforms.push(PlatformPair { platform: name.to_string(), a: find(a), b: find(b) });
        }
    }
    Comparison {
        a: side(a),
        b: side(b),
        identical: a.digest == b.digest,
        matched_by: if by_digest { "digest" } else { "content" }.to_string(),
        layers,
        shared_bytes: shared,
        only_a_bytes: only_a,
        only_b_bytes: only_b,
        config_changes: config_changes(&a.config, &b.config),
        history,
        platforms,
        vulnerabilities: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(reference: &str, layers: &[(&str, u64)], config: Value) -> ImageInfo {
        ImageInfo {
            reference: reference.into(),
            digest: format!("sha256:{reference}"),
            media_type: "application/vnd.oci.image.manifest.v1+json".into(),
            manifest_digest: format!("sha256:{reference}"),
            size: layers.iter().map(|l| l.1).sum(),
            config: ImageConfig::from_json(&config),
            layers: layers
                .iter()
                .map(|(d, s)| LayerInfo { digest: d.to_string(), size: *s, media_type: "tar+gzip".into() })
                .collect(),
            platforms: vec![],
            manifest_json: String::new(),
            source: "registry".into(),
        }
    }

    #[test]
    fn configuration_json_is_read() {
        let c = ImageConfig::from_json(&serde_json::json!({
            "architecture": "arm64", "os": "linux", "variant": "v8", "created": "2026-01-02T03:04:05Z",
            "config": {"User": "app", "WorkingDir": "/srv", "Entrypoint": ["/bin/app"], "Cmd": ["serve"],
                       "Env": ["PATH=/bin", "MODE=prod"], "Labels": {"team": "core"}, "ExposedPorts": {"8080/tcp": {}}},
            "history": [{"created_by": "COPY app /bin/app"}, {"created_by": "CMD [\"serve\"]", "empty_layer": true}],
            "rootfs": {"type": "layers", "diff_ids": ["sha256:d1"]}
        }));
        assert_eq!(c.platform().as_deref(), Some("linux/arm64/v8"));
        assert_eq!(c.entrypoint, ["/bin/app"]);
        assert_eq!(c.labels["team"], "core");
        assert_eq!(c.exposed_ports, ["8080/tcp"]);
        assert!(c.history[1].empty_layer);
        assert_eq!(c.diff_ids, ["sha256:d1"]);
        // Missing pieces are empty, never a failure.
        assert_eq!(ImageConfig::from_json(&Value::Null), ImageConfig::default());
    }

    #[test]
    fn layers_align_in_order_with_shared_and_own_bytes() {
        let a = image("a", &[("base", 100), ("deps", 50), ("app1", 10)], serde_json::json!({}));
        let b = image("b", &[("base", 100), ("deps2", 60), ("app1", 10), ("extra", 5)], serde_json::json!({}));
        let c = compare(&a, &b);
        let got: Vec<(&str, LayerStatus)> = c.layers.iter().map(|l| (l.digest.as_str(), l.status)).collect();
        assert_eq!(
            got,
            [
                ("base", LayerStatus::Shared),
                ("deps", LayerStatus::OnlyA),
                ("deps2", LayerStatus::OnlyB),
                ("app1", LayerStatus::Shared),
                ("extra", LayerStatus::OnlyB),
            ]
        );
        assert_eq!((c.shared_bytes, c.only_a_bytes, c.only_b_bytes), (110, 50, 65));
        assert_eq!(c.layers[3].index_a, Some(2));
        assert_eq!(c.layers[3].index_b, Some(2));
        assert!(!c.identical);
        assert_eq!(c.matched_by, "digest");
    }

    #[test]
    fn config_changes_by_path() {
        let a = image(
            "a",
            &[],
            serde_json::json!({"architecture": "amd64", "os": "linux", "config": {"Env": ["PATH=/bin", "MODE=dev", "OLD=1"], "Cmd": ["run"], "Labels": {"v": "1"}, "ExposedPorts": {"80/tcp": {}}}}),
        );
        let b = image(
            "b",
            &[],
            serde_json::json!({"architecture": "amd64", "os": "linux", "config": {"Env": ["PATH=/bin", "MODE=prod", "NEW=2"], "Cmd": ["run", "--fast"], "Labels": {"v": "2"}, "User": "app", "ExposedPorts": {"80/tcp": {}, "443/tcp": {}}}}),
        );
        let changes = compare(&a, &b).config_changes;
        let paths: Vec<&str> = changes.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(paths, ["user", "cmd", "env.MODE", "env.NEW", "env.OLD", "labels.v", "exposed_ports.443/tcp"]);
        assert_eq!(changes[2].a.as_deref(), Some("dev"));
        assert_eq!(changes[2].b.as_deref(), Some("prod"));
        assert_eq!(changes[3].a, None);
        assert_eq!(changes[1].b.as_deref(), Some(r#"["run","--fast"]"#));
    }

    #[test]
    fn an_engine_image_is_matched_by_content() {
        let cfg = serde_json::json!({"rootfs": {"diff_ids": ["sha256:u1", "sha256:u2"]}});
        let remote = image("r", &[("sha256:c1", 10), ("sha256:c2", 20)], cfg.clone());
        let mut local = image("l", &[("sha256:u1", 0), ("sha256:u2", 0)], cfg);
        local.source = "engine".into();
        let c = compare(&remote, &local);
        assert_eq!(c.matched_by, "content");
        assert!(c.layers.iter().all(|l| l.status == LayerStatus::Shared), "{:?}", c.layers);
    }

    #[test]
    fn history_and_platform_matrix() {
        let mut a =
            image("a", &[], serde_json::json!({"history": [{"created_by": "FROM x"}, {"created_by": "RUN make"}]}));
        let mut b =
            image("b", &[], serde_json::json!({"history": [{"created_by": "FROM x"}, {"created_by": "RUN make -j"}]}));
        let p = |platform: &str, d: &str| PlatformEntry {
            platform: platform.into(),
            digest: d.into(),
            media_type: String::new(),
            size: 0,
        };
        a.platforms = vec![p("linux/amd64", "sha256:1"), p("linux/arm64", "sha256:2")];
        b.platforms = vec![p("linux/amd64", "sha256:1"), p("linux/s390x", "sha256:3")];
        let c = compare(&a, &b);
        let steps: Vec<LayerStatus> = c.history.iter().map(|h| h.status).collect();
        assert_eq!(steps, [LayerStatus::Shared, LayerStatus::OnlyA, LayerStatus::OnlyB]);
        assert_eq!(c.platforms.len(), 3);
        assert_eq!(c.platforms[0].a, c.platforms[0].b);
        assert_eq!(c.platforms[2].platform, "linux/s390x");
        assert_eq!(c.platforms[2].a, None);
    }
}

/// An image named by digest, tag, or both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImageRef {
    pub digest: Option<String>,
    pub tag: Option<String>,
}

impl ImageRef {
    /// Refuse a malformed digest or tag before it goes into a request; also one naming nothing.
    pub fn check(&self) -> crate::Result<()> {
        if self.digest.is_none() && self.tag.is_none() {
            return Err(crate::BerthError::invalid("Each image needs a digest or a tag."));
        }
        if let Some(d) = &self.digest {
            crate::validate::digest(d)?;
        }
        if let Some(t) = &self.tag {
            crate::validate::tag(t)?;
        }
        Ok(())
    }
}

/// What names an image within a repository: a tag, or a content digest. Either one is valid
/// once parsed ([`validate::tag`](crate::validate::tag), [`validate::digest`](crate::validate::digest)),
/// so it can go into a URL path as it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TagOrDigest {
    Tag(String),
    Digest(String),
}

impl TagOrDigest {
    /// `latest` is a tag; anything with a `:` must be a digest (a tag cannot hold one).
    pub fn parse(text: &str) -> crate::Result<TagOrDigest> {
        if text.contains(':') {
            crate::validate::digest(text)?;
            Ok(TagOrDigest::Digest(text.to_string()))
        } else {
            crate::validate::tag(text)?;
            Ok(TagOrDigest::Tag(text.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            TagOrDigest::Tag(s) | TagOrDigest::Digest(s) => s,
        }
    }

    pub fn is_digest(&self) -> bool {
        matches!(self, TagOrDigest::Digest(_))
    }

    /// What goes between the repository and this: `repo:tag`, `repo@sha256:…`.
    pub fn separator(&self) -> char {
        if self.is_digest() {
            '@'
        } else {
            ':'
        }
    }
}

impl std::fmt::Display for TagOrDigest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A registry image as the user types it: `repo`, `repo:tag`, `repo@digest` or
/// `repo:tag@digest` (the digest wins, as with Docker). Without a tag or digest: `latest`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageName {
    pub repository: String,
    pub reference: TagOrDigest,
}

impl ImageName {
    /// Parse and validate (repository name, tag, digest); surrounding spaces are ignored.
    pub fn parse(text: &str) -> crate::Result<ImageName> {
        let text = text.trim();
        let (name, digest) = match text.split_once('@') {
            Some((name, digest)) => (name, Some(digest)),
            None => (text, None),
        };
        // A `:` after the last `/` starts the tag (a repository name has none).
        let (repository, tag) = match name.rsplit_once(':') {
            Some((repository, tag)) if !tag.contains('/') => (repository, Some(tag)),
            _ => (name, None),
        };
        crate::validate::repository_name(repository)?;
        // A `:` or `@` with nothing after it: say which, not only "Enter a tag".
        if tag == Some("") {
            return Err(crate::BerthError::invalid(format!(
                "“{text}” has a “:” with no tag after it: type REPOSITORY:TAG (e.g. {repository}:1), or the repository alone for latest."
            )));
        }
        if digest == Some("") {
            return Err(crate::BerthError::invalid(format!(
                "“{text}” has an “@” with no digest after it: type REPOSITORY@sha256:… or REPOSITORY:TAG."
            )));
        }
        if let Some(tag) = tag {
            crate::validate::tag(tag)?;
        }
        let reference = match (digest, tag) {
            (Some(d), _) => {
                crate::validate::digest(d)?;
                TagOrDigest::Digest(d.to_string())
            }
            (None, Some(t)) => TagOrDigest::Tag(t.to_string()),
            (None, None) => TagOrDigest::Tag("latest".to_string()),
        };
        Ok(ImageName { repository: repository.to_string(), reference })
    }
}

impl std::fmt::Display for ImageName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}{}", self.repository, self.reference.separator(), self.reference)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DeleteFailure {
    pub image: ImageRef,
    /// ECR's reason.
    pub reason: String,
}

/// What a batch deletion did, id by id.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct DeleteReport {
    pub deleted: Vec<ImageRef>,
    pub failed: Vec<DeleteFailure>,
}

/// A vulnerability of a scan (basic or enhanced scanning, in one shape). The fields after
/// `uri` come from enhanced scanning (Amazon Inspector) only; basic scanning leaves them empty.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
pub struct Finding {
    /// CVE or advisory id.
    pub name: String,
    pub severity: String,
    pub package: Option<String>,
    pub version: Option<String>,
    pub fixed_in: Option<String>,
    pub uri: Option<String>,
    /// The score Inspector gives (CVSS base score, adjusted for the environment).
    pub score: Option<f64>,
    /// Where the score comes from: "NVD CVSS 3.1", ...
    pub score_source: Option<String>,
    pub scoring_vector: Option<String>,
    /// `YES`, `NO` or `PARTIAL`.
    pub fix_available: Option<String>,
    /// `YES` or `NO`.
    pub exploit_available: Option<String>,
    /// Where in the image the vulnerable package lives.
    pub file_path: Option<String>,
    /// What to do about it.
    pub remediation: Option<String>,
    pub first_observed: Option<crate::Timestamp>,
    pub last_observed: Option<crate::Timestamp>,
    pub title: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ScanFindings {
    pub status: crate::model::ScanStatus,
    pub description: Option<String>,
    pub completed_at: Option<crate::Timestamp>,
    pub severity_counts: BTreeMap<String, u32>,
    pub findings: Vec<Finding>,
}

/// Vulnerabilities of B against A: new in B, fixed in B, in both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct VulnerabilityDiff {
    pub new: Vec<Finding>,
    pub fixed: Vec<Finding>,
    pub unchanged: Vec<Finding>,
}

/// Severity order for display: the worst first.
pub fn severity_rank(severity: &str) -> u8 {
    match severity.to_ascii_uppercase().as_str() {
        "CRITICAL" => 0,
        "HIGH" => 1,
        "MEDIUM" => 2,
        "LOW" => 3,
        "INFORMATIONAL" => 4,
        _ => 5,
    }
}

/// Findings matched by (name, package): new, fixed and unchanged, worst first.
pub fn vulnerability_diff(a: &[Finding], b: &[Finding]) -> VulnerabilityDiff {
    let key = |f: &Finding| (f.name.clone(), f.package.clone());
    let ka: BTreeSet<_> = a.iter().map(key).collect();
    let kb: BTreeSet<_> = b.iter().map(key).collect();
    let sorted = |mut v: Vec<Finding>| {
        v.sort_by(|x, y| severity_rank(&x.severity).cmp(&severity_rank(&y.severity)).then(x.name.cmp(&y.name)));
        v.dedup_by(|x, y| x.name == y.name && x.package == y.package);
        v
    };
    VulnerabilityDiff {
        new: sorted(b.iter().filter(|f| !ka.contains(&key(f))).cloned().collect()),
        fixed: sorted(a.iter().filter(|f| !kb.contains(&key(f))).cloned().collect()),
        unchanged: sorted(b.iter().filter(|f| ka.contains(&key(f))).cloned().collect()),
    }
}

/// Ready-to-copy references to an image, pinned by digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Snippets {
    pub docker_pull: String,
    pub ecs_image: String,
    pub kubernetes: String,
}

pub fn snippets(registry: &str, repository: &str, digest: &str) -> Snippets {
    let pinned = format!("{registry}/{repository}@{digest}");
    let name = repository.rsplit('/').next().unwrap_or(repository);
    Snippets {
        docker_pull: format!("docker pull {pinned}"),
        ecs_image: format!("\"image\": \"{pinned}\""),
        kubernetes: format!("containers:\n  - name: {name}\n    image: {pinned}"),
    }
}

#[cfg(test)]
mod more_tests {
    use super::*;

    fn f(name: &str, severity: &str) -> Finding {
        Finding { name: name.into(), severity: severity.into(), package: Some("openssl".into()), ..Default::default() }
    }

    #[test]
    fn vulnerabilities_new_fixed_unchanged() {
        let a = [f("CVE-1", "HIGH"), f("CVE-2", "LOW")];
        let b = [f("CVE-2", "LOW"), f("CVE-3", "CRITICAL"), f("CVE-4", "MEDIUM")];
        let d = vulnerability_diff(&a, &b);
        assert_eq!(d.new.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["CVE-3", "CVE-4"]);
        assert_eq!(d.fixed[0].name, "CVE-1");
        assert_eq!(d.unchanged[0].name, "CVE-2");
    }

    const D: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn image_names_parse_and_validate() {
        let name = |t: &str| ImageName::parse(t).map(|n| (n.repository, n.reference));
        assert_eq!(name("web").unwrap(), ("web".into(), TagOrDigest::Tag("latest".into())));
        assert_eq!(name(" api/orders:1.0 ").unwrap(), ("api/orders".into(), TagOrDigest::Tag("1.0".into())));
        assert_eq!(name(&format!("web@{D}")).unwrap(), ("web".into(), TagOrDigest::Digest(D.into())));
        assert_eq!(name(&format!("web:1.0@{D}")).unwrap(), ("web".into(), TagOrDigest::Digest(D.into())));
        assert_eq!(ImageName::parse(&format!("web@{D}")).unwrap().to_string(), format!("web@{D}"));
        assert_eq!(ImageName::parse("web:1.0").unwrap().to_string(), "web:1.0");
        for bad in [
            "web@sha256:x/../../../web/manifests/latest",
            "web@sha256:abc?x=1#frag",
            "web@latest",
            "web@",
            "web:1.0/../x",
            "web:-bad",
            "web:a?b",
            "Bad Name:1",
            "../web:1",
            &format!("web:bad?@{D}"),
            &format!("web@{D}/../../x"),
        ] {
            let err = ImageName::parse(bad).expect_err(bad);
            assert_eq!(err.code, crate::ErrorCode::InvalidInput, "{bad}");
        }
    }

    #[test]
    fn an_empty_tag_or_digest_says_which() {
        let message = |t: &str| ImageName::parse(t).unwrap_err().message;
        assert!(message("web:@@").contains("“:” with no tag after it"), "{}", message("web:@@"));
        assert!(message("web:").contains("web:1"), "{}", message("web:"));
        assert!(message("web@").contains("“@” with no digest after it"), "{}", message("web@"));
    }

    #[test]
    fn tags_and_digests_parse_apart() {
        assert_eq!(TagOrDigest::parse("1.0").unwrap(), TagOrDigest::Tag("1.0".into()));
        assert!(TagOrDigest::parse(D).unwrap().is_digest());
        assert!(TagOrDigest::parse("sha256:abc").is_err());
        assert!(TagOrDigest::parse("sha256:x/../../latest").is_err());
        assert!(TagOrDigest::parse("../latest").is_err());
        assert!(TagOrDigest::parse(&format!("md5:{}", "a".repeat(32)))
            .unwrap_err()
            .message
            .contains("sha256 or sha512"));
    }

    #[test]
    fn image_refs_are_checked() {
        assert!(ImageRef { digest: Some(D.into()), tag: None }.check().is_ok());
        assert!(ImageRef { digest: None, tag: Some("v1".into()) }.check().is_ok());
        assert!(ImageRef { digest: None, tag: None }.check().is_err());
        assert!(ImageRef { digest: Some("sha256:abc?x=1".into()), tag: None }.check().is_err());
        assert!(ImageRef { digest: None, tag: Some("../v1".into()) }.check().is_err());
    }

    #[test]
    fn snippets_are_pinned_by_digest() {
        let s = snippets("1.dkr.ecr.eu-west-1.amazonaws.com", "team/api", "sha256:abc");
        assert_eq!(s.docker_pull, "docker pull 1.dkr.ecr.eu-west-1.amazonaws.com/team/api@sha256:abc");
        assert!(s.kubernetes.contains("name: api\n"));
        assert!(s.ecs_image.starts_with("\"image\": "));
    }
}
