//! Berth's data plane: the OCI distribution API of ECR or any registry, over oci-client.
//!
//! Loopback registries (127.0.0.0/8, localhost, [::1]) are spoken to over plain HTTP, as
//! the Docker engine does by default; every other registry over HTTPS.

pub mod cache;
pub mod copy;
pub mod docker_config;
pub mod image;

use berth_core::{BerthError, ErrorCode, Result, Secret};
use oci_client::client::{ClientConfig, ClientProtocol};
use oci_client::errors::OciDistributionError;
use oci_client::secrets::RegistryAuth;
use oci_client::{Client, Reference, RegistryOperation};

/// Manifest media types Berth reads: Docker v2 schema 2, OCI manifest and index.
pub const MANIFEST_MEDIA_TYPES: [&str; 4] = [
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
];

/// Page size of tag and repository listings.
const PAGE: usize = 100;

/// Pages of tags read at most (a registry whose Link header loops is not followed forever).
const MAX_PAGES: usize = 10_000;

/// How to authenticate to a registry.
#[derive(Debug, Clone)]
pub enum Credentials {
    Anonymous,
    /// Basic auth; for ECR the user is `AWS` and the password the authorization token.
    Basic {
        username: String,
        password: Secret,
    },
}

/// A client for one registry host.
pub struct Registry {
    host: String,
    client: Client,
    auth: RegistryAuth,
    /// Where manifests and blobs fetched by digest are kept (none: always fetched).
    cache: Option<cache::BlobCache>,
    /// What to do when the registry refuses the credentials.
    login_hint: String,
}

/// A manifest as stored: its bytes, digest and media type.
#[derive(Debug, Clone)]
pub struct RawManifest {
    pub digest: String,
    pub media_type: Option<String>,
    pub bytes: Vec<u8>,
}

/// True for hosts on the loopback interface (spoken to over plain HTTP).
pub fn is_loopback(host: &str) -> bool {
    let name = match host.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) && !h.ends_with(':') => h,
        _ => host,
    };
    let name = name.trim_start_matches('[').trim_end_matches(']');
    name == "localhost" || name == "::1" || name.starts_with("127.")
}

impl Registry {
    pub fn new(host: &str, credentials: Credentials) -> Registry {
        let protocol =
            if is_loopback(host) { ClientProtocol::HttpsExcept(vec![host.to_string()]) } else { ClientProtocol::Https };
        // Uploads are one monolithic PUT each: ECR keeps only the first PATCH of a chunked upload.
        let client = Client::new(ClientConfig { protocol, use_monolithic_push: true, ..Default::default() });
        let auth = match credentials {
            Credentials::Anonymous => RegistryAuth::Anonymous,
            Credentials::Basic { username, password } => RegistryAuth::Basic(username, password.expose().to_string()),
        };
        let login_hint = "Refresh the registry token and retry.".to_string();
        Registry { host: host.to_string(), client, auth, cache: None, login_hint }
    }

    /// Keep what is fetched by digest in `cache`.
    pub fn with_cache(mut self, cache: Option<cache::BlobCache>) -> Registry {
        self.cache = cache;
        self
    }

    /// What a refusal of the credentials tells the user to do (ECR's default: refresh the
    /// token; another registry: where its credentials come from).
    pub fn with_login_hint(mut self, hint: impl Into<String>) -> Registry {
        self.login_hint = hint.into();
        self
    }

    pub fn host(&self) -> &str {
        &self.host
    }

    /// The reference of `repository` and a tag or digest, both validated: what goes into a
    /// request's path is a repository name and a tag or `algorithm:hex`, never `..`, `/`, `?`
    /// or `#` (a last line of defence: callers validate what the user typed already, and
    /// digests also come from manifests the registry sent).
    fn reference(&self, repository: &str, reference: &str) -> Result<Reference> {
        berth_core::validate::repository_name(repository)?;
        Ok(match berth_core::image::TagOrDigest::parse(reference)? {
            berth_core::image::TagOrDigest::Digest(d) => {
                Reference::with_digest(self.host.clone(), repository.to_string(), d)
            }
            berth_core::image::TagOrDigest::Tag(t) => Reference::with_tag(self.host.clone(), repository.to_string(), t),
        })
    }

    /// The digest the registry reports for `repository:reference` (a tag or a digest).
    pub async fn manifest_digest(&self, repository: &str, reference: &str) -> Result<String> {
        let r = self.reference(repository, reference)?;
        self.client.fetch_manifest_digest(&r, &self.auth).await.map_err(|e| self.error(e, repository, reference))
    }

    /// The manifest's bytes as stored (digest verified by the client).
    pub async fn manifest(&self, repository: &str, reference: &str) -> Result<RawManifest> {
        let r = self.reference(repository, reference)?;
        let (bytes, digest) = self
            .client
            .pull_manifest_raw(&r, &self.auth, &MANIFEST_MEDIA_TYPES)
            .await
            .map_err(|e| self.error(e, repository, reference))?;
        let media_type = serde_media_type(&bytes);
        Ok(RawManifest { digest, media_type, bytes: bytes.to_vec() })
    }

    /// Whether the registry takes these credentials (`GET /v2/`, with the token exchange a
    /// registry that issues bearer tokens asks for).
    pub async fn check_credentials(&self) -> Result<()> {
        let r = Reference::with_tag(self.host.clone(), "library/x".into(), "latest".into());
        let refused = || {
            BerthError::new(
                ErrorCode::AccessDenied,
                format!("{} refused the user name and password. Check them, then add the registry again.", self.host),
            )
        };
        if let Err(e) = self.client.auth(&r, &self.auth, RegistryOperation::Pull).await {
            return Err(match e {
                OciDistributionError::AuthenticationFailure(_) | OciDistributionError::UnauthorizedError { .. } => {
                    refused()
                }
                other => self.error(other, "", "login"),
            });
        }
        let probe = self.client.catalog(&r, &self.auth, Some(1), None).await;
        match probe {
            Err(
                OciDistributionError::UnauthorizedError { .. }
                | OciDistributionError::AuthenticationFailure(_)
                | OciDistributionError::ServerError { code: 401, .. },
            ) => Err(refused()),
            Err(OciDistributionError::RequestError(e)) if e.is_connect() || e.is_timeout() => Err(BerthError::new(
                ErrorCode::Unreachable,
                format!("The registry {} cannot be reached. Check the host and the network, then retry.", self.host),
            )),
            _ => Ok(()),
        }
    }

    /// Every tag of `repository` (`/v2/NAME/tags/list`, page after page: `n` and `last`, as
    /// the distribution specification pages it).
    pub async fn tags(&self, repository: &str) -> Result<Vec<String>> {
        berth_core::validate::repository_name(repository)?;
        let r = Reference::with_tag(self.host.clone(), repository.to_string(), "latest".into());
        // The token oci-client gets for pulling (none: the registry takes basic credentials).
        let bearer = self
            .client
            .auth(&r, &self.auth, RegistryOperation::Pull)
            .await
            .map_err(|e| self.error(e, repository, "tags"))?;
        let scheme = if is_loopback(&self.host) { "http" } else { "https" };
        let base = format!("{scheme}://{}", self.host);
        let mut next = Some(format!("{base}/v2/{repository}/tags/list?n={PAGE}"));
        let mut tags: Vec<String> = Vec::new();
        let http = reqwest::Client::new();
        let mut pages = 0;
        while let Some(url) = next.take() {
            pages += 1;
            if pages > MAX_PAGES {
                tracing::warn!(repository, "stopped listing tags after {MAX_PAGES} pages");
                break;
            }
            let mut request = http.get(&url);
            request = match (&bearer, &self.auth) {
                (Some(token), _) => request.bearer_auth(token),
                (None, RegistryAuth::Basic(user, password)) => request.basic_auth(user, Some(password)),
                _ => request,
            };
            let answer = request.send().await.map_err(|e| self.unreachable(e, repository))?;
            let status = answer.status();
            let link = answer.headers().get(reqwest::header::LINK).and_then(|v| v.to_str().ok()).map(str::to_string);
            let body = answer.bytes().await.map_err(|e| self.unreachable(e, repository))?;
            if !status.is_success() {
                let text = String::from_utf8_lossy(&body).to_string();
                let e = OciDistributionError::ServerError { code: status.as_u16(), url, message: text };
                return Err(self.error(e, repository, "tags"));
            }
            let page: TagPage = serde_json::from_slice(&body).map_err(|e| {
                BerthError::new(
                    ErrorCode::Remote,
                    format!(
                        "{} answered tags/list of {repository} with something that is not a tag list: {e}",
                        self.host
                    ),
                )
            })?;
            let before = tags.len();
            for tag in page.tags.unwrap_or_default() {
                if !tags.contains(&tag) {
                    tags.push(tag);
                }
            }
            // The next page is where the registry's Link header points (distribution spec);
            // a page that adds nothing ends the listing whatever the header says.
            if tags.len() > before {
                next = link.as_deref().and_then(next_link).map(|target| resolve_link(&base, &target));
            }
        }
        Ok(tags)
    }

    fn unreachable(&self, e: reqwest::Error, repository: &str) -> BerthError {
        BerthError::new(
            ErrorCode::Unreachable,
            format!("{} did not answer while listing the tags of {repository}: {e}. Check that it is running and reachable, then retry.", self.host),
        )
    }

    pub async fn catalog(&self) -> Result<Vec<String>> {
        let r = Reference::with_tag(self.host.clone(), "library/x".into(), "latest".into());
        let mut names: Vec<String> = Vec::new();
        loop {
            let last = names.last().cloned();
            let page = match self.client.catalog(&r, &self.auth, Some(PAGE), last.as_deref()).await {
                Ok(page) => page,
                Err(e) => {
                    let text = e.to_string();
                    let refused = matches!(&e, OciDistributionError::ServerError { code: 401 | 403 | 404 | 405, .. })
                        || matches!(&e, OciDistributionError::UnauthorizedError { .. })
                        || text.contains("UNSUPPORTED")
                        || text.contains("DENIED");
                    if refused && names.is_empty() {
                        return Err(BerthError::new(
                            ErrorCode::Unsupported,
                            format!("{} does not list its repositories (/v2/_catalog answered: {text}). Type the repository's name instead.", self.host),
                        ));
                    }
                    return Err(self.error(e, "_catalog", "list"));
                }
            };
            if !more(&mut names, page.repositories) {
                break;
            }
        }
        Ok(names)
    }

    fn error(&self, e: OciDistributionError, repository: &str, reference: &str) -> BerthError {
        let cause = format!("oci-client: {e}");
        self.classify(e, repository, reference).with_cause(cause)
    }

    /// A repository, tag or digest the registry does not have, with what to check.
    fn missing(&self, what: &str) -> BerthError {
        BerthError::not_found(format!(
            "{what} does not exist in the registry. Check the repository's name and the tag or digest: the repository's image list shows them (`berth images list REPO`)."
        ))
    }

    fn classify(&self, e: OciDistributionError, repository: &str, reference: &str) -> BerthError {
        let separator = if reference.starts_with("sha256:") { "@" } else { ":" };
        let what = format!("{}/{repository}{separator}{reference}", self.host);
        match e {
            OciDistributionError::ImageManifestNotFoundError(_) => {
                self.missing(&what)
            }
            OciDistributionError::RegistryError { envelope, .. } => {
                let codes: Vec<String> = envelope.errors.iter().map(|e| format!("{:?}: {}", e.code, e.message)).collect();
                let text = codes.join("; ");
                if text.contains("NameUnknown") || text.contains("ManifestUnknown") {
                    self.missing(&what)
                } else if text.contains("Unauthorized") || text.contains("Denied") {
                    BerthError::new(ErrorCode::AccessDenied, format!("The registry refused access to {what} ({text}). Refresh the credentials and retry."))
                } else {
                    BerthError::new(ErrorCode::Remote, format!("The registry answered for {what}: {text}"))
                }
            }
            OciDistributionError::AuthenticationFailure(m) => BerthError::new(
                ErrorCode::AccessDenied,
                format!("The registry {} refused the credentials ({m}). {}", self.host, self.login_hint),
            ),
            OciDistributionError::UnauthorizedError { .. } => BerthError::new(
                ErrorCode::AccessDenied,
                format!("The registry {} refused the credentials for {what}. {}", self.host, self.login_hint),
            ),
            OciDistributionError::ServerError { code: 404, .. } => {
                self.missing(&what)
            }
            // A 401 or 403 to a request past the login (a blob's HEAD, an upload): the
            // credentials, or their absence, do not reach this repository.
            OciDistributionError::ServerError { code: 401 | 403, .. } => BerthError::new(
                ErrorCode::AccessDenied,
                format!("The registry {} refused access to {what}. {}", self.host, self.login_hint),
            ),
            OciDistributionError::RequestError(e)
                if e.status().is_some_and(|s| s == reqwest::StatusCode::UNAUTHORIZED || s == reqwest::StatusCode::FORBIDDEN) =>
            {
                BerthError::new(
                    ErrorCode::AccessDenied,
                    format!("The registry {} refused access to {what}. {}", self.host, self.login_hint),
                )
            }
            OciDistributionError::RequestError(e) if e.is_connect() || e.is_timeout() => BerthError::new(
                ErrorCode::Unreachable,
                format!("The registry {} cannot be reached. Check the network or the registry endpoint of the profile, then retry.", self.host),
            ),
            other => BerthError::new(ErrorCode::Remote, format!("Reading {what} failed: {other}")),
        }
    }
}

/// Add a page to what was listed; whether to ask for the next one (the page was full and
/// brought something new: a registry that ignores `last` would otherwise be asked forever).
fn more(listed: &mut Vec<String>, page: Vec<String>) -> bool {
    let full = page.len() >= PAGE;
    let before = listed.len();
    let mut seen: std::collections::HashSet<String> = listed.iter().cloned().collect();
    for name in page {
        if seen.insert(name.clone()) {
            listed.push(name);
        }
    }
    full && listed.len() > before
}

/// A page of `tags/list`.
#[derive(serde::Deserialize)]
struct TagPage {
    tags: Option<Vec<String>>,
}

/// The target of a `Link` header's `rel="next"` entry (`<URL>; rel="next"`).
fn next_link(header: &str) -> Option<String> {
    header.split(',').find_map(|entry| {
        let (target, params) = entry.trim().split_once(';')?;
        let is_next = params.split(';').any(|p| {
            let p = p.trim().replace(' ', "");
            p == "rel=\"next\"" || p == "rel=next"
        });
        let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
        is_next.then(|| target.to_string())
    })
}

/// A Link target is a path on the same registry (distribution sends `/v2/…`), or a whole URL.
fn resolve_link(base: &str, target: &str) -> String {
    if target.starts_with("http://") || target.starts_with("https://") {
        target.to_string()
    } else if target.starts_with('/') {
        format!("{base}{target}")
    } else {
        format!("{base}/{target}")
    }
}

fn serde_media_type(bytes: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Probe {
        #[serde(rename = "mediaType")]
        media_type: Option<String>,
    }
    serde_json::from_slice::<Probe>(bytes).ok().and_then(|p| p.media_type)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_asked_while_full_and_new() {
        let page = |from: usize, n: usize| (from..from + n).map(|i| format!("t{i:04}")).collect::<Vec<_>>();
        let mut listed = Vec::new();
        assert!(more(&mut listed, page(0, PAGE)));
        assert!(!more(&mut listed, page(PAGE, 5)), "a short page is the last");
        assert_eq!(listed.len(), PAGE + 5);
        // A registry that ignores `last` sends the first page again: stop.
        assert!(!more(&mut listed, page(0, PAGE)));
        assert_eq!(listed.len(), PAGE + 5);
    }

    #[test]
    fn the_next_page_is_the_link_headers_next_entry() {
        let header = r#"</v2/team/web/tags/list?last=t0099&n=100>; rel="next""#;
        assert_eq!(next_link(header).as_deref(), Some("/v2/team/web/tags/list?last=t0099&n=100"));
        let several = r#"<https://r.example/v2/a/tags/list?page=1>; rel="prev", <https://r.example/v2/a/tags/list?cursor=Zm9v>; rel="next""#;
        assert_eq!(next_link(several).as_deref(), Some("https://r.example/v2/a/tags/list?cursor=Zm9v"));
        assert_eq!(next_link(r#"</v2/a/tags/list?x=1>; rel="prev""#), None);
        assert_eq!(next_link("garbage"), None);
        assert_eq!(resolve_link("http://h:1", "/v2/a?b"), "http://h:1/v2/a?b");
        assert_eq!(resolve_link("http://h:1", "https://o/v2/a"), "https://o/v2/a");
    }

    #[test]
    fn loopback_hosts() {
        for h in ["127.0.0.1:5000", "localhost:5000", "localhost", "[::1]:5000", "127.1.2.3"] {
            assert!(is_loopback(h), "{h}");
        }
        for h in ["123456789012.dkr.ecr.eu-west-1.amazonaws.com", "ghcr.io", "10.0.0.1:5000"] {
            assert!(!is_loopback(h), "{h}");
        }
    }

    const D: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn references_are_validated_before_a_url_is_built() {
        let r = Registry::new("127.0.0.1:5000", Credentials::Anonymous);
        let by_digest = r.reference("web", D).unwrap();
        assert_eq!(by_digest.digest(), Some(D));
        assert_eq!(by_digest.tag(), None);
        assert_eq!(r.reference("api/orders", "1.0").unwrap().tag(), Some("1.0"));
        for (repository, reference) in [
            ("web", "sha256:x/../../../web/manifests/latest"),
            ("web", "sha256:abc?x=1#frag"),
            ("web", "sha256:abc"),
            ("web", "md5:0123456789abcdef0123456789abcdef"),
            ("web", "../latest"),
            ("web", "latest?x=1"),
            ("web/../other", "latest"),
            ("", "latest"),
        ] {
            let err = r.reference(repository, reference).expect_err(reference);
            assert_eq!(err.code, ErrorCode::InvalidInput, "{repository} {reference}");
        }
    }

    /// Nothing is sent for a bad reference: the unroutable address would fail otherwise.
    #[tokio::test]
    async fn fetches_refuse_bad_references_without_a_request() {
        let r = Registry::new("127.0.0.1:9", Credentials::Anonymous);
        let bad = "sha256:x/../../../web/manifests/latest";
        assert_eq!(r.manifest("web", bad).await.unwrap_err().code, ErrorCode::InvalidInput);
        assert_eq!(r.manifest_digest("web", bad).await.unwrap_err().code, ErrorCode::InvalidInput);
        assert_eq!(r.manifest_cached("web", bad).await.unwrap_err().code, ErrorCode::InvalidInput);
        assert_eq!(r.blob("web", "sha256:abc?x=1#frag").await.unwrap_err().code, ErrorCode::InvalidInput);
        assert_eq!(r.image("web", bad, None).await.unwrap_err().code, ErrorCode::InvalidInput);
    }
}
